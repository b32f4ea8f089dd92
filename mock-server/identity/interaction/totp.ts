/** The Twilio login's second step for users with 2FA: a TOTP code, or one of their recovery codes (each once). */
import { Hono } from 'hono';
import { ipKey } from '../../accounts/login-throttle';
import { looksLikeRecoveryCode } from '../../accounts/recovery-codes';
import { matchTotpStep } from '../../accounts/totp';
import { RequestError } from '../../errors';
import { seeOther } from '../../responses';
import { checkedForm, clientAddress } from '../../security';
import { totpPage } from '../pages';
import type { InteractionEnv, InteractionKit } from './kit';

export function totpRoutes(kit: InteractionKit): Hono<InteractionEnv> {
  const { users, throttle, steps, clock, recoveryCodes, deviceCookies } = kit;
  const app = new Hono<InteractionEnv>();

  /**
   * A code is accepted once: its step must be later than the last step this user used. A right code of a step
   * already used is `reused` (the person typed it twice, or it was seen): they are told to wait for the next one.
   */
  function acceptTotp(userId: string, secret: string, code: string): 'accepted' | 'reused' | 'wrong' {
    const step = matchTotpStep(secret, code, clock());
    if (step === undefined) return 'wrong';
    return users.acceptTotpStep(userId, step) ? 'accepted' : 'reused';
  }

  app.get('/interaction/:uid/totp', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    if (!step.pendingUserId) return seeOther(c, `/interaction/${interaction.uid}`);
    if (step.notice) steps.setNotice(interaction.uid, undefined);
    return kit.htmlResponse(c, totpPage({ uid: interaction.uid, csrfToken: step.csrfToken, notice: step.notice }));
  });

  app.post('/interaction/:uid/totp', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    const form = await checkedForm(c.req.raw, step.csrfToken);
    const user = step.pendingUserId ? users.findById(step.pendingUserId) : undefined;
    if (!user?.totpSecret || !user.active) {
      steps.resetToPassword(interaction.uid, step.pendingExpired ? 'expired' : undefined);
      return seeOther(c, `/interaction/${interaction.uid}`);
    }
    const code = (form.code ?? '').replace(/\s/g, '');
    if (code.length > 16) throw new RequestError('invalid_request', 'That code is too long.');
    kit.showThrottlingOn(c, interaction.uid);
    const secret = user.totpSecret;
    // The password step's counter, which its right password left as it was: only this step's success clears it.
    const keys = [deviceCookies.attemptKey(c, user.email, user.id), ipKey(clientAddress(c.env.incoming))] as const;
    let reused = false;
    const recovery = looksLikeRecoveryCode(code);
    const accepted = await throttle.checkCredential(keys, () => {
      if (recovery) return recoveryCodes.consume(user.id, code);
      const outcome = acceptTotp(user.id, secret, code);
      reused = outcome === 'reused';
      return outcome === 'accepted';
    });
    if (!accepted) {
      // A recovery code refused is not answered with words about the authenticator app the person has lost.
      steps.setNotice(interaction.uid, recovery ? 'recovery_code' : reused ? 'totp_reused' : 'totp');
      return seeOther(c, `/interaction/${interaction.uid}/totp`);
    }
    return kit.finishLogin(c, interaction, user, ['pwd', 'otp']);
  });

  return app;
}
