/**
 * A product's settings pages (Segment, SendGrid). For a user linked to a Twilio login (`twilioSub` set) email,
 * password and two-factor authentication are managed in the Twilio Console: the page shows them with a link to the
 * Console page that changes each, and the product refuses (403) any POST that would change them, even a hand-made
 * one. A user who is not linked changes email and password here, with the current password (wrong ones count
 * against the product login's throttle: 429 + Retry-After). The timezone is the product's own, for everyone;
 * Segment adds its session history (`renderSettingsExtra`).
 *
 * Every POST is same-origin (the site's middleware), carries the session's CSRF token, and answers a success with
 * 303; a refused change re-renders the page with the reason in a `role="alert"` box and a 4xx status.
 */
import { Hono } from 'hono';
import { PRODUCT_PAGE_HEADERS } from '../../html';
import { emailRoutes } from './email';
import { type ProductSettingsEnv, type ProductSettingsInput, productSettingsKit } from './kit';
import { DONE, type Done } from './page';
import { passwordRoutes } from './password';
import { timezoneRoutes } from './timezone';

export function productSettingsRoutes(input: ProductSettingsInput): Hono<ProductSettingsEnv> {
  const kit = productSettingsKit(input);
  const app = new Hono<ProductSettingsEnv>();

  app.get('/settings', (c) => {
    const current = kit.signedIn(c);
    if (!current) return kit.toSignIn(c);
    const done = c.req.query('done');
    const body = kit.settingsPage(
      current.user,
      current.session,
      done && Object.hasOwn(DONE, done) ? { done: done as Done } : {},
    );
    return c.body(body, 200, PRODUCT_PAGE_HEADERS);
  });
  app.route('/settings/timezone', timezoneRoutes(kit));
  app.route('/settings/email', emailRoutes(kit));
  app.route('/settings/password', passwordRoutes(kit));
  return app;
}
