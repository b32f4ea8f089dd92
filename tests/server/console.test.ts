import { describe, expect, it } from 'vitest';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const consoleHome = `${world.urls.console}/`;
const callback = `${world.urls.console}/callback`;

async function signedInConsole() {
  const browser = new HeadlessBrowser();
  const callbackUrl = await completeLogin(browser, consoleHome, callback, ADA);
  const finished = await browser.request(callbackUrl);
  expect(finished.status).toBe(303);
  expect(finished.headers.get('location')).toBe('/');
  return browser;
}

describe('the Twilio Console relying party', () => {
  it('sends a signed-out visitor to the Twilio login with PKCE S256, state and nonce', async () => {
    const response = await new HeadlessBrowser().request(consoleHome);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${world.issuer}/auth`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: 'console',
      response_type: 'code',
      redirect_uri: callback,
      code_challenge_method: 'S256',
    });
    for (const param of ['code_challenge', 'state', 'nonce']) expect(location.searchParams.get(param)).toBeTruthy();
    expect(response.headers.getSetCookie().join()).toMatch(/console_sign_in=.*HttpOnly; SameSite=Lax/);
  });

  it("shows Ada's name, email and the product switcher slot in the Console navigation after she signs in", async () => {
    const browser = await signedInConsole();
    expect(browser.jar.names('console.twilio.localhost')).toContain('console_session');
    const home = await browser.request(consoleHome);
    expect(home.status).toBe(200);
    const page = await home.text();
    expect(page).toContain('Ada Lovelace');
    expect(page).toContain('ada@example.com');
    expect(page).toMatch(
      /<nav class="top" aria-label="Console">[\s\S]*<div id="product-switcher-slot"><\/div>[\s\S]*<\/nav>/,
    );
  });

  it('keeps the session cookie HttpOnly and SameSite=Lax', async () => {
    const browser = new HeadlessBrowser();
    const callbackUrl = await completeLogin(browser, consoleHome, callback, ADA);
    const finished = await browser.request(callbackUrl);
    expect(finished.headers.getSetCookie().find((line) => line.startsWith('console_session='))).toMatch(
      /HttpOnly; SameSite=Lax/,
    );
  });

  it('refuses a callback it did not start', async () => {
    const response = await new HeadlessBrowser().request(`${callback}?code=abc&state=xyz`);
    expect(response.status).toBe(400);
  });

  it('signs out with a CSRF-protected POST and then logs out at the IdP', async () => {
    const browser = await signedInConsole();
    const page = await (await browser.request(consoleHome)).text();
    const refused = await browser.request(`${world.urls.console}/sign-out`, { form: { csrf: 'wrong' } });
    expect(refused.status).toBe(403);
    const signOut = await browser.request(`${world.urls.console}/sign-out`, { form: { csrf: csrfTokenIn(page) } });
    expect(signOut.status).toBe(303);
    const endSession = new URL(signOut.headers.get('location')!);
    expect(endSession.origin + endSession.pathname).toBe(`${world.issuer}/session/end`);
    expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${world.urls.console}/signed-out`);
    expect(endSession.searchParams.get('id_token_hint')).toBeTruthy();

    const confirm = await browser.request(endSession);
    expect(confirm.status).toBe(200);
    const confirmPage = await confirm.text();
    expect(confirmPage).toContain('Sign out of Twilio?');
    const form = /<form id="op.logoutForm" method="post" action="([^"]+)">[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
      confirmPage,
    );
    expect(form).not.toBeNull();
    const done = await browser.request(new URL(form![1]!, world.issuer), { form: { xsrf: form![2]!, logout: 'yes' } });
    expect(done.status).toBe(303);
    // Only "Yes" comes back to the post-logout URI, with this sign-out's state: the Console ends its session there.
    const signedOut = `${world.urls.console}/signed-out?state=${endSession.searchParams.get('state')}`;
    expect(done.headers.get('location')).toBe(signedOut);
    expect((await browser.request(signedOut)).status).toBe(303);

    // Signed out everywhere: the Console asks for a login again and the IdP has no session.
    const again = await browser.request(consoleHome);
    expect(again.status).toBe(303);
    const login = await browser.follow(again.headers.get('location')!);
    expect(login.url.pathname).toMatch(/^\/interaction\//);
  });
});
