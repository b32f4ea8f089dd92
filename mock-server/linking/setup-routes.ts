/**
 * `/setup/segment` and `/setup/sendgrid` on the login host, where the switcher sends a Twilio user the first time
 * they choose a product. Requires the Twilio login session of this browser: without one, the user goes through the
 * product's "continue with Twilio" (IdP login), whose callback sends an unlinked user back here.
 *
 * Every POST: same-origin only, capped body, Twilio session, limited release (403 for ineligible users, even when
 * called directly), CSRF token of the session, then the set-up; success is a 303 to the product's
 * "continue with Twilio", which the Twilio session makes silent. Wrong Segment passwords count as failed logins of
 * that Segment user, but only the Twilio user's own counter refuses a link (see the link route).
 */

import { Hono } from 'hono';
import { ipKey, productAccountKey, reauthKey } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH } from '../accounts/passwords';
import { AccessRefusal, RequestError, SetupRefusal } from '../errors';
import { PAGE_HEADERS } from '../html';
import { formOnly, seeOther } from '../responses';
import { checkedForm, clientAddress, sameOriginOnly } from '../security';
import { productParam, type SetupDeps, type SetupEnv, setupKit } from './setup-kit';

export type { SetupDeps } from './setup-kit';

export function setupRoutes(deps: SetupDeps): Hono<SetupEnv> {
  const kit = setupKit(deps);
  const { setups, throttle, accessRequests } = kit;
  const app = new Hono<SetupEnv>();
  app.use('/setup/*', sameOriginOnly(deps.loginOrigin));

  for (const action of ['link', 'create', 'request-access']) {
    formOnly(app, `/setup/:product/${action}`, 'Open the set-up page from the product switcher to continue.');
  }

  app.get('/setup/:product', async (c) => {
    const product = productParam(c);
    const session = await kit.setupUser(c, product);
    if (session instanceof Response) return session;
    if (setups.linkedUser(product, session.user.id)) return kit.intoProduct(c, product);
    return c.body(kit.setupPage(product, session, {}), 200, PAGE_HEADERS);
  });

  app.post('/setup/:product/link', async (c) => {
    const product = productParam(c);
    const session = await kit.setupUser(c, product);
    if (session instanceof Response) return session;
    if (product !== 'segment') {
      // Reached only by a hand-made request (the page has no such form): the set-up page says why.
      kit.showRefusalsOnSetup(c, product, session);
      throw new SetupRefusal(
        'linking_not_available',
        "Existing SendGrid users can't be linked to a Twilio login. Create a new SendGrid user here instead; your existing one keeps signing in with its own email and password.",
      );
    }
    const form = await checkedForm(c.req.raw, kit.csrfTokenOf(session));
    kit.showRefusalsOnSetup(c, product, session);
    const password = form.password ?? '';
    if (!password) throw new SetupRefusal('password_required', 'Enter the Segment password.');
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');

    // Proving the Segment password inside the Twilio session is a re-authentication: refused only by this Twilio
    // user's own counter (and the IP's), never by the Segment user's lockout that strangers on Segment's login can
    // fill. A wrong password still counts on that Segment user, so its login form stays as limited as ever.
    const keys = [reauthKey('segment', session.user.id), ipKey(clientAddress(c.env.incoming))] as const;
    const alsoCounts = [productAccountKey('segment', session.user.email)];
    let wrongPassword: SetupRefusal | undefined;
    const linked = await throttle.checkCredential(
      keys,
      async () => {
        try {
          await setups.linkSegmentUser(session.user, password);
          return true;
        } catch (error) {
          if (!(error instanceof SetupRefusal && error.code === 'wrong_password')) throw error;
          wrongPassword = error;
          return false;
        }
      },
      { alsoCounts },
    );
    if (!linked && wrongPassword) throw wrongPassword;
    return kit.intoProduct(c, product);
  });

  /** Limited release: ask support for unified login; back to the set-up page, which then says it was asked. */
  app.post('/setup/:product/request-access', async (c) => {
    const product = productParam(c);
    const session = await kit.twilioUser(c, product);
    if (session instanceof Response) return session;
    await checkedForm(c.req.raw, kit.csrfTokenOf(session));
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
    const session = await kit.setupUser(c, product);
    if (session instanceof Response) return session;
    const form = await checkedForm(c.req.raw, kit.csrfTokenOf(session));
    const name = product === 'segment' ? form.workspace : form.account;
    kit.showRefusalsOnSetup(c, product, session, name);
    if (product === 'segment') setups.createSegmentUser(session.user, name);
    else setups.createSendGridUser(session.user, name);
    return kit.intoProduct(c, product);
  });

  return app;
}
