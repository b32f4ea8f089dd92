/**
 * Two-factor authentication with TOTP: set up (QR code, confirmed with a first code and the current password),
 * the recovery codes shown once, and turning it off (a code or a recovery code, and the current password).
 */
import { Hono } from 'hono';
import { SettingsError } from '../../errors';
import { sendNotice } from '../../mailbox/mailbox';
import { seeOther } from '../../responses';
import type { Current, SettingsEnv, SettingsKit } from './kit';
import {
  enrolmentTag,
  recoveryCodesPage,
  type SettingsView,
  twoFactorOffPage,
  twoFactorOnPage,
  twoFactorSetupPage,
} from './pages';

export function twoFactorRoutes(kit: SettingsKit): Hono<SettingsEnv> {
  const { db, clock, twoFactor, recoveryCodes } = kit;
  const app = new Hono<SettingsEnv>();

  /** The page for the user's current two-factor state: where GET lands and where a refused change is shown. */
  const statePage = (view: SettingsView, user: Current['user']) =>
    user.totpSecret ? twoFactorOnPage(view, recoveryCodes.remaining(user.id)) : twoFactorOffPage(view);

  app.get('/', async (c) => kit.render(c, statePage(kit.view(c), c.var.current.user)));

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
    // Turned on meanwhile (a second tab, a double submit): the page of 2FA on says so, not the set-up or "off" page.
    kit.showRefusalsOn(c, (error) => {
      const now = kit.users.findById(user.id) ?? user;
      return enrolment && !now.totpSecret
        ? twoFactorSetupPage(kit.view(c, error), enrolment)
        : statePage(kit.view(c, error), now);
    });
    // A form from before the set-up was started again (another tab): its code is for a secret that is gone, and
    // "not valid" would send the user looking at their authenticator app instead of the newest QR code.
    if (enrolment && form.setup && form.setup !== enrolmentTag(enrolment.secret)) {
      throw new SettingsError(
        'enrolment_restarted',
        'You restarted the set-up in another tab or window, so the QR code on this page no longer works. Scan the newest QR code below (it replaces the old one in your authenticator app) and enter its code.',
      );
    }
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
    kit.showRefusalsOn(c, (error) => statePage(kit.view(c, error), user));
    await kit.reauthenticate(c, form.current_password);
    twoFactor.regenerateRecoveryCodes(user.id);
    return seeOther(c, '/settings/two-factor/recovery-codes');
  });

  app.post('/disable', async (c) => {
    const { user } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) => statePage(kit.view(c, error), user));
    // The authenticator's code and a recovery code have fields of their own (a numeric keypad cannot type the latter).
    const code = form.code || form.recovery_code || '';
    if (code.length > 32) throw new SettingsError('invalid_code', 'That code is too long.');
    await kit.reauthenticate(c, form.current_password);
    await twoFactor.disable(user.id, code, (verify) => kit.checkSecondFactor(c, verify));
    sendNotice(db, { to: user.email, kind: 'two_factor_off' }, clock());
    return seeOther(c, '/settings?done=two-factor-off');
  });

  return app;
}
