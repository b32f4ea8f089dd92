import { describe, expect, it } from 'vitest';
import { localhostFetch } from '../../mock-server/net';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import {
  BEN,
  CLEO,
  continueWithTwilio,
  FRANK_SENDGRID,
  land,
  productPasswordLogin,
  SEGMENT_PASSWORD,
} from './products';
import { ADA, DAN, worldForFile } from './world';

const world = await worldForFile();
const segment = world.products.segment;

describe('Segment and SendGrid sites', () => {
  it("signs Ada into her linked Segment user through the Twilio login and records a 'twilio' session", async () => {
    const adaSegment = segment.users.findByTwilioSub(world.users.findByEmail(ADA.email)!.id)!;
    const before = segment.sessionHistory(adaSegment.id).length;
    const { browser, response } = await continueWithTwilio(world, 'segment', ADA, {
      query: '?login_hint=ada%40example.com',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.getSetCookie().join()).toMatch(/segment_session=.*HttpOnly; SameSite=Lax/);
    const home = await land(browser, '/', world.urls.segment);
    expect(home.url.pathname).toBe('/workspaces/ws_ada_analytics');
    expect(home.html).toContain('Ada Analytics');
    expect(home.html).toMatch(/data-testid="workspace-role">Owner</);
    expect(home.html).toMatch(/<nav class="top" aria-label="Segment">[\s\S]*<div id="product-switcher-slot"><\/div>/);
    const history = segment.sessionHistory(adaSegment.id);
    expect(history).toHaveLength(before + 1);
    expect(history[0]).toMatchObject({ method: 'twilio' });
  });

  it('passes login_hint through to the Twilio login and keeps state, nonce and PKCE of its own', async () => {
    const response = await new HeadlessBrowser().request(
      `${world.urls.segment}/login/twilio?login_hint=ben%40example.com&next=%2Fsettings`,
    );
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${world.issuer}/auth`);
    expect(location.searchParams.get('client_id')).toBe('segment');
    expect(location.searchParams.get('login_hint')).toBe('ben@example.com');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    for (const param of ['state', 'nonce', 'code_challenge']) expect(location.searchParams.get(param)).toBeTruthy();
  });

  it("logs Ben in with his own Segment password, lands in Ben Co as Member and records a 'password' session", async () => {
    const { browser, response } = await productPasswordLogin(world, 'segment', {
      email: 'Ben@Example.com ',
      password: SEGMENT_PASSWORD,
    });
    expect(response.status).toBe(303);
    const home = await land(browser, response.headers.get('location'), world.urls.segment);
    expect(home.url.pathname).toBe('/workspaces/ws_ben_co');
    expect(home.html).toContain('Ben Co');
    expect(home.html).toMatch(/data-testid="workspace-role">Member</);
    const benSegment = segment.users.findByEmail(BEN.email)!;
    expect(segment.sessionHistory(benSegment.id)[0]).toMatchObject({ method: 'password' });
  });

  it('refuses a wrong Segment password with a generic message', async () => {
    const { response } = await productPasswordLogin(world, 'segment', { email: BEN.email, password: 'nope-nope' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Email or password is incorrect.');
  });

  it("sends Ada's email on the Segment password form to the Twilio login with her email, without a session", async () => {
    const { response } = await productPasswordLogin(world, 'segment', {
      email: ADA.email,
      password: 'anything-at-all',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/login/twilio?login_hint=ada%40example.com&next=%2F&notice=password_retired',
    );
    expect(response.headers.getSetCookie().join()).not.toContain('segment_session=');
  });

  it('refuses the password form without its CSRF token or from another site', async () => {
    const browser = new HeadlessBrowser();
    const csrf = csrfTokenIn(await (await browser.request(`${world.urls.segment}/login`)).text());
    const fields = { email: BEN.email, password: SEGMENT_PASSWORD };
    expect((await browser.request(`${world.urls.segment}/login`, { form: fields })).status).toBe(403);
    const crossSite = await browser.request(`${world.urls.segment}/login`, {
      form: { csrf, ...fields },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
  });

  it('logs Frank, a SendGrid-only user, in with his SendGrid password as before', async () => {
    const { browser, response } = await productPasswordLogin(world, 'sendgrid', FRANK_SENDGRID);
    expect(response.status).toBe(303);
    const home = await land(browser, response.headers.get('location'), world.urls.sendgrid);
    expect(home.url.pathname).toBe('/accounts/acct_franks_mail');
    expect(home.html).toContain('Frank&#39;s Mail');
    expect(home.html).toMatch(/data-testid="account-role">Admin</);
    expect(home.html).toMatch(/data-testid="account-plan">free</);
    expect(home.html).toMatch(/<nav class="top" aria-label="SendGrid">[\s\S]*<div id="product-switcher-slot"><\/div>/);
  });

  it('sends a Twilio user without a linked product user to the set-up page on the login host', async () => {
    const { response } = await continueWithTwilio(world, 'sendgrid', CLEO);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${world.urls.login}/setup/sendgrid`);
    expect(response.headers.getSetCookie().join()).not.toContain('sendgrid_session=');
  });

  it('tells Dan, who is not in the limited release, to contact support instead of setting up', async () => {
    const { response } = await continueWithTwilio(world, 'segment', DAN);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Contact support to request access');
  });

  it.each([
    ['//evil.localhost'],
    ['/\\evil.localhost'],
    ['https://evil.localhost/'],
    ['javascript:alert(1)'],
    ['/\t/evil.localhost'],
  ])('ignores next=%s outside the product and lands on /', async (next) => {
    const { response } = await continueWithTwilio(world, 'segment', ADA, {
      query: `?next=${encodeURIComponent(next)}`,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it('keeps a same-origin next path', async () => {
    const { response } = await continueWithTwilio(world, 'segment', ADA, { query: '?next=%2Fsettings' });
    expect(response.headers.get('location')).toBe('/settings');
  });

  it('ignores an unsafe next on the password form too', async () => {
    const browser = new HeadlessBrowser();
    const csrf = csrfTokenIn(await (await browser.request(`${world.urls.sendgrid}/login`)).text());
    const response = await browser.request(`${world.urls.sendgrid}/login`, {
      form: { csrf, next: '//evil.localhost/x', ...FRANK_SENDGRID },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
  });

  it('saves a timezone per product user and refuses one that does not exist', async () => {
    const { browser } = await productPasswordLogin(world, 'sendgrid', FRANK_SENDGRID);
    const settings = await browser.request(`${world.urls.sendgrid}/settings`);
    expect(settings.status).toBe(200);
    const csrf = csrfTokenIn(await settings.text());
    const saved = await browser.request(`${world.urls.sendgrid}/settings/timezone`, {
      form: { csrf, timezone: 'Europe/Paris' },
    });
    expect(saved.status).toBe(303);
    expect(world.products.sendgrid.users.findByEmail(FRANK_SENDGRID.email)!.timezone).toBe('Europe/Paris');
    const refused = await browser.request(`${world.urls.sendgrid}/settings/timezone`, {
      form: { csrf, timezone: 'Mars/Olympus_Mons' },
    });
    expect(refused.status).toBe(400);
  });

  it("shows Segment's session history and says a linked user's email and password are managed by Twilio", async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const page = await (await browser.request(`${world.urls.segment}/settings`)).text();
    expect(page).toContain('Session history');
    expect(page).toContain('Twilio login');
    expect(page).toContain('data-testid="managed-by-twilio"');
  });

  it('signs a password user out locally and a Twilio user out at the IdP too', async () => {
    const password = await productPasswordLogin(world, 'sendgrid', FRANK_SENDGRID);
    const home = await land(password.browser, '/', world.urls.sendgrid);
    const out = await password.browser.request(`${world.urls.sendgrid}/sign-out`, {
      form: { csrf: csrfTokenIn(home.html) },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?signed_out=1');
    expect((await password.browser.request(`${world.urls.sendgrid}/`)).headers.get('location')).toBe('/login');

    const twilio = await continueWithTwilio(world, 'segment', ADA);
    const twilioHome = await land(twilio.browser, '/', world.urls.segment);
    const twilioOut = await twilio.browser.request(`${world.urls.segment}/sign-out`, {
      form: { csrf: csrfTokenIn(twilioHome.html) },
    });
    expect(twilioOut.status).toBe(303);
    expect(twilioOut.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/session/end\\?`));
  });

  it('lists Segment as not set up for Ben while his Segment user is not linked', async () => {
    const { tokens } = await signInAsExtension(world, BEN);
    const response = await localhostFetch(`${world.urls.login}/api/products`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const { products } = (await response.json()) as { products: { id: string; status: string; url?: string }[] };
    expect(products.find((product) => product.id === 'segment')).toMatchObject({
      status: 'not_set_up',
      url: `${world.urls.login}/setup/segment`,
      workspaces: [],
    });
  });

  it('answers a workspace the user is not a member of with 404', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    expect((await browser.request(`${world.urls.segment}/workspaces/ws_ben_co`)).status).toBe(404);
  });
});
