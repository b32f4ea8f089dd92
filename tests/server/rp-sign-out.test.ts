/**
 * Signing out of Segment or the Console with a Twilio login asks the Twilio login "Sign out of Twilio?" (RP-initiated
 * logout with a `state`): "No, stay signed in" keeps every session, "Yes" ends them and the site says "You signed
 * out of Twilio" on its login page. Only the state of this browser's sign-out is taken, once.
 */
import { describe, expect, it } from 'vitest';
import { csrfTokenIn, type HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { continueWithTwilio, land } from './products';
import { consoleBrowser, decodeEntities } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
type Site = 'segment' | 'console';

/** Ada signed in to the Console and Segment in one browser. */
async function adaEverywhere(): Promise<HeadlessBrowser> {
  const browser = await consoleBrowser(world, ADA);
  const { response } = await continueWithTwilio(world, 'segment', ADA, { browser });
  expect(response.status).toBe(303);
  return browser;
}

const status = async (browser: HeadlessBrowser, url: string) => (await browser.request(url)).status;
const signedInToSegment = (browser: HeadlessBrowser) => status(browser, `${world.urls.segment}/settings`);
const signedInToConsole = (browser: HeadlessBrowser) => status(browser, `${world.urls.console}/`);

/** Presses Sign out on `site` and returns the Twilio login's confirmation page and the state the site sent. */
async function signOutOf(browser: HeadlessBrowser, site: Site) {
  const home = await land(browser, '/', world.urls[site]);
  const out = await browser.request(`${world.urls[site]}/sign-out`, { form: { csrf: csrfTokenIn(home.html) } });
  expect(out.status).toBe(303);
  const endSession = new URL(out.headers.get('location')!);
  expect(endSession.origin + endSession.pathname).toBe(`${world.issuer}/session/end`);
  expect(endSession.searchParams.get('post_logout_redirect_uri')).toBe(`${world.urls[site]}/signed-out`);
  const state = endSession.searchParams.get('state')!;
  expect(state).toBeTruthy();
  const confirmation = await browser.request(endSession);
  expect(confirmation.status).toBe(200);
  return { state, html: decodeEntities(await confirmation.text()) };
}

/** "Yes, sign me out" on the confirmation page; returns where the Twilio login sends the browser. */
async function confirmYes(browser: HeadlessBrowser, confirmationHtml: string): Promise<string> {
  const form = /<form id="op.logoutForm" method="post" action="([^"]+)">[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
    confirmationHtml,
  )!;
  const done = await browser.request(new URL(form[1]!, world.issuer), { form: { xsrf: form[2]!, logout: 'yes' } });
  expect(done.status).toBe(303);
  return done.headers.get('location')!;
}

describe('signing out of a product with a Twilio login', () => {
  it.each(['segment', 'console'] as const)(
    'asks "Sign out of Twilio?" by name; "No, stay signed in" goes back to %s with every session kept',
    async (site) => {
      const browser = await adaEverywhere();
      const { html } = await signOutOf(browser, site);
      expect(html).toContain('<h1>Sign out of Twilio?</h1>');
      expect(html).toContain('You will be signed out of Twilio and every product that uses your Twilio login.');
      expect(html).not.toContain(`signed out of ${new URL(world.issuer).host}`);
      expect(html).toContain(`<a href="${world.urls[site]}/">No, stay signed in</a>`);

      // The same sessions, not new sign-ins: each answers at once, without a trip to the Twilio login.
      expect(await signedInToSegment(browser)).toBe(200);
      expect(await signedInToConsole(browser)).toBe(200);
      const back = await land(browser, `${world.urls[site]}/`, world.urls[site]);
      expect(back.status).toBe(200);
      expect(back.html).toContain('Sign out');
    },
  );

  it.each(['segment', 'console'] as const)(
    '"Yes" signs out of Twilio everywhere and %s says "You signed out of Twilio" on its login page',
    async (site) => {
      const browser = await adaEverywhere();
      const { state, html } = await signOutOf(browser, site);
      const location = await confirmYes(browser, html);
      expect(location).toBe(`${world.urls[site]}/signed-out?state=${state}`);

      const back = await browser.request(location);
      expect(back.status).toBe(303);
      expect(back.headers.get('location')).toBe('/login?notice=signed_out_of_twilio');
      const login = await browser.request(`${world.urls[site]}/login?notice=signed_out_of_twilio`);
      expect(login.status).toBe(200);
      expect(await login.text()).toContain('<p class="muted" role="status">You signed out of Twilio.</p>');
      expect(await signedInToSegment(browser)).toBe(303);
      expect(await signedInToConsole(browser)).toBe(303);
    },
  );

  it('refuses a forged state and keeps the session; the real one is taken once, a replay refused', async () => {
    const browser = await adaEverywhere();
    const { state, html } = await signOutOf(browser, 'segment');

    const forged = await browser.request(`${world.urls.segment}/signed-out?state=forged-state`);
    expect(forged.status).toBe(400);
    expect(decodeEntities(await forged.text())).toContain('The sign-out response was not valid.');
    expect(await signedInToSegment(browser)).toBe(200);

    const location = await confirmYes(browser, html);
    expect((await browser.request(location)).status).toBe(303);
    const replayed = await browser.request(location);
    expect(replayed.status).toBe(400);
    expect(decodeEntities(await replayed.text())).toContain('This sign-out was not started here or has expired.');

    // Another browser signed in to Segment, handed this state: refused, still signed in.
    const other = await adaEverywhere();
    const handed = await other.request(`${world.urls.segment}/signed-out?state=${state}`);
    expect(handed.status).toBe(400);
    expect(await signedInToSegment(other)).toBe(200);
  });
});
