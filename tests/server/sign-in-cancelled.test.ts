/**
 * Cancel on the Twilio login is the person's own choice, not an error: a product goes back to its login page, which
 * says "Sign-in cancelled", and the Console (and support's page) show a page that says so with a "Sign in" link (no
 * error page, no sign-in started again by itself). A cancel response with another state is still refused, and other
 * `access_denied` answers still get the error page.
 */
import { describe, expect, it } from 'vitest';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { decodeEntities } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

/** Opens `start` (a page that sends a signed-out browser to the Twilio login), presses Cancel, and returns the callback URL. */
async function cancelAtTwilio(browser: HeadlessBrowser, start: string): Promise<URL> {
  const shown = await browser.follow(start);
  expect(shown.url.pathname).toMatch(/^\/interaction\//);
  const csrf = csrfTokenIn(await shown.response!.text());
  const aborted = await browser.request(`${shown.url.href}/abort`, { form: { csrf } });
  expect(aborted.status).toBe(303);
  const back = await browser.follow(new URL(aborted.headers.get('location')!, shown.url), {
    stopAt: (url) => url.pathname.endsWith('/callback'),
  });
  expect(back.url.searchParams.get('error')).toBe('access_denied');
  return back.url;
}

/**
 * Cancels at the Twilio login from `site`'s `start` and follows the callback: a 303 to the site's login page with the
 * "Sign-in cancelled" notice and `next`, a page that says so and is no error page; returns the browser and its HTML.
 */
async function cancelledLoginPage(site: string, start: string, next: string) {
  const browser = new HeadlessBrowser();
  const callback = await cancelAtTwilio(browser, `${site}${start}`);
  const response = await browser.request(callback);
  const location = `/login?notice=sign_in_cancelled&next=${encodeURIComponent(next)}`;
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(location);

  const page = await browser.request(`${site}${location}`);
  expect(page.status).toBe(200);
  const html = decodeEntities(await page.text());
  expect(html).toContain('<p class="muted" role="status">Sign-in cancelled.</p>');
  expect(html).not.toContain('Not allowed');
  return { browser, html };
}

describe('Cancel on the Twilio login', () => {
  it('sends Segment back to its login page, which says "Sign-in cancelled" and keeps where it was going', async () => {
    const { browser, html } = await cancelledLoginPage(
      world.urls.segment,
      '/login/twilio?next=%2Fsettings',
      '/settings',
    );
    expect(html).toContain('<a href="/login/twilio?next=%2Fsettings">Continue with Twilio</a>');
    expect((await browser.request(`${world.urls.segment}/settings`)).status).toBe(303);
  });

  it('shows the Console a page saying the sign-in was cancelled, with a "Sign in" link, and starts nothing', async () => {
    const { browser, html } = await cancelledLoginPage(world.urls.console, '/account', '/account');
    expect(html).toContain('<a href="/account">Sign in</a>');
    // "Sign in" starts a new sign-in only when followed.
    const signIn = await browser.request(`${world.urls.console}/account`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/auth\\?`));
  });

  it("shows support's page the same way: a page saying so, with a Sign in link", async () => {
    const browser = new HeadlessBrowser();
    const callback = await cancelAtTwilio(browser, `${world.urls.login}/support/access-requests`);
    const response = await browser.request(callback);
    expect(response.status).toBe(200);
    const html = decodeEntities(await response.text());
    expect(html).toContain('<h1>Sign-in cancelled</h1>');
    expect(html).toContain('<a href="/support/access-requests">Sign in</a>');
  });

  it('refuses a cancel response with another state, as before, and keeps the sign-in it did not answer', async () => {
    const browser = new HeadlessBrowser();
    const callback = await cancelAtTwilio(browser, `${world.urls.segment}/login/twilio`);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state');
    const refused = await browser.request(forged);
    expect(refused.status).toBe(400);
    expect(decodeEntities(await refused.text())).toContain('The sign-in response was not valid. Try again.');

    const real = await browser.request(callback);
    expect(real.status).toBe(303);
    expect(real.headers.get('location')).toBe('/login?notice=sign_in_cancelled');
  });

  it('still answers an access_denied that is not a cancel (here oidc-provider’s own words) with the error page', async () => {
    const browser = new HeadlessBrowser();
    const callback = await cancelAtTwilio(browser, `${world.urls.segment}/login/twilio`);
    callback.searchParams.set('error_description', 'authorization request resolved without requesting interactions');
    const response = await browser.request(callback);
    expect(response.status).toBe(403);
    expect(decodeEntities(await response.text())).toContain(
      'The Twilio login refused the sign-in (access_denied). Try again.',
    );
  });
});
