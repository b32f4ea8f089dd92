/**
 * "Use your Twilio login for Segment" (issue 4, beyond the article): offered after a Segment password login to a
 * user whose email is an eligible Twilio user's, leading to the switcher's set-up page through Segment's "continue with
 * Twilio" for that user's email (never as another Twilio session's user), until dismissed for good.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { BEN, FRANK_SENDGRID, land, newTwilioUser, type ProductSite, SEGMENT_PASSWORD } from './products';
import { consoleBrowser, decodeEntities } from './settings';
import { ADA, type TestWorld, worldForFile } from './world';

const world = await worldForFile();
const OFFER_TITLE = 'Use your Twilio login for Segment';
const DISMISS_PATH = '/offers/twilio-login/dismiss';

/** Logs in with the product password and returns the page it lands on. */
async function passwordLogin(product: ProductSite, email: string, password: string, browser = new HeadlessBrowser()) {
  const loginPage = await browser.request(`${world.urls[product]}/login`);
  const csrf = csrfTokenIn(await loginPage.text());
  const response = await browser.request(`${world.urls[product]}/login`, {
    form: { csrf, next: '/', email, password },
  });
  expect(response.status).toBe(303);
  const landed = await land(browser, response.headers.get('location'), world.urls[product]);
  expect(landed.status).toBe(200);
  return { browser, ...landed };
}

/** A Segment-only user (own password) with a workspace, for an email of our choosing. */
async function segmentUser(w: TestWorld, email: string) {
  const user = w.products.segment.users.create({
    email,
    name: 'Segment Tester',
    passwordHash: await hashPassword(SEGMENT_PASSWORD),
  });
  const workspace = w.products.segment.createWorkspace(`${email} workspace`);
  w.products.segment.addMember(workspace.id, user.id, 'Owner');
  return user;
}

function offerIn(html: string): string | undefined {
  return /<section[^>]*data-testid="twilio-login-offer"[\s\S]*?<\/section>/.exec(html)?.[0];
}

