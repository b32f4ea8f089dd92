/**
 * What every Console settings route shares: the signed-in user (`c.var.current`), the view of a page, the
 * current-password check, and where a refused change is shown (its form again, with the reason).
 */

import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import type Provider from 'oidc-provider';
import { EmailChanges } from '../../accounts/email-change';
import type { EmailChangeLimits } from '../../accounts/email-change-limits';
import { accountKey, ipKey, LoginThrottle, reauthKey } from '../../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { RecoveryCodes } from '../../accounts/recovery-codes';
import { TwoFactor } from '../../accounts/two-factor';
import type { User, UserStore } from '../../accounts/users';
import { showRefusalsOn } from '../../error-response';
import { SettingsError } from '../../errors';
import { PRODUCT_PAGE_HEADERS } from '../../html';
import { AccountSessions } from '../../identity/end-sessions';
import type { OrganizationStore } from '../../organizations/organizations';
import { emailDomain } from '../../organizations/organizations';
import type { RelyingParty, RpSession } from '../../relying-party';
import { checkedForm, clientAddress } from '../../security';
import type { SsoConnections } from '../../sso/connections';
import type { Db } from '../../storage/database';
import { idTokenSession } from '../../storage/session-ends';
import { managedEmailText, managedPasswordText, type SettingsView } from './pages';

export type Current = { session: RpSession; user: User };

/**
 * The Console's signed-in user as the UserStore has them now (pages show a change by SCIM or settings at once); a
 * deactivated or deleted user has no session (`subjectActive`).
 */
export function signedInUser(rp: RelyingParty, users: UserStore, c: Context): Current | undefined {
  const session = rp.currentSession(c);
  const user = session && users.findById(session.sub);
  return session && user ? { session, user } : undefined;
}
export type SettingsEnv = { Bindings: HttpBindings; Variables: { current: Current } };

/** A login this recent stands in for the current password. */
export const RECENT_LOGIN_MS = 5 * 60_000;

export interface SettingsDeps {
  rp: RelyingParty;
  db: Db;
  users: UserStore;
  provider: Provider;
  clock: () => number;
  /** `http://console.twilio.localhost:<port>`, for the links in mail. */
  consoleOrigin: string;
  /** Who manages a member's email and sign-in, and which domains are an organization's. */
  organizations: { organizations: OrganizationStore };
  sso: { connections: SsoConnections };
  /** The world's email-change limits, shared with the products' settings. */
  emailChangeLimits: EmailChangeLimits;
}

export type SettingsKit = ReturnType<typeof settingsKit>;

export function settingsKit(deps: SettingsDeps) {
  const { db, users, provider, clock } = deps;
  const throttle = new LoginThrottle(db, clock);
  const recoveryCodes = new RecoveryCodes(db, clock);

  /** The organization managing `user`, and whether it enforces SSO (then the user has no Twilio password). */
  function managedBy(user: User): SettingsView['managed'] {
    const membership = deps.organizations.organizations.ofUser(user.id);
    if (!membership) return undefined;
    const enforced = deps.sso.connections.find(membership.organization.id)?.enforced === true;
    return { organization: membership.organization.name, enforced };
  }

  /** The view of a settings page for this request's user, with an optional refusal message. */
  function view(c: Context<SettingsEnv>, error?: string): SettingsView {
    const { session, user } = c.var.current;
    const { authTime } = idTokenSession(session.idToken);
    const recentLogin = authTime !== undefined && clock() - authTime * 1000 < RECENT_LOGIN_MS;
    return { session, user, recentLogin, managed: managedBy(user), error };
  }

  return {
    ...deps,
    recoveryCodes,
    twoFactor: new TwoFactor(db, users, recoveryCodes, clock),
    emailChanges: new EmailChanges(db, clock, deps.emailChangeLimits),
    accountSessions: new AccountSessions(provider, db),
    view,

    render: (c: Context<SettingsEnv>, body: string) => c.body(body, 200, PRODUCT_PAGE_HEADERS),

    /** The POST's form, its CSRF token checked against the signed-in session's. */
    form: (c: Context<SettingsEnv>) => checkedForm(c.req.raw, c.var.current.session.csrfToken),

    /** From here on, a `SettingsError` shows `page` (the form again) with its message and status. */
    showRefusalsOn(c: Context<SettingsEnv>, page: (error: string) => string): void {
      showRefusalsOn(c, (error) =>
        error instanceof SettingsError ? { body: page(error.description), headers: PRODUCT_PAGE_HEADERS } : undefined,
      );
    },

    /**
     * It is the user: the current password is right, or it was left empty after a recent login. A wrong password
     * counts as a failed login of the account too, but only the user's own re-authentication counter and the IP
     * refuse (429 before any hashing): a stranger's wrong logins never lock a signed-in user out of their settings.
     */
    async reauthenticate(c: Context<SettingsEnv>, password: string | undefined): Promise<void> {
      const { user } = c.var.current;
      if (!password) {
        if (view(c).recentLogin) return;
        throw new SettingsError('reauthentication_required', 'Enter your current password to make this change.');
      }
      if (password.length > MAX_PASSWORD_LENGTH) {
        throw new SettingsError('wrong_password', 'That password is too long.');
      }
      const keys = [reauthKey('twilio', user.id), ipKey(clientAddress(c.env.incoming))] as const;
      const credentials = users.findCredentials(user.email);
      const verify = () => verifyPassword(credentials?.passwordHash, password);
      if (!(await throttle.checkCredential(keys, verify, { alsoCounts: [accountKey(user.email)] }))) {
        throw new SettingsError('wrong_password', 'Your current password is not correct.');
      }
    },

    /**
     * An organization's member changes neither their email (the organization's, by SCIM) nor, with SSO enforced,
     * a password they do not have: either would let them sign in around the organization's identity provider.
     */
    refuseIfManaged(c: Context<SettingsEnv>, what: 'email' | 'password'): void {
      const managed = managedBy(c.var.current.user);
      if (!managed || (what === 'password' && !managed.enforced)) return;
      const text = what === 'email' ? managedEmailText : managedPasswordText;
      throw new SettingsError('managed_by_organization', text(managed.organization));
    },

    /** An address on an organization's verified domain is that organization's to give (by SCIM), no one else's. */
    refuseOrganizationAddress(email: string): void {
      const organization = deps.organizations.organizations.forEmail(email);
      if (!organization) return;
      throw new SettingsError(
        'email_domain_managed',
        `Addresses at ${emailDomain(email)} are managed by ${organization.name}: its administrator gives them out. Use another email.`,
      );
    },

    /**
     * A second factor (TOTP or recovery code) asked of the signed-in user, throttled like `reauthenticate` on a
     * counter of its own (a right password does not reset it); true when `verify` accepted it.
     */
    checkSecondFactor(c: Context<SettingsEnv>, verify: () => boolean): Promise<boolean> {
      const { user } = c.var.current;
      const keys = [reauthKey('twilio-2fa', user.id), ipKey(clientAddress(c.env.incoming))] as const;
      return throttle.checkCredential(keys, verify, { alsoCounts: [accountKey(user.email)] });
    },
  };
}
