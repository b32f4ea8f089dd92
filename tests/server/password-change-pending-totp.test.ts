import { Secret } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { consoleBrowser, freshUser, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const NEW_PASSWORD = 'brand-new-pass-2026';

describe('a sign-in waiting for its TOTP code when the password changes', () => {
  it('starts again at the password instead of finishing with the old one', async () => {
    const secret = new Secret({ size: 20 }).base32;
    const { user, credentials } = await freshUser(world, 'pending-totp', { totpSecret: secret });
    const totp = () => currentTotpCode(secret, world.clock());
    const owner = await consoleBrowser(world, { ...credentials, totp });

    // Someone who knows the old password gets as far as the code step in another browser.
    const login = await openLogin(world);
    const afterPassword = await submitPassword(login, { email: credentials.email, password: credentials.password });
    expect(afterPassword.status).toBe(303);
    const totpUrl = new URL(afterPassword.headers.get('location')!, login.interactionUrl);
    expect(totpUrl.pathname).toBe(`${login.interactionUrl.pathname}/totp`);
    const csrf = csrfTokenIn(await (await login.browser.request(totpUrl)).text());

    // The owner changes the password.
    const changed = await submit(world, owner, '/settings/password', {
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(changed.response.status).toBe(303);
    expect(changed.response.headers.get('location')).toBe('/settings?done=password-changed');

    // A current code no longer finishes the sign-in that proved the old password.
    world.advance(STEP_MS);
    const code = totp();
    const afterCode = await login.browser.request(totpUrl, { form: { csrf, code } });
    expect(afterCode.status).toBe(303);
    expect(afterCode.headers.get('location')).toBe(login.interactionUrl.pathname);
    const shown = await login.browser.request(login.interactionUrl);
    expect(shown.status).toBe(200);
    const page = await shown.text();
    expect(page).not.toContain('autocomplete="one-time-code"');
    expect(page).toContain(`action="${login.interactionUrl.pathname}/identify"`);
    expect((await codeAfter(login, afterCode)).code).toBeNull();

    // The code was not used up: the owner can still use it, and the new password with it signs in.
    const again = await openLogin(world, { prompt: 'login' }, login.browser);
    const withNew = await submitPassword(again, { email: credentials.email, password: NEW_PASSWORD });
    expect(withNew.status).toBe(303);
    const nextTotp = new URL(withNew.headers.get('location')!, again.interactionUrl);
    expect(nextTotp.pathname).toBe(`${again.interactionUrl.pathname}/totp`);
    const nextCsrf = csrfTokenIn(await (await again.browser.request(nextTotp)).text());
    const finished = await again.browser.request(nextTotp, { form: { csrf: nextCsrf, code } });
    expect((await codeAfter(again, finished)).code).toEqual(expect.any(String));
    expect(world.users.findById(user.id)?.totpSecret).toBe(secret);
  });
});