describe('the offer to use the Twilio login', () => {
  it("is shown to Ben after his Segment password login, leading to Segment's Twilio login for his email", async () => {
    const { url, html } = await passwordLogin('segment', BEN.email, SEGMENT_PASSWORD);
    expect(url.pathname).toBe('/workspaces/ws_ben_co');
    const offer = offerIn(html);
    expect(offer).toBeDefined();
    expect(offer).toContain(`aria-label="${OFFER_TITLE}"`);
    expect(offer).toContain(`<h2 style="margin-top:0;font-size:1.1rem">${OFFER_TITLE}</h2>`);
    expect(offer).toContain(
      `<a href="${world.urls.segment}/login/twilio?login_hint=ben%40example.com">Set up Twilio login</a>`,
    );
    expect(offer).toContain('<button type="submit">Not now</button>');
  });

  it("never signs Ben in as the browser's Twilio session (Ada): the Twilio login asks for Ben, then Ben's set-up", async () => {
    const browser = await consoleBrowser(world, ADA);
    const { html } = await passwordLogin('segment', BEN.email, SEGMENT_PASSWORD, browser);
    const href = decodeEntities(/<a href="([^"]+)">Set up Twilio login<\/a>/.exec(offerIn(html)!)![1]!);

    // Ada's session is not used: the Twilio login asks Ben to sign in, and Ben's Segment session is his still.
    const shown = await browser.follow(href);
    expect(shown.url.origin).toBe(world.urls.login);
    expect(shown.url.pathname).toMatch(/^\/interaction\//);
    expect(shown.response?.status).toBe(200);
    expect(await shown.response?.text()).toContain('value="ben@example.com"');
    expect((await browser.request(`${world.urls.segment}/workspaces/ws_ben_co`)).status).toBe(200);
    expect((await browser.request(`${world.urls.segment}/workspaces/ws_ada_analytics`)).status).toBe(404);

    // Ben signs in there (oidc-provider's auto-submitting form ends Ada's IdP session first), and the callback,
    // finding no linked Segment user, sends him to his own set-up page.
    const switched = await completeLogin(browser, href, `${world.urls.segment}/callback`, BEN);
    const logoutForm = (await (await browser.request(switched)).text()).match(
      /action="([^"]+)"[\s\S]*name="xsrf" value="([^"]+)"/,
    )!;
    const confirmed = await browser.request(logoutForm[1]!, { form: { xsrf: logoutForm[2]!, logout: 'yes' } });
    const callback = await browser.follow(new URL(confirmed.headers.get('location')!, switched), {
      stopAt: (url) => url.href.startsWith(`${world.urls.segment}/callback`),
    });
    const toSetup = await browser.request(callback.url);
    expect(toSetup.status).toBe(303);
    expect(toSetup.headers.get('location')).toBe(`${world.urls.login}/setup/segment`);
    const setup = await (await browser.request(`${world.urls.login}/setup/segment`)).text();
    expect(setup).toContain('ben@example.com');
    expect(setup).not.toContain('ada@example.com');
    expect(world.products.segment.users.findByEmail(BEN.email)!.twilioSub).toBeUndefined();
  });

  it('is not shown to product users without a Twilio user (Frank on SendGrid, a Segment-only user)', async () => {
    const frank = await passwordLogin('sendgrid', FRANK_SENDGRID.email, FRANK_SENDGRID.password);
    expect(frank.url.pathname).toMatch(/^\/accounts\//);
    expect(offerIn(frank.html)).toBeUndefined();

    await segmentUser(world, 'gil@example.org');
    const gil = await passwordLogin('segment', 'gil@example.org', SEGMENT_PASSWORD);
    expect(gil.url.pathname).toMatch(/^\/workspaces\//);
    expect(offerIn(gil.html)).toBeUndefined();
  });

  it('is not shown when the Twilio user with that email is not in the limited release', async () => {
    await newTwilioUser(world, 'hal@example.org', { eligible: false });
    await segmentUser(world, 'hal@example.org');
    const hal = await passwordLogin('segment', 'hal@example.org', SEGMENT_PASSWORD);
    expect(offerIn(hal.html)).toBeUndefined();
  });

  it('is gone for good once dismissed (POST with the CSRF token), also after the next login', async () => {
    await newTwilioUser(world, 'ivy@example.org');
    await segmentUser(world, 'ivy@example.org');
    const { browser, url, html } = await passwordLogin('segment', 'ivy@example.org', SEGMENT_PASSWORD);
    const offer = offerIn(html)!;
    expect(offer).toBeDefined();
    const csrf = csrfTokenIn(offer);

    // Without the session's CSRF token, or from another site: refused, still offered.
    const forged = await browser.request(`${world.urls.segment}${DISMISS_PATH}`, {
      form: { csrf: 'forged', next: url.pathname },
    });
    expect(forged.status).toBe(403);
    const crossSite = await browser.request(`${world.urls.segment}${DISMISS_PATH}`, {
      form: { csrf, next: url.pathname },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(offerIn(await (await browser.request(url)).text())).toBeDefined();

    const dismissed = await browser.request(`${world.urls.segment}${DISMISS_PATH}`, {
      form: { csrf, next: url.pathname },
    });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.get('location')).toBe(url.pathname);
    expect(offerIn(await (await browser.request(url)).text())).toBeUndefined();

    const again = await passwordLogin('segment', 'ivy@example.org', SEGMENT_PASSWORD);
    expect(offerIn(again.html)).toBeUndefined();
  });

  it('sends a dismissal with an unsafe next back to /', async () => {
    await newTwilioUser(world, 'jay@example.org');
    await segmentUser(world, 'jay@example.org');
    const { browser, html } = await passwordLogin('segment', 'jay@example.org', SEGMENT_PASSWORD);
    const dismissed = await browser.request(`${world.urls.segment}${DISMISS_PATH}`, {
      form: { csrf: csrfTokenIn(offerIn(html)!), next: '//evil.localhost' },
    });
    expect(dismissed.status).toBe(303);
    expect(dismissed.headers.get('location')).toBe('/');
  });
});
