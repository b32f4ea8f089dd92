/**
 * A SAML response for sam arriving while the browser is signed in to Twilio as ada never keeps ada's session
 * silently, nor swaps it behind her back: IdP-initiated, the browser is asked first, and only a confirmation signs
 * ada out (everywhere, by back-channel logout) and sam in; SP-initiated (the person asked to sign in as sam),
 * oidc-provider signs ada out before sam's session starts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { type HeadlessBrowser, HeadlessBrowser as NewBrowser } from '../../scripts/lib/headless-browser';
import { formOn, postToAcs, signInAtAcme } from '../../scripts/lib/saml-browser';
import { consoleBrowser } from './settings';
import { expectRefusal, SAM } from './sso';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: true });
afterEach(() => world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: true }));

const ada = () => world.users.findByEmail(ADA.email)!;

/** How many IdP sessions and Console sessions `userId` has. */
function sessionsOf(userId: string) {
  const count = (sql: string) => (world.db.prepare(sql).get(userId) as { n: number }).n;
  return {
    idp: count(
      `SELECT COUNT(*) AS n FROM oidc_models WHERE model = 'Session' AND json_extract(payload, '$.accountId') = ?`,
    ),
    console: count(
      `SELECT COUNT(*) AS n FROM rp_sessions WHERE site = 'console' AND kind = 'session' AND json_extract(data, '$.sub') = ?`,
    ),
  };
}

/** Signs sam in on Acme's app tile in `browser` and posts the response to the ACS; returns /saml/complete's URL. */
async function samFromTile(browser: HeadlessBrowser): Promise<URL> {
  const tileUrl = new URL(`${world.urls.acme}/start/twilio`);
  const tile = await browser.request(tileUrl);
  const posted = await signInAtAcme(browser, tileUrl, await tile.text(), {
    email: SAM.email,
    password: SAM.idpPassword,
  });
  const atAcs = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
  expect(atAcs.status).toBe(303);
  return new URL(atAcs.headers.get('location')!, posted.acsUrl);
}

async function consoleHomeEmail(browser: HeadlessBrowser): Promise<string | undefined> {
  const { response } = await browser.follow(`${world.urls.console}/`);
  return /data-testid="user-email">([^<]+)</.exec((await response?.text()) ?? '')?.[1];
}

