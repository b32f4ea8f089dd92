/** The product's own timezone, for every user (linked or not); no password needed. */
import { Hono } from 'hono';
import { ProductSettingsError } from '../../errors';
import { seeOther } from '../../responses';
import { canonicalTimeZone } from '../product-users';
import type { ProductSettingsEnv, ProductSettingsKit } from './kit';

export function timezoneRoutes(kit: ProductSettingsKit): Hono<ProductSettingsEnv> {
  const app = new Hono<ProductSettingsEnv>();
  app.post('/', async (c) => {
    const current = await kit.checkedPost(c);
    if ('redirect' in current) return current.redirect;
    kit.showRefusalsOn(c, current);
    const zone = (current.form.timezone ?? '').trim();
    const canonical = canonicalTimeZone(zone);
    if (!canonical) {
      const description = `"${zone.slice(0, 64)}" is not a time zone we know.`;
      throw new ProductSettingsError('timezone', 'invalid_timezone', description);
    }
    kit.spec.users.setTimezone(current.user.id, canonical);
    return seeOther(c, '/settings?done=timezone');
  });
  return app;
}
