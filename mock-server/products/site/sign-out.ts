/**
 * Signing out of a product. A password session ends here; a Twilio login is ended at the IdP, which asks "Sign
 * out of Twilio?": the product session ends only on "Yes" (the IdP returns to `POST_LOGOUT_PATH` with the state of
 * this sign-out), and "No, stay signed in" comes back to a product where nothing changed.
 */
import { Hono } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../../contract/api';
import { POST_LOGOUT_PATH } from '../../identity/clients';
import { loginPathWith } from '../../relying-party';
import { formOnly, seeOther } from '../../responses';
import { readForm } from '../../security';
import type { ProductSiteKit } from './kit';
import type { ProductSiteEnv } from './spec';

export function signOutRoutes({ sessions, rp }: ProductSiteKit): Hono<ProductSiteEnv> {
  const app = new Hono<ProductSiteEnv>();
  formOnly(app, '/sign-out', 'Use the Sign out button in the navigation bar.');
  app.post('/sign-out', async (c) => {
    const form = await readForm(c.req.raw);
    const session = sessions.current(c);
    if (!session) return seeOther(c, PRODUCT_LOGIN_PATH);
    sessions.assertCsrf(session, form.csrf);
    // A Twilio login ends at the IdP too, or "continue with Twilio" would sign straight back in.
    if (session.method === 'twilio' && session.idToken) return seeOther(c, await rp.startSignOut(c, session.idToken));
    sessions.end(c, session);
    return seeOther(c, `${PRODUCT_LOGIN_PATH}?signed_out=1`);
  });

  // "Yes, sign me out": the back-channel logout has usually ended the session already; this browser's ends here.
  app.get(POST_LOGOUT_PATH, (c) => {
    rp.completeSignOut(c);
    const session = sessions.current(c);
    if (session) sessions.end(c, session);
    return seeOther(c, loginPathWith('signed_out_of_twilio'));
  });
  return app;
}
