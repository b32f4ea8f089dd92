/**
 * The Twilio login's first step: email and password. Wrong password, unknown email and deactivated user answer
 * identically; attempts are throttled per account (per device for a trusted device) and per IP.
 */

import { Hono } from 'hono';
import { emailCharacterProblem, MAX_EMAIL_LENGTH, normaliseEmail } from '../../../contract/email';
import { ipKey } from '../../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { RequestError } from '../../errors';
import { seeOther } from '../../responses';
import { checkedForm, clientAddress } from '../../security';
import { loginPage } from '../pages';
import { grantFirstPartyConsent } from './consent';
import type { InteractionEnv, InteractionKit } from './kit';

export function passwordRoutes(kit: InteractionKit): Hono<InteractionEnv> {
  const { provider, users, throttle, steps, deviceCookies } = kit;
  const app = new Hono<InteractionEnv>();

  app.get('/interaction/:uid', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    if (interaction.prompt.name === 'consent') return grantFirstPartyConsent(provider, c, interaction);
    if (interaction.prompt.name !== 'login') {
      throw new RequestError('invalid_request', 'This sign-in step is not supported.');
    }
    if (step.pendingUserId) return seeOther(c, `/interaction/${interaction.uid}/totp`);
    if (steps.pendingExpired(interaction.uid)) steps.resetToPassword(interaction.uid, 'expired');
    const shown = steps.find(interaction.uid)!;
    if (shown.notice) steps.setNotice(interaction.uid, undefined);
    const hint = interaction.params.login_hint;
    const client = await provider.Client.find(String(interaction.params.client_id));
    return kit.htmlResponse(
      c,
      loginPage({
        uid: interaction.uid,
        csrfToken: step.csrfToken,
        clientName: client?.clientName ?? 'Twilio',
        email: shown.email ?? (typeof hint === 'string' ? hint.slice(0, MAX_EMAIL_LENGTH) : ''),
        notice: shown.notice,
      }),
    );
  });

  app.post('/interaction/:uid/login', async (c) => {
    const { interaction, step } = await kit.currentStep(c);
    const form = await checkedForm(c.req.raw, step.csrfToken);
    const email = form.email ?? '';
    const password = form.password ?? '';
    if (!email || !password) throw new RequestError('invalid_request', 'Enter your email and password.');
    if (email.length > MAX_EMAIL_LENGTH) throw new RequestError('invalid_request', 'That email is too long.');
    const problem = emailCharacterProblem(email);
    if (problem) throw new RequestError('invalid_request', problem);
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');
    if (interaction.prompt.name !== 'login') throw new RequestError('invalid_request', 'This sign-in step is over.');

    const normalised = normaliseEmail(email);
    kit.showThrottlingOn(c, interaction.uid);
    // A deactivated user is refused like a wrong password (and verified against the dummy hash, just as slow).
    const found = users.findCredentials(normalised);
    const credentials = found?.user.active ? found : undefined;
    // A trusted device (device-cookies.ts) is limited by its own counter, not by the account-wide lockout.
    const keys = [deviceCookies.attemptKey(c, normalised), ipKey(clientAddress(c.env.incoming))] as const;
    const right = await throttle.checkCredential(keys, () => verifyPassword(credentials?.passwordHash, password));
    if (!right || !credentials) {
      steps.setNotice(interaction.uid, 'credentials', normalised);
      return seeOther(c, `/interaction/${interaction.uid}`);
    }
    if (credentials.user.totpSecret) {
      steps.startTotp(interaction.uid, credentials.user.id);
      return seeOther(c, `/interaction/${interaction.uid}/totp`);
    }
    return kit.finishLogin(c, interaction, credentials.user, ['pwd']);
  });

  return app;
}
