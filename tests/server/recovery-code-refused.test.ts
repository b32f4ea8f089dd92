import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { RecoveryCodes } from '../../mock-server/accounts/recovery-codes';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { freshUser } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

describe('a recovery code refused at the Twilio login', () => {
  it('says the recovery code was not valid or already used, not to use the authenticator app', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const { user, credentials } = await freshUser(world, 'used-recovery', { totpSecret: secret });
    const recoveryCodes = new RecoveryCodes(world.db, world.clock);
    const [used, unused] = recoveryCodes.regenerate(user.id);
    expect(recoveryCodes.consume(user.id, used!)).toBe(true);

    const login = await openLogin(world);
    const afterPassword = await submitPassword(login, { email: credentials.email, password: credentials.password });
    const totpUrl = new URL(afterPassword.headers.get('location')!, login.interactionUrl);
    expect(totpUrl.pathname).toBe(`${login.interactionUrl.pathname}/totp`);
    const csrf = csrfTokenIn(await (await login.browser.request(totpUrl)).text());

    const refused = await login.browser.request(totpUrl, { form: { csrf, code: used! } });
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(totpUrl.pathname);
    const page = await (await login.browser.request(totpUrl)).text();
    expect(page).toContain(
      '<div class="alert" role="alert">That recovery code is not valid or was already used. Each recovery code works once: enter another one.</div>',
    );
    expect(page).not.toContain('Enter the current code from your authenticator app.');
    // The recovery code's form is open, so the person sees where to type another one.
    expect(page).toContain('<details style="margin-top:1rem" open>');
    expect(recoveryCodes.remaining(user.id)).toBe(9);

    // A wrong six-digit code still gets the authenticator's words.
    const wrong = await login.browser.request(totpUrl, { form: { csrf, code: '000000' } });
    expect(wrong.headers.get('location')).toBe(totpUrl.pathname);
    const wrongPage = await (await login.browser.request(totpUrl)).text();
    expect(wrongPage).toContain('That code is not valid. Enter the current code from your authenticator app.');
    expect(wrongPage).toContain('<details style="margin-top:1rem">');

    const accepted = await login.browser.request(totpUrl, { form: { csrf, code: unused! } });
    expect((await codeAfter(login, accepted)).code).toEqual(expect.any(String));
    expect(recoveryCodes.remaining(user.id)).toBe(8);
  });
});
