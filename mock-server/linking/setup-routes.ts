/**
 * `/setup/segment` and `/setup/sendgrid` on the login host, where the switcher sends a Twilio user the first time
 * they choose a product. Requires the Twilio login session of this browser: without one, the user goes through the
 * product's "continue with Twilio" (IdP login), whose callback sends an unlinked user back here.
 *
 * Every POST: same-origin only, capped body, Twilio session, limited release (403 for ineligible users, even when
 * called directly), CSRF token of the session, then the set-up; success is a 303 to the product's
 * "continue with Twilio", which the Twilio session makes silent. Wrong Segment passwords count as failed logins.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import type Provider from 'oidc-provider';
import { ipKey, type LoginThrottle, productAccountKey } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords';
import type { UserStore } from '../accounts/users';
import { WorldError } from '../errors';
import { PAGE_HEADERS } from '../html';
import { continueWithTwilioUrl } from '../products/product-site';
import type { SetupProductId } from '../products/product-users';
import { readForm, sameOriginOnly, tokensMatch } from '../security';
import { type ProductSetups, SetupRefusal } from './product-setups';
import { notEligiblePage, segmentSetupPage, sendgridSetupPage, tooManyAttemptsPage } from './setup-pages';
import { currentTwilioSession, setupCsrfToken, type TwilioSession } from './twilio-session';

type Env = { Bindings: HttpBindings };

export interface SetupDeps {
  provider: Provider;
  users: UserStore;
  setups: ProductSetups;
  throttle: LoginThrottle;
  port: number;
  loginOrigin: string;
  csrfKey: string;
}

function productParam(c: Context<Env>): SetupProductId {
  const id = c.req.param('product');
  if (id !== 'segment' && id !== 'sendgrid') throw new WorldError('not_found', 'There is nothing to set up here.');
  return id;
}

export function setupRoutes(deps: SetupDeps): Hono<Env> {
  const { provider, users, setups, throttle, port, csrfKey } = deps;
  const app = new Hono<Env>();
  app.use('/setup/*', sameOriginOnly(deps.loginOrigin));

  const respond = (c: Context<Env>, body: string, status: 200 | 400 | 401 | 403 | 409 | 429 = 200, extra = {}) =>
    c.body(body, status, { ...PAGE_HEADERS, ...extra });
  const seeOther = (c: Context<Env>, location: string) =>
    c.body(null, 303, { Location: location, 'Cache-Control': 'no-store' });

  function renderSetup(
    c: Context<Env>,
    product: SetupProductId,
    session: TwilioSession,
    { alert, name, status = 200 }: { alert?: string; name?: string; status?: 200 | 400 | 401 | 409 } = {},
  ) {
    const input = {
      twilio: session.user,
      csrfToken: setupCsrfToken(csrfKey, session),
      sameEmail: setups.userWithSameEmail(product, session.user),
      port,
      ...(alert ? { alert } : {}),
      ...(name ? { name } : {}),
    };
    return respond(c, product === 'segment' ? segmentSetupPage(input) : sendgridSetupPage(input), status);
  }

  /** The signed-in, eligible Twilio user of a set-up request; a response when there is none or they may not. */
  async function setupUser(c: Context<Env>, product: SetupProductId): Promise<TwilioSession | Response> {
    const session = await currentTwilioSession(provider, users, c.env.incoming, c.env.outgoing);
    if (!session) {
      if (c.req.method !== 'GET') throw new WorldError('forbidden', 'Sign in to Twilio first, then set up again.');
      return seeOther(c, continueWithTwilioUrl(product, port, '/'));
    }
    if (!session.user.eligible) return respond(c, notEligiblePage(product, port), 403);
    return session;
  }

  /** The form of a set-up POST, after the CSRF check (same-origin already ran as middleware). */
  async function checkedForm(c: Context<Env>, session: TwilioSession): Promise<Record<string, string>> {
    const form = await readForm(c.req.raw);
    if (!tokensMatch(setupCsrfToken(csrfKey, session), form.csrf)) {
      throw new WorldError('csrf_token_invalid', 'The form has expired. Reload the page and try again.');
    }
    return form;
  }

  /** Set up: into the product, signed in through the Twilio session (no password prompt). */
  const intoProduct = (c: Context<Env>, product: SetupProductId) =>
    seeOther(c, continueWithTwilioUrl(product, port, '/'));

  app.get('/setup/:product', async (c) => {
    const product = productParam(c);
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    if (setups.linkedUser(product, session.user.id)) return intoProduct(c, product);
    return renderSetup(c, product, session);
  });

  app.post('/setup/:product/link', async (c) => {
    const product = productParam(c);
    if (product !== 'segment') {
      throw new WorldError('not_found', "Existing SendGrid users can't be linked to a Twilio login: create one.");
    }
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    const form = await checkedForm(c, session);
    const password = form.password ?? '';
    if (!password) return renderSetup(c, product, session, { alert: 'Enter the Segment password.', status: 400 });
    if (password.length > MAX_PASSWORD_LENGTH) throw new WorldError('invalid_request', 'That password is too long.');

    // Guessing a Segment password here is a login attempt on that Segment user: same throttle as its login form.
    const keys = [productAccountKey('segment', session.user.email), ipKey(c.env.incoming.socket.remoteAddress ?? '')];
    const wait = throttle.retryAfterSeconds(keys);
    if (wait > 0) {
      return respond(c, tooManyAttemptsPage(product, wait, port), 429, { 'Retry-After': String(wait) });
    }
    try {
      await setups.linkSegmentUser(session.user, password);
    } catch (error) {
      if (!(error instanceof SetupRefusal)) throw error;
      if (error.code === 'wrong_password') throttle.recordFailure(keys);
      return renderSetup(c, product, session, { alert: error.message, status: error.status });
    }
    throttle.recordSuccess(keys[0]!);
    return intoProduct(c, product);
  });

  app.post('/setup/:product/create', async (c) => {
    const product = productParam(c);
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    const form = await checkedForm(c, session);
    const name = product === 'segment' ? form.workspace : form.account;
    try {
      if (product === 'segment') setups.createSegmentUser(session.user, name);
      else setups.createSendGridUser(session.user, name);
    } catch (error) {
      if (!(error instanceof SetupRefusal)) throw error;
      return renderSetup(c, product, session, {
        alert: error.message,
        status: error.status,
        ...(name ? { name: name.slice(0, 64) } : {}),
      });
    }
    return intoProduct(c, product);
  });

  return app;
}
