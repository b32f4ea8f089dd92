/**
 * SAML routes on the Twilio login host:
 * - `/saml/<organization>/metadata` — the SP metadata an organization gives its IdP;
 * - `/saml/<organization>/acs` — the Assertion Consumer Service (HTTP-POST binding, cross-site from the IdP);
 * - `/interaction/<uid>/sso` — starts an SP-initiated sign-in for the email of the current sign-in;
 * - `/interaction/<uid>/sso/complete` and `/saml/complete` — finish a verified sign-in in the user's browser.
 *
 * The ACS is reached by a cross-site POST, which carries no SameSite=Lax cookie; so it verifies the response,
 * stores the result under a single-use ticket, and redirects (a top-level GET, which carries the cookies) to a
 * page that finishes the sign-in only for the browser's own sign-in.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type Provider from 'oidc-provider';
import { errors as oidcErrors } from 'oidc-provider';
import type { UserStore } from '../accounts/users';
import { RequestError, SsoRefusal } from '../errors';
import { PAGE_HEADERS } from '../html';
import type { LoginSteps } from '../identity/login-steps';
import { currentTwilioSession, sessionCsrfToken } from '../linking/twilio-session';
import type { OrganizationStore } from '../organizations/organizations';
import type { SigningIdentity } from '../saml/certificates';
import { assertCsrfToken, assertSameOrigin, readForm } from '../security';
import type { SamlState } from './saml-state';
import { authnRequestUrl, serviceProviderMetadata, serviceProviderUrls, verifySamlResponse } from './service-provider';
import type { SsoDirectory } from './sso-directory';
import { switchAccountPage } from './switch-account-page';

type Env = { Bindings: HttpBindings };

/** Carries an IdP-initiated sign-in to the sign-in page the Console starts next. */
export const SSO_TICKET_COOKIE = 'twilio_sso_ticket';
/** The Console's route that starts a fresh sign-in (`prompt=login`) for an IdP-initiated SSO. */
export const CONSOLE_SSO_SIGN_IN_PATH = '/sso/sign-in';
/** How the ID token says the user signed in: federated, at their organization's identity provider. */
export const SSO_AMR = ['fed'];

export interface SsoRouteDeps {
  provider: Provider;
  users: UserStore;
  steps: LoginSteps;
  sso: SsoDirectory;
  samlState: SamlState;
  organizations: OrganizationStore;
  clock: () => number;
  loginOrigin: string;
  consoleOrigin: string;
  /** The key of the login host's session-bound CSRF tokens (the account-switch confirmation). */
  csrfKey: string;
  /** Twilio's SP signing key and certificate (signs AuthnRequests; in every organization's SP metadata). */
  spSigning: SigningIdentity;
}

const seeOther = (c: Context<Env>, location: string) =>
  c.body(null, 303, { Location: location, 'Cache-Control': 'no-store' });

/** Finishes the browser's current sign-in as `userId`, signed in at the organization's IdP. */
export async function finishSsoLogin(c: Context<Env>, deps: SsoRouteDeps, uid: string, userId: string) {
  const user = deps.users.findById(userId);
  if (!user?.active) throw new SsoRefusal('saml_user_deactivated', 'This user has been deactivated.');
  deps.steps.finish(uid);
  const returnTo = await deps.provider.interactionResult(
    c.env.incoming,
    c.env.outgoing,
    { login: { accountId: user.id, amr: SSO_AMR } },
    { mergeWithLastSubmission: false },
  );
  return seeOther(c, returnTo);
}

