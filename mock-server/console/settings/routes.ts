/**
 * The Console's account settings (DESIGN.md §2.5–2.6) for the signed-in Twilio user: change email (verified by
 * a link sent to the new address), change password (ends every other session and revokes tokens), and 2FA on/off
 * with recovery codes. Every change asks for the current password, unless the user signed in less than 5 minutes
 * ago (the ID token's `auth_time`); wrong passwords count against the login throttle (429 + Retry-After).
 *
 * Every POST is same-origin (middleware of the Console), carries the session's CSRF token, and answers a success
 * with 303; a refused change re-renders its form with the reason and a 4xx status.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import type Provider from 'oidc-provider';
import { EmailChanges, validNewEmail } from '../../accounts/email-change';
import { accountKey, ipKey, LoginThrottle } from '../../accounts/login-throttle';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { RecoveryCodes } from '../../accounts/recovery-codes';
import { SettingsError } from '../../accounts/settings-errors';
import { TwoFactor } from '../../accounts/two-factor';
import type { User, UserStore } from '../../accounts/users';
import { idTokenSession } from '../../backchannel-logout';
import { WorldError } from '../../errors';
import { PRODUCT_PAGE_HEADERS } from '../../html';
import { AccountSessions } from '../../identity/end-sessions';
import { sendMail, sendNotice } from '../../mailbox/mailbox';
import { isTimeZone } from '../../products/product-users';
import type { RelyingParty, RpSession } from '../../relying-party';
import { readForm, tokensMatch } from '../../security';
import type { Db } from '../../storage/database';
import {
  confirmEmailPage,
  DONE_MESSAGES,
  type DoneMessage,
  emailPage,
  linkProblemPage,
  overviewPage,
  passwordPage,
  recoveryCodesPage,
  type SettingsView,
  twoFactorOffPage,
  twoFactorOnPage,
  twoFactorSetupPage,
} from './pages';

type Current = { session: RpSession; user: User };
type Env = { Bindings: HttpBindings; Variables: { current: Current } };

/** A login this recent stands in for the current password. */
export const RECENT_LOGIN_MS = 5 * 60_000;
export const MIN_PASSWORD_LENGTH = 12;

export interface SettingsDeps {
  rp: RelyingParty;
  db: Db;
  users: UserStore;
  provider: Provider;
  clock: () => number;
  /** `http://console.twilio.localhost:<port>`, for the links in mail. */
  consoleOrigin: string;
}

