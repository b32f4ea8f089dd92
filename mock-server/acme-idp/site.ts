/**
 * sso.acme.localhost — Acme's own identity provider, one that an organization would run (like Okta or Entra):
 * its login page, its session, and SAML 2.0 SSO for the apps Acme registered (Twilio). SP-initiated sign-ins
 * arrive at /saml/sso; /start/<app> starts an IdP-initiated one.
 */
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { MAX_EMAIL_LENGTH, normaliseEmail } from '../../contract/email';
import { ipKey, type LoginThrottle } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../accounts/passwords';
import { errorResponse } from '../error-response';
import { RequestError } from '../errors';
import { PAGE_HEADERS } from '../html';
import type { NodeHandler } from '../node-handler';
import { readForm, sameOriginOnly, tokensMatch } from '../security';
import type { AcmeDirectory, AcmePerson, PendingSignIn } from './directory';
import type { AcmeIdentityProvider } from './identity-provider';
import { acmeHomePage, acmeLoginPage, POST_PAGE_HEADERS, postToServiceProviderPage } from './pages';

type Env = { Bindings: HttpBindings };

const SESSION_COOKIE = 'acme_session';

export interface AcmeSiteDeps {
  idp: AcmeIdentityProvider;
  directory: AcmeDirectory;
  throttle: LoginThrottle;
}

const acmeAccountKey = (email: string) => ({
  key: `acme-idp-account:${email}`,
  policy: { freeFailures: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000, decayMs: 15 * 60_000 },
});

export function acmeSite({ idp, directory, throttle }: AcmeSiteDeps): NodeHandler {
  const app = new Hono<Env>();
  app.use('*', sameOriginOnly(idp.origin));

  const sessionPerson = (c: Context<Env>) => directory.sessionPerson(getCookie(c, SESSION_COOKIE));

  /** Answers the sign-in: a signed Response POSTed to the SP, or the home page for a sign-in of the IdP itself. */
  function answer(c: Context<Env>, pending: PendingSignIn, person: AcmePerson) {
    if (!directory.finishSignIn(pending.id)) throw new RequestError('interaction_expired', 'This sign-in is over.');
    const sp = idp.serviceProvider(pending.spEntityId);
    if (!sp) return c.body(null, 303, { Location: '/', 'Cache-Control': 'no-store' });
    const body = postToServiceProviderPage(sp, idp.respond(sp, person, pending.requestId), pending.relayState);
    return c.body(body, 200, POST_PAGE_HEADERS);
  }

  function loginOrAnswer(c: Context<Env>, pending: PendingSignIn) {
    const person = sessionPerson(c);
    if (person) return answer(c, pending, person);
    const appName = idp.serviceProvider(pending.spEntityId)?.name;
    const page = acmeLoginPage({
      pendingId: pending.id,
      csrfToken: pending.csrfToken,
      appName,
      email: pending.loginHint ?? '',
      failed: false,
    });
    return c.body(page, 200, PAGE_HEADERS);
  }

  app.get('/', (c) => c.body(acmeHomePage(sessionPerson(c), idp.serviceProviders), 200, PAGE_HEADERS));

  app.get('/saml/metadata', (c) =>
    c.body(idp.metadata(), 200, { 'Content-Type': 'application/samlmetadata+xml', 'Cache-Control': 'no-cache' }),
  );

  /** SP-initiated: an AuthnRequest in the HTTP-Redirect binding. */
  app.get('/saml/sso', async (c) => {
    const url = c.req.url;
    const request = await idp.readAuthnRequest(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    const hint = c.req.query('login_hint');
    const relayState = c.req.query('RelayState');
    const pending = directory.startSignIn({
      spEntityId: request.sp.entityId,
      requestId: request.id,
      relayState: relayState ? relayState.slice(0, 80) : undefined,
      loginHint: hint && hint.length <= MAX_EMAIL_LENGTH ? normaliseEmail(hint) : undefined,
    });
    return loginOrAnswer(c, pending);
  });

  /** IdP-initiated: Acme's app tile for a registered SP (or the IdP's own sign-in). */
  app.get('/start/:app?', (c) => {
    const name = c.req.param('app');
    const sp = name
      ? idp.serviceProviders.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase())
      : undefined;
    if (name && !sp) throw new RequestError('not_found', 'Acme has no such app.');
    const pending = directory.startSignIn({
      spEntityId: sp?.entityId,
      requestId: undefined,
      relayState: undefined,
      loginHint: undefined,
    });
    return loginOrAnswer(c, pending);
  });

  app.post('/login', async (c) => {
    const form = await readForm(c.req.raw);
    const pending = directory.signIn(form.pending);
    if (!pending)
      throw new RequestError('interaction_expired', 'This sign-in has expired. Go back to the app and start again.');
    if (!tokensMatch(pending.csrfToken, form.csrf)) {
      throw new RequestError('csrf_token_invalid', 'The form has expired. Reload the page and try again.');
    }
    const email = normaliseEmail(form.email ?? '');
    const password = form.password ?? '';
    if (!email || !password) throw new RequestError('invalid_request', 'Enter your Acme email and password.');
    if (email.length > MAX_EMAIL_LENGTH || password.length > MAX_PASSWORD_LENGTH) {
      throw new RequestError('invalid_request', 'That email or password is too long.');
    }
    const keys = [acmeAccountKey(email), ipKey(c.env.incoming.socket.remoteAddress ?? 'unknown')] as const;
    const person = directory.person(email);
    // The same throttled check as the Twilio login's: parallel attempts are counted before any is verified.
    if (!(await throttle.checkCredential(keys, () => verifyPassword(person?.passwordHash, password))) || !person) {
      const appName = idp.serviceProvider(pending.spEntityId)?.name;
      const page = acmeLoginPage({ pendingId: pending.id, csrfToken: pending.csrfToken, appName, email, failed: true });
      return c.body(page, 400, PAGE_HEADERS);
    }
    setCookie(c, SESSION_COOKIE, directory.startSession(person.email), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
    });
    return answer(c, pending, person);
  });

  app.post('/sign-out', (c) => {
    directory.endSession(getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 303, { Location: '/', 'Cache-Control': 'no-store' });
  });

  app.notFound((c) => errorResponse(new RequestError('not_found', 'There is no page here.'), c, { json: false }));
  app.onError((error, c) => errorResponse(error, c, { json: false }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
