/**
 * The Twilio login's password step, for the email given first (./identifier.ts). Wrong password, unknown email
 * and deactivated user answer identically; attempts are throttled per account (per device for a trusted device)
 * and per IP. A member's email of an organization that enforces SSO never gets this far: refused before any
 * password check, by the same decision as the email step's (SsoDirectory.enforcedFor). A non-member's email on
 * that domain, or one of no Twilio user, is checked like any other.
 */

import { Hono } from 'hono';
import { emailCharacterProblem, MAX_EMAIL_LENGTH, normaliseEmail } from '../../../contract/email';
import { ipKey } from '../../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { RequestError } from '../../errors';
import { seeOther } from '../../responses';
import { checkedForm, clientAddress } from '../../security';
import type { InteractionEnv, InteractionKit } from './kit';

export function passwordRoutes(kit: InteractionKit): Hono<InteractionEnv> {
  const { users, throttle, steps, deviceCookies } = kit;
  const app = new Hono<InteractionEnv>();

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
    if (kit.ssoRoutes.sso.enforcedFor(normalised)) {
      steps.setNotice(interaction.uid, 'sso_required', normalised);
      return seeOther(c, `/interaction/${interaction.uid}`);
    }
    kit.showThrottlingOn(c, interaction.uid);
    // A deactivated user is refused like a wrong password (and verified against the dummy hash, just as slow).
    const found = users.findCredentials(normalised);
    const credentials = found?.user.active ? found : undefined;
    // A trusted device (device-cookies.ts) is limited by its own counter, not by the account-wide lockout.
    const keys = [
      deviceCookies.attemptKey(c, normalised, found?.user.id),
      ipKey(clientAddress(c.env.incoming)),
    ] as const;
    // With 2FA the same counter limits the codes: only the whole login (the TOTP step) clears it, else a right
    // password between wrong codes would give the codes a fresh budget.
    const right = await throttle.checkCredential(keys, () => verifyPassword(credentials?.passwordHash, password), {
      clear: !credentials?.user.totpSecret,
    });
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
