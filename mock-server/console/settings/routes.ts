/**
 * The Console's account settings for the signed-in Twilio user: change email (verified by a link sent to the new
 * address), change password (ends every other session and revokes tokens), 2FA on/off with recovery codes, and
 * the Console's timezone. Every change asks for the current password, unless the user signed in less than 5
 * minutes ago (the ID token's `auth_time`); wrong passwords count against the login throttle (429 + Retry-After).
 *
 * Every POST is same-origin (middleware of the Console), carries the session's CSRF token, and answers a success
 * with 303; a refused change re-renders its form with the reason and a 4xx status. One sub-app per concern.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { seeOther } from '../../responses';
import { emailRoutes } from './email';
import { type SettingsDeps, type SettingsEnv, settingsKit, signedInUser } from './kit';
import { overviewRoutes } from './overview';
import { passwordRoutes } from './password';
import { twoFactorRoutes } from './two-factor';

export type { SettingsDeps } from './kit';

export function settingsRoutes(deps: SettingsDeps): Hono<SettingsEnv> {
  const { rp, users } = deps;
  const app = new Hono<SettingsEnv>();

  /**
   * Every settings route needs a signed-in Console user: signed-out GETs go through the Twilio login and come
   * back, other requests go to the overview. The user is then `c.var.current`.
   */
  const requireSignedIn: MiddlewareHandler<SettingsEnv> = async (c, next) => {
    const current = signedInUser(rp, users, c);
    if (!current) {
      if (c.req.method === 'GET') {
        const query = new URL(c.req.url).search;
        return rp.startSignIn(c, { returnTo: `${c.req.path}${query}` });
      }
      return seeOther(c, '/settings');
    }
    c.set('current', current);
    await next();
  };
  app.use('/settings', requireSignedIn);
  app.use('/settings/*', requireSignedIn);

  const kit = settingsKit(deps);
  app.route('/settings', overviewRoutes(kit));
  app.route('/settings/email', emailRoutes(kit));
  app.route('/settings/password', passwordRoutes(kit));
  app.route('/settings/two-factor', twoFactorRoutes(kit));
  return app;
}
