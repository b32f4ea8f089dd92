/**
 * Two-factor authentication with TOTP: set up (QR code, confirmed with a first code and the current password),
 * the recovery codes shown once, and turning it off (a code or a recovery code, and the current password).
 */
import { Hono } from 'hono';
import { SettingsError } from '../../errors';
import { sendNotice } from '../../mailbox/mailbox';
import { seeOther } from '../../responses';
import type { SettingsEnv, SettingsKit } from './kit';
import { recoveryCodesPage, twoFactorOffPage, twoFactorOnPage, twoFactorSetupPage } from './pages';

export function twoFactorRoutes(kit: SettingsKit): Hono<SettingsEnv> {
  const { db, clock, twoFactor, recoveryCodes } = kit;
  const app = new Hono<SettingsEnv>();

  app.get('/', async (c) => {
    const { user } = c.var.current;
    const view = kit.view(c);
    return kit.render(
      c,
      user.totpSecret ? twoFactorOnPage(view, recoveryCodes.remaining(user.id)) : twoFactorOffPage(view),
    );
  });

  app.post('/setup', async (c) => {
    const { user } = c.var.current;
    await kit.form(c);
    if (user.totpSecret) return seeOther(c, '/settings/two-factor');
    twoFactor.start(user.id, user.email);
    return seeOther(c, '/settings/two-factor/setup');
  });

  app.get('/setup', async (c) => {
    const { user } = c.var.current;
    const enrolment = twoFactor.pending(user.id, user.email);
    if (user.totpSecret || !enrolment) return seeOther(c, '/settings/two-factor');
    return kit.render(c, twoFactorSetupPage(kit.view(c), enrolment));
  });

  app.post('/enable', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    const enrolment = twoFactor.pending(user.id, user.email);
    kit.showRefusalsOn(c, (error) =>
      enrolment ? twoFactorSetupPage(kit.view(c, error), enrolment) : twoFactorOffPage(kit.view(c, error)),
    );
    await kit.reauthenticate(c, form.current_password);
    twoFactor.enable(user.id, form.code ?? '');
    sendNotice(db, { to: user.email, kind: 'two_factor_on' }, clock());
    return seeOther(c, '/settings/two-factor/recovery-codes');
  });

  app.get('/recovery-codes', async (c) => {
    const codes = twoFactor.takeRevealedCodes(c.var.current.user.id);
    return kit.render(c, recoveryCodesPage(kit.view(c), codes));
  });

  /** New recovery codes (the old ones stop working), after the current password; shown once, like the first. */
  app.post('/recovery-codes/renew', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) =>
      user.totpSecret
        ? twoFactorOnPage(kit.view(c, error), recoveryCodes.remaining(user.id))
        : twoFactorOffPage(kit.view(c, error)),
    );
    await kit.reauthenticate(c, form.current_password);
    twoFactor.regenerateRecoveryCodes(user.id);
    return seeOther(c, '/settings/two-factor/recovery-codes');
  });

  app.post('/disable', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) =>
      user.totpSecret
        ? twoFactorOnPage(kit.view(c, error), recoveryCodes.remaining(user.id))
        : twoFactorOffPage(kit.view(c, error)),
    );
    if ((form.code ?? '').length > 32) throw new SettingsError('invalid_code', 'That code is too long.');
    await kit.reauthenticate(c, form.current_password);
    twoFactor.disable(user.id, form.code ?? '');
    sendNotice(db, { to: user.email, kind: 'two_factor_off' }, clock());
    return seeOther(c, '/settings?done=two-factor-off');
  });

  return app;
}
