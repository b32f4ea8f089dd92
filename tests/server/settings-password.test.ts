import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { localhostFetch } from '../../mock-server/net';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { canLogIn, consoleBrowser, freshUser, mailbox, openPage, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const NEW_PASSWORD = 'a-much-longer-pass-2026';

const me = (accessToken: string) =>
  localhostFetch(`${world.urls.login}${API_PATHS.me}`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('changing the password in the Console', () => {
  it('refuses the old password and accepts the new one, ends other sessions and revokes refresh tokens', async () => {
    const { user, credentials } = await freshUser(world, 'changer');
    const here = await consoleBrowser(world, credentials);
    const elsewhere = await consoleBrowser(world, credentials);
    const extension = await signInAsExtension(world, credentials);
    expect(extension.tokens.refresh_token).toBeTruthy();

    const { response } = await submit(world, here, '/settings/password', {
      current_password: PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/settings?done=password-changed');

    expect(await canLogIn(world, credentials)).toBe(false);
    expect(await canLogIn(world, { email: user.email, password: NEW_PASSWORD })).toBe(true);

    // This browser stays signed in; the other one is signed out of the Console and of the IdP.
    expect((await here.request(`${world.urls.console}/settings`)).status).toBe(200);
    const other = await elsewhere.request(`${world.urls.console}/`);
    expect(other.status).toBe(303);
    const login = await elsewhere.follow(other.headers.get('location')!);
    expect(login.url.pathname).toMatch(/^\/interaction\//);

    // The extension's refresh token and access token are revoked.
    await expect(oidc.refreshTokenGrant(extension.config, extension.tokens.refresh_token!)).rejects.toThrow();
    expect((await me(extension.tokens.access_token)).status).toBe(401);

    expect((await mailbox(world, user.email)).html).toContain('Your Twilio password was changed');
  });

  it('accepts the change without the current password right after a login, and refuses it 5 minutes later', async () => {
    const { user, credentials } = await freshUser(world, 'recent');
    const browser = await consoleBrowser(world, credentials);
    const page = await openPage(world, browser, '/settings/password');
    expect(page.html).toContain('You signed in less than 5 minutes ago');
    const recent = await submit(world, browser, '/settings/password', {
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(recent.response.status).toBe(303);

    world.advance(6 * 60_000);
    const stale = await submit(world, browser, '/settings/password', {
      new_password: 'yet-another-pass-2026',
      confirm_password: 'yet-another-pass-2026',
    });
    expect(stale.response.status).toBe(403);
    expect(stale.html).toContain('Enter your current password to make this change.');
    expect(await canLogIn(world, { email: user.email, password: NEW_PASSWORD })).toBe(true);
  });

  it('refuses a wrong current password, then throttles with 429 and Retry-After', async () => {
    const { credentials } = await freshUser(world, 'guesser');
    const browser = await consoleBrowser(world, credentials);
    const attempt = (current: string) =>
      submit(world, browser, '/settings/password', {
        current_password: current,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      });
    for (let i = 0; i < 5; i += 1) {
      const refused = await attempt('not-my-password');
      expect(refused.response.status).toBe(403);
      expect(refused.html).toContain('Your current password is not correct.');
    }
    const throttled = await attempt('not-my-password');
    expect(throttled.response.status).toBe(429);
    expect(Number(throttled.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // Throttled like a login: even the right password waits, and the Twilio login is throttled too.
    expect((await attempt(PASSWORD)).response.status).toBe(429);
    expect(await canLogIn(world, credentials)).toBe(false);
    world.advance(31_000);
    expect((await attempt(PASSWORD)).response.status).toBe(303);
  });

  it('refuses a short new password and a confirmation that differs', async () => {
    const { credentials } = await freshUser(world, 'weak');
    const browser = await consoleBrowser(world, credentials);
    const short = await submit(world, browser, '/settings/password', {
      current_password: PASSWORD,
      new_password: 'short',
      confirm_password: 'short',
    });
    expect(short.response.status).toBe(400);
    expect(short.html).toContain('role="alert">Choose a new password of at least 12 characters.');
    const long = await submit(world, browser, '/settings/password', {
      current_password: PASSWORD,
      new_password: 'x'.repeat(1025),
      confirm_password: 'x'.repeat(1025),
    });
    expect(long.response.status).toBe(400);
    expect(long.html).toContain('role="alert">Choose a new password of at most 1024 characters.');
    const differ = await submit(world, browser, '/settings/password', {
      current_password: PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: `${NEW_PASSWORD}!`,
    });
    expect(differ.response.status).toBe(400);
    expect(await canLogIn(world, credentials)).toBe(true);
  });

  it('refuses settings POSTs without the CSRF token or from another site (403)', async () => {
    const { credentials } = await freshUser(world, 'csrf');
    const browser = await consoleBrowser(world, credentials);
    const fields = { current_password: PASSWORD, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD };
    for (const path of ['/settings/password', '/settings/email', '/settings/two-factor/setup']) {
      const noToken = await browser.request(`${world.urls.console}${path}`, { form: fields });
      expect(noToken.status).toBe(403);
      const crossSite = await submit(world, browser, path, fields, {
        headers: { 'sec-fetch-site': 'cross-site', origin: 'http://evil.localhost' },
      });
      expect(crossSite.response.status).toBe(403);
    }
    expect(await canLogIn(world, credentials)).toBe(true);
  });

  it('sends a signed-out visitor of the settings to the Twilio login and back', async () => {
    const response = await new HeadlessBrowser().request(`${world.urls.console}/settings/password`);
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).origin).toBe(world.issuer);
  });

  it('changes nothing for a signed-out POST to any settings form: back to the settings overview', async () => {
    for (const path of [
      '/settings/password',
      '/settings/email',
      '/settings/two-factor/disable',
      '/settings/timezone',
    ]) {
      const response = await new HeadlessBrowser().request(`${world.urls.console}${path}`, {
        form: { csrf: 'x', current_password: 'demo-pass-2026', new_password: 'another-pass-2026' },
      });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/settings');
    }
  });

  it('links Settings from the Console navigation and shows the login, password and 2FA there', async () => {
    const { credentials } = await freshUser(world, 'nav');
    const browser = await consoleBrowser(world, credentials);
    const home = await openPage(world, browser, '/');
    expect(home.html).toMatch(/<nav class="top" aria-label="Console">[\s\S]*<a href="\/settings"[^>]*>Settings<\/a>/);
    const settings = await openPage(world, browser, '/settings');
    for (const text of [credentials.email, 'Change email', 'Change password', 'Set up two-factor authentication']) {
      expect(settings.html).toContain(text);
    }
  });
});