/** Follows to the end, submitting oidc-provider's auto-submitting sign-out form (a browser's script would). */
async function followThroughSignOut(browser: HeadlessBrowser, start: URL) {
  const shown = await browser.follow(start);
  const html = (await shown.response?.text()) ?? '';
  const logout = /action="([^"]+)"[\s\S]*name="xsrf" value="([^"]+)"/.exec(html);
  if (!logout) return { url: shown.url, html, signedOut: false };
  const confirmed = await browser.request(logout[1]!, { form: { xsrf: logout[2]!, logout: 'yes' } });
  const end = await browser.follow(new URL(confirmed.headers.get('location')!, shown.url));
  return { url: end.url, html: (await end.response?.text()) ?? '', signedOut: true };
}

describe('IdP-initiated SSO while the browser is signed in as someone else', () => {
  it('asks first: ada stays signed in, sam is not, the ticket stays unused, until the person chooses', async () => {
    const browser = await consoleBrowser(world, ADA);
    const before = sessionsOf(ada().id);
    const complete = await browser.request(await samFromTile(browser));
    const page = await complete.text();
    expect(complete.status).toBe(200);
    expect(page).toContain('<h1>Switch to sam@acme.test?</h1>');
    expect(page).toContain('signed in to Twilio as <strong data-testid="signed-in-as">ada@example.com</strong>');
    expect(page).toContain('signed you in as <strong data-testid="sso-as">sam@acme.test</strong>');
    expect(page).toContain(`<a href="${world.urls.console}/">Stay signed in as ada@example.com</a>`);
    expect(browser.jar.names(new URL(world.urls.login).hostname)).not.toContain('twilio_sso_ticket');
    expect(await consoleHomeEmail(browser)).toBe(ADA.email);
    expect(sessionsOf(ada().id)).toEqual(before);
    const unused = world.db
      .prepare('SELECT COUNT(*) AS n FROM saml_logins WHERE ticket = ?')
      .get(formOn(page).fields.ticket);
    expect(unused).toEqual({ n: 1 });
  });

  it('signs ada out everywhere and sam in once the person confirms', async () => {
    const browser = await consoleBrowser(world, ADA);
    const before = sessionsOf(ada().id);
    const page = await (await browser.request(await samFromTile(browser))).text();
    const { action, fields } = formOn(page);
    expect(action).toBe('/saml/complete');
    const confirmed = await browser.request(`${world.urls.login}/saml/complete`, { form: fields });
    expect({ status: confirmed.status, location: confirmed.headers.get('location') }).toEqual({
      status: 303,
      location: `${world.urls.console}/sso/sign-in`,
    });
    const end = await followThroughSignOut(browser, new URL(confirmed.headers.get('location')!));
    expect({ signedOut: end.signedOut, origin: end.url.origin }).toEqual({
      signedOut: true,
      origin: world.urls.console,
    });
    expect(end.html).toContain('data-testid="user-email">sam@acme.test<');
    expect(sessionsOf(ada().id)).toEqual({ idp: before.idp - 1, console: before.console - 1 });
    expect(await consoleHomeEmail(browser)).toBe(SAM.email);
  });

  it('refuses the confirmation without the session’s CSRF token, or from another site, with 403; ada stays', async () => {
    const browser = await consoleBrowser(world, ADA);
    const page = await (await browser.request(await samFromTile(browser))).text();
    const { fields } = formOn(page);
    const forged = await browser.request(`${world.urls.login}/saml/complete`, {
      form: { ticket: fields.ticket!, csrf: 'forged' },
    });
    await expectRefusal(forged, 403, 'csrf_token_invalid');
    const crossSite = await browser.request(`${world.urls.login}/saml/complete`, {
      form: fields,
      headers: { origin: 'http://evil.localhost', 'sec-fetch-site': 'cross-site' },
    });
    await expectRefusal(crossSite, 403, 'cross_site_request');
    expect(browser.jar.names(new URL(world.urls.login).hostname)).not.toContain('twilio_sso_ticket');
    expect(await consoleHomeEmail(browser)).toBe(ADA.email);
  });

  it('answers a ticket that is unknown or used with 400 interaction_expired', async () => {
    const browser = new NewBrowser();
    const completeUrl = await samFromTile(browser);
    expect((await browser.follow(completeUrl)).url.origin).toBe(world.urls.console);
    await expectRefusal(await browser.request(completeUrl), 400, 'interaction_expired');
    await expectRefusal(
      await browser.request(`${world.urls.login}/saml/complete?ticket=${'x'.repeat(32)}`),
      400,
      'interaction_expired',
    );
  });

  it('replaces a Console session left from before (its IdP session gone) instead of keeping it', async () => {
    const browser = await consoleBrowser(world, ADA);
    world.db
      .prepare(`DELETE FROM oidc_models WHERE model = 'Session' AND json_extract(payload, '$.accountId') = ?`)
      .run(ada().id);
    const landed = await browser.follow(await samFromTile(browser));
    expect(landed.url.origin).toBe(world.urls.console);
    expect(await landed.response!.text()).toContain('data-testid="user-email">sam@acme.test<');
  });
});

describe('SP-initiated SSO while the browser is signed in as someone else', () => {
  it('signs ada out (IdP and Console sessions) before sam’s sign-in to Segment completes', async () => {
    world.setups.createSegmentUser(world.users.findByEmail(SAM.email)!, 'Sam’s switch workspace');
    const browser = await consoleBrowser(world, ADA);
    const before = sessionsOf(ada().id);
    const start = await browser.request(
      `${world.urls.segment}/login/twilio?login_hint=${encodeURIComponent(SAM.email)}`,
    );
    const atAcme = await browser.follow(new URL(start.headers.get('location')!, world.urls.segment));
    expect(atAcme.url.origin).toBe(world.urls.acme);
    const posted = await signInAtAcme(browser, atAcme.url, await atAcme.response!.text(), {
      email: SAM.email,
      password: SAM.idpPassword,
    });
    const atAcs = await postToAcs(browser, posted.acsUrl, posted.samlResponse, world.urls.acme);
    const end = await followThroughSignOut(browser, new URL(atAcs.headers.get('location')!, posted.acsUrl));
    expect({ signedOut: end.signedOut, origin: end.url.origin }).toEqual({
      signedOut: true,
      origin: world.urls.segment,
    });
    expect(sessionsOf(ada().id)).toEqual({ idp: before.idp - 1, console: before.console - 1 });
    expect(await consoleHomeEmail(browser)).toBe(SAM.email);
  });
});
