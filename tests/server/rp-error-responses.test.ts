/**
 * The relying parties (Console, Segment, SendGrid, support's page) take an error response at their callback only
 * once openid-client has checked its state and `iss`, and say it in their own words: a forged error URL can neither
 * use up a pending sign-in with its own message nor put its text on a first-party page.
 */
import { describe, expect, it } from 'vitest';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { decodeEntities } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const FORGED = 'Your Twilio password expired. Reset it at https://evil.example/reset';

/** A signed-out browser that started the Console's sign-in, and the state the Console sent. */
async function startedSignIn(site: 'console' | 'segment') {
  const browser = new HeadlessBrowser();
  const start = await browser.request(
    site === 'console' ? `${world.urls.console}/` : `${world.urls.segment}/login/twilio`,
  );
  expect([302, 303]).toContain(start.status);
  const authorization = new URL(start.headers.get('location')!);
  return { browser, state: authorization.searchParams.get('state')! };
}

describe("an error response at a relying party's callback", () => {
  it.each(['console', 'segment'] as const)(
    'without state or iss is not valid, and its text is not shown (%s)',
    async (site) => {
      const { browser } = await startedSignIn(site);
      const query = new URLSearchParams({ error: 'access_denied', error_description: FORGED });
      const response = await browser.request(`${world.urls[site]}/callback?${query}`);
      expect(response.status).toBe(400);
      const html = decodeEntities(await response.text());
      expect(html).toContain('The sign-in response was not valid. Try again.');
      expect(html).not.toContain('evil.example');
    },
  );

  it('with its state and iss says the login refused, in our words', async () => {
    const { browser, state } = await startedSignIn('console');
    const query = new URLSearchParams({ error: 'access_denied', error_description: FORGED, state, iss: world.issuer });
    const response = await browser.request(`${world.urls.console}/callback?${query}`);
    expect(response.status).toBe(403);
    const html = decodeEntities(await response.text());
    expect(html).toContain('The Twilio login refused the sign-in (access_denied). Try again.');
    expect(html).not.toContain('evil.example');
  });
});
