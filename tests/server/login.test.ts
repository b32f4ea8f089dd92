import { describe, expect, it } from 'vitest';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { csrfTokenIn, submitEmail } from '../../scripts/lib/headless-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { ADA, startWorld, worldForFile } from './world';

const world = await worldForFile();

describe('the Twilio login page', () => {
  it('shows accessible forms (email first, then password) with a CSRF token and the right autocomplete hints', async () => {
    const login = await openLogin(world);
    expect(login.interactionUrl.origin).toBe(world.urls.login);
    expect(login.html).toContain('<label for="email">Email</label>');
    expect(login.html).toContain('autocomplete="username"');
    expect(login.csrf.length).toBeGreaterThanOrEqual(32);
    await submitEmail(login.browser, login.interactionUrl, login.csrf, ADA.email);
    const passwordStep = await (await login.browser.request(login.interactionUrl)).text();
    expect(passwordStep).toContain('<label for="password">Password</label>');
    expect(passwordStep).toContain('autocomplete="current-password"');
    expect(csrfTokenIn(passwordStep)).toBe(login.csrf);
  });

  it('pre-fills the email from login_hint, escaped', async () => {
    const login = await openLogin(world, { login_hint: '"><script>alert(1)</script>@example.com' });
    expect(login.html).not.toContain('<script>alert(1)</script>');
    expect(login.html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com"');
  });

  // The password page shows a hinted email read-only: one the email step would refuse was a dead end there.
  it.each([
    ['fullwidth letters', '\uff41\uff44\uff41@example.com'],
    ['a zero-width space', 'ada\u200b@example.com'],
    ['no @', 'ada'],
    ['more than 254 characters', `${'a'.repeat(250)}@example.com`],
  ])('asks for the email when the login_hint has %s', async (_what, hint) => {
    const login = await openLogin(world, { login_hint: hint });
    expect(login.html).toContain(`action="${login.interactionUrl.pathname}/identify"`);
    expect(login.html).toContain('<input id="email" name="email" type="email" autocomplete="username" required');
    expect(login.html).not.toContain('name="password"');
  });

  it('signs Ada in with a 303 to the provider, which redirects with a code', async () => {
    const login = await openLogin(world);
    const response = await submitPassword(login, ADA);
    expect(response.status).toBe(303);
    const { code, url } = await codeAfter(login, response);
    expect(code).toEqual(expect.any(String));
    expect(url.searchParams.get('state')).toBe('state-1');
  });

  it('gives the browser a new IdP session id after each login', async () => {
    const first = await openLogin(world);
    await codeAfter(first, await submitPassword(first, ADA));
    const host = new URL(world.issuer).hostname;
    const before = first.browser.jar.value(host, '_session');
    expect(before).toEqual(expect.any(String));

    // Log in again in the same browser (prompt=login asks for the password even with a session).
    const reauth = await first.browser.follow(
      `${world.issuer}/auth?${new URLSearchParams({
        client_id: EXTENSION_CLIENT_ID,
        response_type: 'code',
        scope: 'openid',
        prompt: 'login',
        redirect_uri: EXTENSION_REDIRECT_URI,
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      })}`,
    );
    const html = await reauth.response!.text();
    const login = { ...first, interactionUrl: reauth.url, csrf: csrfTokenIn(html), html };
    const { code } = await codeAfter(login, await submitPassword(login, ADA));
    expect(code).toEqual(expect.any(String));
    const after = first.browser.jar.value(host, '_session');
    expect(after).toEqual(expect.any(String));
    expect(after).not.toBe(before);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const login = await openLogin(world);
    const wrongPassword = await submitPassword(login, { email: 'ada@example.com', password: 'wrong-pass-2026' });
    const unknownEmail = await submitPassword(login, { email: 'nobody@example.com', password: 'wrong-pass-2026' });
    const shape = async (response: Response) => ({
      status: response.status,
      location: response.headers.get('location'),
      type: response.headers.get('content-type'),
      body: await response.text(),
    });
    const a = await shape(wrongPassword);
    expect(a).toEqual(await shape(unknownEmail));
    expect(a.status).toBe(303);
    expect(a.location).toBe(login.interactionUrl.pathname);
    const page = await (await login.browser.request(login.interactionUrl)).text();
    expect(page).toContain('Email or password is incorrect.');
    expect(page).not.toMatch(/no such user|unknown|not found/i);
  });

  it('refuses a login POST without the CSRF token with 403', async () => {
    const login = await openLogin(world);
    const response = await login.browser.request(`${login.interactionUrl.href}/login`, { form: ADA });
    expect(response.status).toBe(403);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('csrf_token_invalid');
  });

  it('refuses a login POST from a cross-site origin with 403, even with the token', async () => {
    const login = await openLogin(world);
    const fromOrigin = await submitPassword(login, ADA, { origin: 'http://evil.localhost:1234' });
    expect(fromOrigin.status).toBe(403);
    const fromSite = await submitPassword(login, ADA, { 'sec-fetch-site': 'cross-site' });
    expect(fromSite.status).toBe(403);
    expect(await fromSite.text()).toContain('cross_site_request');
  });

  it('refuses a 1 MB password or body at the server edge, before the login handler (and its hash) runs', async () => {
    const login = await openLogin(world);
    const huge = await submitPassword(login, { email: 'ada@example.com', password: 'x'.repeat(1024 * 1024) });
    expect(huge.status).toBe(413);
    const raw = await login.browser.request(`${login.interactionUrl.href}/login`, {
      body: 'a'.repeat(1024 * 1024),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(raw.status).toBe(413);
    // The edge's own refusal (tests/server/body-limit.test.ts shows it answers before reading the body).
    expect(await raw.text()).toContain('payload_too_large');
    // The refusals consumed nothing: the same login form still signs Ada in.
    expect((await submitPassword(login, ADA)).status).toBe(303);
  });

  it('refuses a password longer than 1024 characters with 400', async () => {
    const login = await openLogin(world);
    const response = await submitPassword(login, { email: 'ada@example.com', password: 'x'.repeat(1025) });
    expect(response.status).toBe(400);
  });

  it('answers malformed bodies with a 400, never a 5xx', async () => {
    const login = await openLogin(world);
    const json = await login.browser.request(`${login.interactionUrl.href}/login`, {
      body: '{"email":"ada@example.com"}',
      headers: { 'content-type': 'application/json', origin: world.urls.login },
    });
    expect(json.status).toBe(400);
    const repeated = await login.browser.request(`${login.interactionUrl.href}/login`, {
      body: `csrf=${login.csrf}&email=a&email=b&password=x`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(repeated.status).toBe(400);
  });

  it('sends the user back to the client with access_denied when they cancel', async () => {
    const login = await openLogin(world);
    const response = await login.browser.request(`${login.interactionUrl.href}/abort`, { form: { csrf: login.csrf } });
    expect(response.status).toBe(303);
    const { code, url } = await codeAfter(login, response);
    expect(code).toBeNull();
    expect(url.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses an interaction URL this browser did not start', async () => {
    const login = await openLogin(world);
    const other = await openLogin(world);
    const response = await login.browser.request(other.interactionUrl);
    expect(response.status).toBe(400);
  });
});

describe('login throttling', () => {
  it('answers repeated failures with 429 and Retry-After, then lets the real user in once the wait has passed', async () => {
    const throttled = await startWorld();
    try {
      const login = await openLogin(throttled);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const response = await submitPassword(login, { email: 'ada@example.com', password: `guess-${attempt}` });
        expect(response.status).toBe(303);
      }
      const refused = await submitPassword(login, ADA);
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(30);
      expect(await refused.text()).toContain('Too many attempts');

      throttled.advance(retryAfter * 1000 + 1);
      const allowed = await submitPassword(login, ADA);
      expect(allowed.status).toBe(303);
      const { code } = await codeAfter(login, allowed);
      expect(code).toEqual(expect.any(String));
    } finally {
      await throttled.close();
    }
  });

  it('doubles the wait after each further failure, capped, and never locks out for good', async () => {
    const throttled = await startWorld();
    try {
      const login = await openLogin(throttled);
      const waits: number[] = [];
      for (let round = 0; round < 12; round += 1) {
        const response = await submitPassword(login, { email: 'cleo@example.com', password: 'wrong' });
        if (response.status === 429) {
          const wait = Number(response.headers.get('retry-after'));
          waits.push(wait);
          throttled.advance(wait * 1000 + 1);
        }
      }
      expect(waits.slice(0, 3)).toEqual([30, 60, 120]);
      expect(Math.max(...waits)).toBeLessThanOrEqual(15 * 60);
      throttled.advance(24 * 60 * 60 * 1000);
      const after = await submitPassword(login, { email: 'cleo@example.com', password: 'demo-pass-2026' });
      expect(after.status).toBe(303);
    } finally {
      await throttled.close();
    }
  });
});
