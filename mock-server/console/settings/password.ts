/**
 * Change of password: the new one replaces the Twilio login's password for the Console, Segment and SendGrid; every
 * other session of the user ends and every token is revoked, while this browser stays signed in. A pending change
 * of email is cancelled with them: whoever the new password shuts out may have asked for it.
 */

import { Hono } from 'hono';
import { hashPassword, newPasswordProblem } from '../../accounts/passwords';
import { SettingsError } from '../../errors';
import { LoginSteps } from '../../identity/login-steps';
import { sendNotice } from '../../mailbox/mailbox';
import type { RpSession } from '../../relying-party';
import { seeOther } from '../../responses';
import { idTokenSession } from '../../storage/session-ends';
import type { SettingsEnv, SettingsKit } from './kit';
import { passwordPage } from './pages';

export function passwordRoutes(kit: SettingsKit): Hono<SettingsEnv> {
  const { db, clock, rp, users, accountSessions, emailChanges } = kit;
  const app = new Hono<SettingsEnv>();
  const loginSteps = new LoginSteps(db, clock);

  /**
   * After a password change: every other IdP session of the user ends (with back-channel logouts to the products
   * they reached), every grant is revoked (refresh and access tokens, the extension's included), and every other
   * Console session ends. A sign-in elsewhere that passed the old password and waits for its TOTP code starts
   * again at the password, and a pending change of email can no longer be confirmed (its link says so).
   */
  async function endOtherSessions(session: RpSession): Promise<void> {
    loginSteps.forgetPendingOf(session.sub);
    emailChanges.cancelPendingOf(session.sub);
    const { sid } = idTokenSession(session.idToken);
    await accountSessions.endIdpSessions(session.sub, sid ? { keepSid: sid } : {});
    await accountSessions.revokeGrants(session.sub, { reason: 'password_changed' });
    rp.endOtherSessions(session);
  }

  app.get('/', async (c) => kit.render(c, passwordPage(kit.view(c))));

  app.post('/', async (c) => {
    const { user, session } = c.var.current;
    const form = await kit.form(c);
    kit.showRefusalsOn(c, (error) => passwordPage(kit.view(c, error)));
    kit.refuseIfManaged(c, 'password');
    const next = form.new_password ?? '';
    const weak = newPasswordProblem(next);
    if (weak) throw new SettingsError('weak_password', weak);
    if (next !== form.confirm_password) {
      throw new SettingsError('passwords_differ', 'The new password and its confirmation are different.');
    }
    await kit.reauthenticate(c, form.current_password);
    users.setPasswordHash(user.id, await hashPassword(next));
    await endOtherSessions(session);
    sendNotice(db, { to: user.email, kind: 'password_changed' }, clock());
    return seeOther(c, '/settings?done=password-changed');
  });

  return app;
}