export function settingsRoutes({ rp, db, users, provider, clock, consoleOrigin }: SettingsDeps): Hono<Env> {
  const app = new Hono<Env>();
  const throttle = new LoginThrottle(db, clock);
  const recoveryCodes = new RecoveryCodes(db, clock);
  const twoFactor = new TwoFactor(db, users, recoveryCodes, clock);
  const emailChanges = new EmailChanges(db, clock);
  const accountSessions = new AccountSessions(provider, db);

  const render = (c: Context<Env>, body: string, status: 200 | 400 | 403 | 409 = 200) =>
    c.body(body, status, PRODUCT_PAGE_HEADERS);
  const seeOther = (c: Context<Env>, location: string) =>
    c.body(null, 303, { Location: location, 'Cache-Control': 'no-store' });

  function viewFor(session: RpSession, user: User, error?: string): SettingsView {
    const { authTime } = idTokenSession(session.idToken);
    const recentLogin = authTime !== undefined && clock() - authTime * 1000 < RECENT_LOGIN_MS;
    return { session, user, recentLogin, error };
  }

  /** The signed-in session and its Twilio user, or a redirect to sign in (GET) / to the settings (POST). */
  /**
   * Every settings route needs a signed-in Console user: signed-out GETs go through the Twilio login and come
   * back, other requests go to the overview. The user is then `c.var.current`.
   */
  const requireSignedIn: MiddlewareHandler<Env> = async (c, next) => {
    const session = rp.currentSession(c);
    const user = session && users.findById(session.sub);
    if (!session || !user) {
      if (c.req.method === 'GET') {
        const query = new URL(c.req.url).search;
        return rp.startSignIn(c, { returnTo: `${c.req.path}${query}` });
      }
      return seeOther(c, '/settings');
    }
    c.set('current', { session, user });
    await next();
  };
  app.use('/settings', requireSignedIn);
  app.use('/settings/*', requireSignedIn);

  async function checkedForm(c: Context<Env>, session: RpSession): Promise<Record<string, string>> {
    const form = await readForm(c.req.raw);
    if (!tokensMatch(session.csrfToken, form.csrf)) {
      throw new WorldError('csrf_token_invalid', 'The form has expired. Reload the page and try again.');
    }
    return form;
  }

  /**
   * It is the user: the current password is right, or it was left empty after a recent login. A wrong password is
   * a failed login attempt for the throttle; a throttled account or IP gets 429 before any hashing.
   */
  async function reauthenticate(c: Context<Env>, view: SettingsView, password: string | undefined): Promise<void> {
    if (!password) {
      if (view.recentLogin) return;
      throw new SettingsError('reauthentication_required', 'Enter your current password to make this change.');
    }
    if (password.length > MAX_PASSWORD_LENGTH) throw new SettingsError('wrong_password', 'That password is too long.');
    const keys = [accountKey(view.user.email), ipKey(c.env.incoming.socket.remoteAddress ?? 'unknown')];
    const wait = throttle.retryAfterSeconds(keys);
    if (wait > 0) {
      throw new WorldError('too_many_attempts', 'Too many wrong passwords. Wait a little before trying again.', {
        retryAfterSeconds: wait,
      });
    }
    const credentials = users.findCredentials(view.user.email);
    if (!(await verifyPassword(credentials?.passwordHash, password))) {
      throttle.recordFailure(keys);
      throw new SettingsError('wrong_password', 'Your current password is not correct.');
    }
    throttle.recordSuccess(keys[0]!);
  }

  /** Runs a POST's change; a `SettingsError` re-renders the form with its message and status. */
  async function attempt(
    c: Context<Env>,
    change: () => Promise<Response>,
    form: (error: string) => string,
  ): Promise<Response> {
    try {
      return await change();
    } catch (error) {
      if (error instanceof SettingsError) return render(c, form(error.message), error.status);
      throw error;
    }
  }

  app.get('/settings', async (c) => {
    const current = c.var.current;
    const done = c.req.query('done');
    return render(
      c,
      overviewPage({
        ...viewFor(current.session, current.user),
        done: done && done in DONE_MESSAGES ? (done as DoneMessage) : undefined,
        twoFactorCodesLeft: recoveryCodes.remaining(current.user.id),
      }),
    );
  });

  // Timezone: the Console's own (Segment and SendGrid keep theirs); no password needed.

  app.post('/settings/timezone', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const zone = (form.timezone ?? '').trim();
    if (!isTimeZone(zone)) {
      const view = viewFor(current.session, current.user, `"${zone.slice(0, 64)}" is not a time zone we know.`);
      const twoFactorCodesLeft = recoveryCodes.remaining(current.user.id);
      return render(c, overviewPage({ ...view, twoFactorCodesLeft, timezone: zone.slice(0, 64) }), 400);
    }
    users.setTimezone(current.user.id, zone);
    return seeOther(c, '/settings?done=timezone');
  });

  // Email

  app.get('/settings/email', async (c) => {
    const current = c.var.current;
    return render(c, emailPage(viewFor(current.session, current.user)));
  });

  app.post('/settings/email', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const view = viewFor(current.session, current.user);
    return attempt(
      c,
      async () => {
        const newEmail = validNewEmail(form.new_email ?? '', current.user.email);
        await reauthenticate(c, view, form.current_password);
        const { token } = emailChanges.request(current.user.id, newEmail);
        const link = `${consoleOrigin}/settings/email/verify?token=${encodeURIComponent(token)}`;
        sendMail(
          db,
          {
            to: newEmail,
            kind: 'email_verification',
            subject: 'Confirm your new Twilio email',
            body: `Open this link within 30 minutes to use ${newEmail} for your Twilio login (Console, Segment and SendGrid). If you did not ask for this, ignore this message.`,
            link,
          },
          clock(),
        );
        sendNotice(db, { to: current.user.email, kind: 'email_change_requested', newEmail }, clock());
        return seeOther(c, '/settings?done=email-sent');
      },
      (error) => emailPage({ ...view, error }, form.new_email ?? ''),
    );
  });

  app.get('/settings/email/verify', async (c) => {
    const current = c.var.current;
    const token = c.req.query('token') ?? '';
    const view = viewFor(current.session, current.user);
    try {
      const pending = emailChanges.check(token, current.user.id);
      return render(c, confirmEmailPage(view, token, pending.newEmail));
    } catch (error) {
      if (error instanceof SettingsError)
        return render(c, linkProblemPage({ ...view, error: error.message }), error.status);
      throw error;
    }
  });

  app.post('/settings/email/verify', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const view = viewFor(current.session, current.user);
    return attempt(
      c,
      async () => {
        const { oldEmail, newEmail } = emailChanges.confirm(form.token ?? '', current.user.id);
        // The Console shows the email from its sessions: keep them current.
        db.prepare(
          `UPDATE rp_sessions SET data = json_set(data, '$.email', ?)
           WHERE site = 'console' AND kind = 'session' AND json_extract(data, '$.sub') = ?`,
        ).run(newEmail, current.user.id);
        sendNotice(db, { to: oldEmail, kind: 'email_changed', newEmail }, clock());
        sendNotice(db, { to: newEmail, kind: 'email_changed', newEmail }, clock());
        return seeOther(c, '/settings?done=email-changed');
      },
      (error) => linkProblemPage({ ...view, error }),
    );
  });

  // Password

  app.get('/settings/password', async (c) => {
    const current = c.var.current;
    return render(c, passwordPage(viewFor(current.session, current.user)));
  });

  app.post('/settings/password', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const view = viewFor(current.session, current.user);
    return attempt(
      c,
      async () => {
        const next = form.new_password ?? '';
        if (next.length < MIN_PASSWORD_LENGTH || next.length > MAX_PASSWORD_LENGTH) {
          throw new SettingsError(
            'weak_password',
            `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.`,
          );
        }
        if (next !== form.confirm_password) {
          throw new SettingsError('passwords_differ', 'The new password and its confirmation are different.');
        }
        await reauthenticate(c, view, form.current_password);
        const passwordHash = await hashPassword(next);
        db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, current.user.id);
        await endOtherSessions(current.session);
        sendNotice(db, { to: current.user.email, kind: 'password_changed' }, clock());
        return seeOther(c, '/settings?done=password-changed');
      },
      (error) => passwordPage({ ...view, error }),
    );
  });

  /**
   * After a password change: every other IdP session of the user ends (with back-channel logouts to the products
   * they reached), every grant is revoked (refresh and access tokens, the extension's included), and every other
   * Console session ends. This browser stays signed in.
   */
  async function endOtherSessions(session: RpSession): Promise<void> {
    const { sid } = idTokenSession(session.idToken);
    await accountSessions.endIdpSessions(session.sub, sid ? { keepSid: sid } : {});
    await accountSessions.revokeGrants(session.sub, { reason: 'password_changed' });
    db.prepare(
      `DELETE FROM rp_sessions WHERE site = 'console' AND kind = 'session' AND id <> ?
       AND json_extract(data, '$.sub') = ?`,
    ).run(session.id, session.sub);
  }

  // Two-factor authentication

  app.get('/settings/two-factor', async (c) => {
    const current = c.var.current;
    const view = viewFor(current.session, current.user);
    return render(
      c,
      current.user.totpSecret
        ? twoFactorOnPage(view, recoveryCodes.remaining(current.user.id))
        : twoFactorOffPage(view),
    );
  });

  app.post('/settings/two-factor/setup', async (c) => {
    const current = c.var.current;
    await checkedForm(c, current.session);
    if (current.user.totpSecret) return seeOther(c, '/settings/two-factor');
    twoFactor.start(current.user.id, current.user.email);
    return seeOther(c, '/settings/two-factor/setup');
  });

  app.get('/settings/two-factor/setup', async (c) => {
    const current = c.var.current;
    const enrolment = twoFactor.pending(current.user.id, current.user.email);
    if (current.user.totpSecret || !enrolment) return seeOther(c, '/settings/two-factor');
    return render(c, twoFactorSetupPage(viewFor(current.session, current.user), enrolment));
  });

  app.post('/settings/two-factor/enable', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const view = viewFor(current.session, current.user);
    const enrolment = twoFactor.pending(current.user.id, current.user.email);
    return attempt(
      c,
      async () => {
        await reauthenticate(c, view, form.current_password);
        twoFactor.enable(current.user.id, form.code ?? '');
        sendNotice(db, { to: current.user.email, kind: 'two_factor_on' }, clock());
        return seeOther(c, '/settings/two-factor/recovery-codes');
      },
      (error) => (enrolment ? twoFactorSetupPage({ ...view, error }, enrolment) : twoFactorOffPage({ ...view, error })),
    );
  });

  app.get('/settings/two-factor/recovery-codes', async (c) => {
    const current = c.var.current;
    const codes = twoFactor.takeRevealedCodes(current.user.id);
    return render(c, recoveryCodesPage(viewFor(current.session, current.user), codes));
  });

  app.post('/settings/two-factor/disable', async (c) => {
    const current = c.var.current;
    const form = await checkedForm(c, current.session);
    const view = viewFor(current.session, current.user);
    return attempt(
      c,
      async () => {
        if ((form.code ?? '').length > 32) throw new SettingsError('invalid_code', 'That code is too long.');
        await reauthenticate(c, view, form.current_password);
        twoFactor.disable(current.user.id, form.code ?? '');
        sendNotice(db, { to: current.user.email, kind: 'two_factor_off' }, clock());
        return seeOther(c, '/settings?done=two-factor-off');
      },
      (error) =>
        current.user.totpSecret
          ? twoFactorOnPage({ ...view, error }, recoveryCodes.remaining(current.user.id))
          : twoFactorOffPage({ ...view, error }),
    );
  });

  return app;
}
