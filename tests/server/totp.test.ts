import { describe, expect, it } from 'vitest';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { currentTotpCode } from '../../mock-server/accounts/totp';
import { PENDING_TOTP_MS } from '../../mock-server/identity/login-steps';
import { EVE_TOTP_SECRET } from '../../mock-server/seed';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { EVE_EMAIL, type TestWorld, worldForFile } from './world';

const world = await worldForFile();
const EVE = { email: EVE_EMAIL, password: 'demo-pass-2026' };

async function passwordStep(target: TestWorld) {
  const login = await openLogin(target);
  const response = await submitPassword(login, EVE);
  expect(response.status).toBe(303);
  const totpUrl = new URL(response.headers.get('location')!, login.interactionUrl);
  expect(totpUrl.pathname).toBe(`${login.interactionUrl.pathname}/totp`);
  const page = await (await login.browser.request(totpUrl)).text();
  expect(page).toContain('autocomplete="one-time-code"');
  return { login, totpUrl, csrf: csrfTokenIn(page) };
}

describe('two-factor authentication (TOTP)', () => {
  it('signs Eve in after her password and a current code', async () => {
    world.advance(60_000);
    const { tokens } = await signInAsExtension(world, {
      ...EVE,
      totp: () => currentTotpCode(EVE_TOTP_SECRET, world.clock()),
    });
    expect(tokens.claims()?.email).toBe('eve@example.com');
    expect(tokens.claims()?.amr).toEqual(['pwd', 'otp']);
  });

  it('refuses a code already used in its step, and says it was just used', async () => {
    world.advance(60_000);
    const code = currentTotpCode(EVE_TOTP_SECRET, world.clock());
    const first = await passwordStep(world);
    const accepted = await first.login.browser.request(first.totpUrl, { form: { csrf: first.csrf, code } });
    expect((await codeAfter(first.login, accepted)).code).toEqual(expect.any(String));

    const second = await passwordStep(world);
    const replayed = await second.login.browser.request(second.totpUrl, { form: { csrf: second.csrf, code } });
    expect(replayed.status).toBe(303);
    expect(replayed.headers.get('location')).toBe(second.totpUrl.pathname);
    const page = await (await second.login.browser.request(second.totpUrl)).text();
    expect(page).toContain(
      '<div class="alert" role="alert">That code was just used. Wait for the next code in your authenticator app and enter it.</div>',
    );
  });

  it('keeps a sign-in whose code is pending at its code step when the email is sent again', async () => {
    const { login, totpUrl } = await passwordStep(world);
    const again = await login.browser.request(`${login.interactionUrl.href}/identify`, {
      form: { csrf: login.csrf, email: EVE.email },
    });
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(login.interactionUrl.pathname);
    const shown = await login.browser.request(login.interactionUrl);
    expect(shown.status).toBe(303);
    expect(shown.headers.get('location')).toBe(totpUrl.pathname);
  });

  it('refuses a wrong code and keeps asking for one', async () => {
    const { login, totpUrl, csrf } = await passwordStep(world);
    const response = await login.browser.request(totpUrl, { form: { csrf, code: '000000' } });
    expect(response.headers.get('location')).toBe(totpUrl.pathname);
  });

  it('gives no session and no code to a browser that skips the TOTP step', async () => {
    const { login } = await passwordStep(world);
    // Resume the authorization directly, as if the second step were done.
    const resume = await login.browser.request(
      `${world.issuer}/auth/${login.interactionUrl.pathname.split('/').pop()}`,
    );
    const { code } = await codeAfter(login, resume).catch(() => ({ code: null }));
    expect(code).toBeNull();
    const none = await login.browser.follow(
      `${world.issuer}/auth?${new URLSearchParams({
        client_id: EXTENSION_CLIENT_ID,
        response_type: 'code',
        scope: 'openid',
        prompt: 'none',
        redirect_uri: EXTENSION_REDIRECT_URI,
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      })}`,
      { stopAt: (url) => url.hostname.endsWith('chromiumapp.org') },
    );
    expect(none.url.searchParams.get('error')).toBe('login_required');
  });

  it('sends Eve back to the start of her sign-in, saying why, once her code step has expired', async () => {
    const { login, totpUrl } = await passwordStep(world);
    world.advance(PENDING_TOTP_MS + 1000);
    const stale = await login.browser.request(totpUrl);
    expect(stale.status).toBe(303);
    expect(stale.headers.get('location')).toBe(login.interactionUrl.pathname);
    const page = await (await login.browser.request(login.interactionUrl)).text();
    expect(page).toContain(
      '<div class="alert" role="alert">Your sign-in took too long. Enter your email and password again.</div>',
    );
    // Said once: the next visit is the plain password page.
    expect(await (await login.browser.request(login.interactionUrl)).text()).not.toContain('took too long');
  });

  it('refuses a code sent after the step expired and asks for the password again', async () => {
    const { login, totpUrl, csrf } = await passwordStep(world);
    world.advance(PENDING_TOTP_MS + 1000);
    const code = currentTotpCode(EVE_TOTP_SECRET, world.clock());
    const late = await login.browser.request(totpUrl, { form: { csrf, code } });
    expect(late.status).toBe(303);
    expect(late.headers.get('location')).toBe(login.interactionUrl.pathname);
    const page = await (await login.browser.request(login.interactionUrl)).text();
    expect(page).toContain(
      '<div class="alert" role="alert">Your sign-in took too long. Enter your email and password again.</div>',
    );
    expect((await login.browser.request(totpUrl)).status).toBe(303);
  });

  it('sends a browser that opens the TOTP step without a password step back to the password', async () => {
    const login = await openLogin(world);
    const response = await login.browser.request(`${login.interactionUrl.href}/totp`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(login.interactionUrl.pathname);
  });
});
