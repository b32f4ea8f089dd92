/** The settings overview (with the outcome of the last change) and the Console's own timezone (no password). */
import { Hono } from 'hono';
import { SettingsError } from '../../errors';
import { canonicalTimeZone } from '../../products/product-users';
import { seeOther } from '../../responses';
import type { SettingsEnv, SettingsKit } from './kit';
import { DONE_MESSAGES, type DoneMessage, overviewPage } from './pages';

export function overviewRoutes(kit: SettingsKit): Hono<SettingsEnv> {
  const { users, recoveryCodes } = kit;
  const app = new Hono<SettingsEnv>();

  app.get('/', async (c) => {
    const done = c.req.query('done');
    return kit.render(
      c,
      overviewPage({
        ...kit.view(c),
        done: done && Object.hasOwn(DONE_MESSAGES, done) ? (done as DoneMessage) : undefined,
        twoFactorCodesLeft: recoveryCodes.remaining(c.var.current.user.id),
      }),
    );
  });

  // Segment and SendGrid keep their own timezones.
  app.post('/timezone', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    const zone = (form.timezone ?? '').trim();
    const typed = zone.slice(0, 64);
    kit.showRefusalsOn(c, (error) =>
      overviewPage({ ...kit.view(c, error), twoFactorCodesLeft: recoveryCodes.remaining(user.id), timezone: typed }),
    );
    const canonical = canonicalTimeZone(zone);
    if (!canonical) throw new SettingsError('invalid_timezone', `"${typed}" is not a time zone we know.`);
    users.setTimezone(user.id, canonical);
    return seeOther(c, '/settings?done=timezone');
  });

  return app;
}
