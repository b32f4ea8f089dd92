/** Signing out of a product; a Twilio login is also ended at the IdP. */
import { Hono } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../../contract/api';
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
    sessions.end(c, session);
    // A Twilio login ends at the IdP too, or "continue with Twilio" would sign straight back in.
    if (session.method === 'twilio' && session.idToken) return seeOther(c, await rp.endSessionUrl(session.idToken));
    return seeOther(c, `${PRODUCT_LOGIN_PATH}?signed_out=1`);
  });
  return app;
}