export function ssoRoutes(deps: SsoRouteDeps): Hono<Env> {
  const { provider, steps, sso, samlState, organizations, loginOrigin } = deps;
  const app = new Hono<Env>();

  async function interactionOf(c: Context<Env>) {
    try {
      const interaction = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
      if (interaction.uid === c.req.param('uid')) return interaction;
    } catch (cause) {
      if (!(cause instanceof oidcErrors.OIDCProviderError) || cause.statusCode >= 500) throw cause;
    }
    throw new RequestError('interaction_expired', 'This sign-in has expired. Go back to the app and start again.');
  }

  function organizationOf(c: Context<Env>) {
    const organization = organizations.findById(c.req.param('organization') ?? '');
    if (!organization) throw new RequestError('not_found', 'There is no such organization.');
    return organization;
  }

  app.get('/saml/:organization/metadata', (c) => {
    const organization = organizationOf(c);
    return c.body(serviceProviderMetadata(serviceProviderUrls(loginOrigin, organization.id), deps.spSigning), 200, {
      'Content-Type': 'application/samlmetadata+xml',
      'Cache-Control': 'no-cache',
    });
  });

  // Its body limit (MAX_SAML_FORM_BYTES) is set at the server's edge (app.ts), like every other route's.
  app.post('/saml/:organization/acs', async (c) => {
    const organization = organizationOf(c);
    const connection = sso.connections.find(organization.id);
    if (!connection)
      throw new SsoRefusal('sso_not_configured', 'This organization has no identity provider connected.');
    const form = await readForm(c.req.raw);
    if (!form.SAMLResponse) throw new SsoRefusal('saml_malformed', 'The form has no SAMLResponse.');
    const verified = await verifySamlResponse(
      form.SAMLResponse,
      connection,
      serviceProviderUrls(loginOrigin, organization.id),
      deps,
    );
    const { interactionUid } = verified;
    if (verified.refusal) {
      // An SP-initiated sign-in says why on its own page (a sign-in window must not end on an error status).
      if (!interactionUid) throw verified.refusal;
      steps.refuseSso(interactionUid, verified.refusal.description);
      return seeOther(c, `/interaction/${interactionUid}`);
    }
    const ticket = samlState.issueTicket(verified.user.id, interactionUid);
    return seeOther(
      c,
      interactionUid
        ? `/interaction/${interactionUid}/sso/complete?ticket=${ticket}`
        : `/saml/complete?ticket=${ticket}`,
    );
  });

  /**
   * IdP-initiated: the Console starts a sign-in with `prompt=login`, which the ticket (in a cookie) completes — so
   * a Console or IdP session of someone else is never kept silently. When this browser is signed in to Twilio as
   * another user, nothing happens until the person confirms (an unsolicited response must not swap who is signed
   * in behind their back, the login-CSRF risk of IdP-initiated SSO); confirming lets oidc-provider sign the
   * current user out (back-channel logout to every product) before the new one is signed in.
   */
  function continueAtConsole(c: Context<Env>, ticket: string) {
    setCookie(c, SSO_TICKET_COOKIE, ticket, { httpOnly: true, sameSite: 'Lax', path: '/interaction', maxAge: 120 });
    return seeOther(c, `${deps.consoleOrigin}${CONSOLE_SSO_SIGN_IN_PATH}`);
  }

  function idpInitiatedTicketUser(ticket: string): string {
    const userId = /^[\w-]{32}$/.test(ticket) ? samlState.idpInitiatedUser(ticket) : undefined;
    if (!userId) {
      throw new RequestError(
        'interaction_expired',
        'This single sign-on has expired or was used already. Start again from your identity provider.',
      );
    }
    return userId;
  }

  app.get('/saml/complete', async (c) => {
    const ticket = c.req.query('ticket') ?? '';
    const userId = idpInitiatedTicketUser(ticket);
    const current = await currentTwilioSession(provider, deps.users, c.env.incoming, c.env.outgoing);
    const ssoUser = deps.users.findById(userId);
    if (!current || !ssoUser || current.user.id === userId) return continueAtConsole(c, ticket);
    const organization = organizations.ofUser(userId)?.organization.name ?? 'Your organization';
    const body = switchAccountPage({
      signedInEmail: current.user.email,
      ssoEmail: ssoUser.email,
      organization,
      ticket,
      csrfToken: sessionCsrfToken(deps.csrfKey, current, 'sso-switch'),
      consoleHome: `${deps.consoleOrigin}/`,
    });
    return c.body(body, 200, PAGE_HEADERS);
  });

  app.post('/saml/complete', async (c) => {
    assertSameOrigin(c.req.raw.headers, loginOrigin);
    const form = await readForm(c.req.raw);
    const ticket = form.ticket ?? '';
    idpInitiatedTicketUser(ticket);
    const current = await currentTwilioSession(provider, deps.users, c.env.incoming, c.env.outgoing);
    if (current) assertCsrfToken(sessionCsrfToken(deps.csrfKey, current, 'sso-switch'), form.csrf);
    return continueAtConsole(c, ticket);
  });

  app.get('/interaction/:uid/sso', async (c) => {
    const interaction = await interactionOf(c);
    const step = steps.ensure(interaction.uid, interaction.exp * 1000);
    const choice = step.email ? sso.forEmail(step.email) : undefined;
    if (!step.email || !choice) return seeOther(c, `/interaction/${interaction.uid}`);
    const urls = serviceProviderUrls(loginOrigin, choice.organization.id);
    const requestId = samlState.newRequest(choice.organization.id, interaction.uid);
    const request = { id: requestId, loginHint: step.email, signing: deps.spSigning };
    return seeOther(c, await authnRequestUrl(urls, choice.connection, request));
  });

  app.get('/interaction/:uid/sso/complete', async (c) => {
    const interaction = await interactionOf(c);
    const userId = samlState.redeemTicket(c.req.query('ticket') ?? '', interaction.uid);
    if (!userId) throw new RequestError('interaction_expired', 'This single sign-on has expired. Start again.');
    return finishSsoLogin(c, deps, interaction.uid, userId);
  });

  return app;
}

/** The ticket an IdP-initiated sign-in left for this browser, if any (read once by the sign-in page). */
export function idpInitiatedTicket(c: Context<Env>): string | undefined {
  return getCookie(c, SSO_TICKET_COOKIE);
}
