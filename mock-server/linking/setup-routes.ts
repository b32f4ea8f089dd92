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
import type { SetupProductId } from '../../contract/catalogue';
import { continueWithTwilioUrl } from '../../contract/product-pages';
import type { AccessRequests } from '../access/access-requests';
import { ipKey, type LoginThrottle, productAccountKey } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords';
import type { UserStore } from '../accounts/users';
import { refusedWith, showRefusalsOn } from '../error-response';
import { AccessRefusal, RequestError, SetupRefusal } from '../errors';
import { PAGE_HEADERS } from '../html';
import { formOnly, seeOther } from '../responses';
import { checkedForm, clientAddress, sameOriginOnly } from '../security';
import type { ProductSetups } from './product-setups';
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
  accessRequests: AccessRequests;
}

function productParam(c: Context<Env>): SetupProductId {
  const id = c.req.param('product');
  if (id !== 'segment' && id !== 'sendgrid') throw new RequestError('not_found', 'There is nothing to set up here.');
  return id;
}

export function setupRoutes(deps: SetupDeps): Hono<Env> {
  const { provider, users, setups, throttle, port, csrfKey, accessRequests } = deps;
  const app = new Hono<Env>();
  app.use('/setup/*', sameOriginOnly(deps.loginOrigin));

  function setupPage(
    product: SetupProductId,
    session: TwilioSession,
    { alert, name }: { alert?: string; name?: string },
  ) {
    const input = {
      twilio: session.user,
      csrfToken: setupCsrfToken(csrfKey, session),
      sameEmail: setups.userWithSameEmail(product, session.user),
      port,
      ...(alert ? { alert } : {}),
      ...(name ? { name } : {}),
    };
    return product === 'segment' ? segmentSetupPage(input) : sendgridSetupPage(input);
  }

  /**
   * Refusals of a set-up POST show the set-up page again with the reason (keeping the name typed), and a throttled
   * password its own "too many attempts" page.
   */
  function showRefusalsOnSetup(c: Context<Env>, product: SetupProductId, session: TwilioSession, name?: string) {
    showRefusalsOn(c, (error) => {
      if (error.code === 'too_many_attempts') {
        return { body: tooManyAttemptsPage(product, error.retryAfterSeconds ?? 1, port), headers: PAGE_HEADERS };
      }
      if (!(error instanceof SetupRefusal)) return undefined;
      const kept = name ? { name: name.slice(0, 64) } : {};
      return { body: setupPage(product, session, { alert: error.description, ...kept }), headers: PAGE_HEADERS };
    });
  }

  /** The signed-in Twilio user of a set-up request, or a redirect to sign in first. */
  async function twilioUser(c: Context<Env>, product: SetupProductId): Promise<TwilioSession | Response> {
    const session = await currentTwilioSession(provider, users, c.env.incoming, c.env.outgoing);
    if (session) return session;
    if (c.req.method !== 'GET') throw new RequestError('forbidden', 'Sign in to Twilio first, then set up again.');
    return seeOther(c, continueWithTwilioUrl(product, port, '/'));
  }

  /**
   * The signed-in, eligible Twilio user of a set-up request, or a redirect to sign in first. Users outside the
   * limited release get 403 with the page where they can request access (or see their request).
   */
  async function setupUser(c: Context<Env>, product: SetupProductId): Promise<TwilioSession | Response> {
    const session = await twilioUser(c, product);
    if (session instanceof Response || session.user.eligible) return session;
    const refusal = new RequestError('forbidden', 'Using this product with your Twilio login is in limited release.');
    const body = notEligiblePage({
      productId: product,
      twilio: session.user,
      csrfToken: setupCsrfToken(csrfKey, session),
      request: accessRequests.latestOf(session.user.id),
      port,
    });
    refusedWith(c, refusal, { body, headers: PAGE_HEADERS });
  }

  /** Set up: into the product, signed in through the Twilio session (no password prompt). */
  const intoProduct = (c: Context<Env>, product: SetupProductId) =>
    seeOther(c, continueWithTwilioUrl(product, port, '/'));

  for (const action of ['link', 'create', 'request-access']) {
    formOnly(app, `/setup/:product/${action}`, 'Open the set-up page from the product switcher to continue.');
  }

  app.get('/setup/:product', async (c) => {
    const product = productParam(c);
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    if (setups.linkedUser(product, session.user.id)) return intoProduct(c, product);
    return c.body(setupPage(product, session, {}), 200, PAGE_HEADERS);
  });

  app.post('/setup/:product/link', async (c) => {
    const product = productParam(c);
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    if (product !== 'segment') {
      // Reached only by a hand-made request (the page has no such form): the set-up page says why.
      showRefusalsOnSetup(c, product, session);
      throw new SetupRefusal(
        'linking_not_available',
        "Existing SendGrid users can't be linked to a Twilio login. Create a new SendGrid user here instead; your existing one keeps signing in with its own email and password.",
      );
    }
    const form = await checkedForm(c.req.raw, setupCsrfToken(csrfKey, session));
    showRefusalsOnSetup(c, product, session);
    const password = form.password ?? '';
    if (!password) throw new SetupRefusal('password_required', 'Enter the Segment password.');
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');

    // Guessing a Segment password here is a login attempt on that Segment user: same throttle as its login form.
    const keys = [productAccountKey('segment', session.user.email), ipKey(clientAddress(c.env.incoming))] as const;
    let wrongPassword: SetupRefusal | undefined;
    const linked = await throttle.checkCredential(keys, async () => {
      try {
        await setups.linkSegmentUser(session.user, password);
        return true;
      } catch (error) {
        if (!(error instanceof SetupRefusal && error.code === 'wrong_password')) throw error;
        wrongPassword = error;
        return false;
      }
    });
    if (!linked && wrongPassword) throw wrongPassword;
    return intoProduct(c, product);
  });

  /** Limited release: ask support for unified login; back to the set-up page, which then says it was asked. */
  app.post('/setup/:product/request-access', async (c) => {
    const product = productParam(c);
    const session = await twilioUser(c, product);
    if (session instanceof Response) return session;
    await checkedForm(c.req.raw, setupCsrfToken(csrfKey, session));
    try {
      accessRequests.request(session.user);
    } catch (error) {
      // Already eligible (e.g. granted in another tab): the set-up page itself is the answer.
      if (!(error instanceof AccessRefusal)) throw error;
    }
    return seeOther(c, `/setup/${product}`);
  });

  app.post('/setup/:product/create', async (c) => {
    const product = productParam(c);
    const session = await setupUser(c, product);
    if (session instanceof Response) return session;
    const form = await checkedForm(c.req.raw, setupCsrfToken(csrfKey, session));
    const name = product === 'segment' ? form.workspace : form.account;
    showRefusalsOnSetup(c, product, session, name);
    if (product === 'segment') setups.createSegmentUser(session.user, name);
    else setups.createSendGridUser(session.user, name);
    return intoProduct(c, product);
  });

  return app;
}
