/**
 * Redirect-on-detected-email on the products' own login pages (issue 4, docs/architecture.md, "A login redirect"): unified emails go to the
 * Twilio login with `login_hint` and come back signed in where they were going; everyone else logs in with the
 * product password as before; `next` is never an open redirect; a hint never signs in silently as someone else.
 */
import * as oidc from 'openid-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI, EXTENSION_SCOPE } from '../../contract/catalogue';
import { LOOKUP_PER_IP } from '../../mock-server/identity/lookup';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionClient } from '../../scripts/lib/oidc-clients';
import { BEN, FRANK_SENDGRID, land, type ProductSite } from './products';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

/** Fresh rate-limit windows for each test. */
beforeEach(() => world.advance(2 * 60_000));

/** Opens a product's login page (for its CSRF cookie and token) and submits it. */
async function submitLogin(
  product: ProductSite,
  fields: { email: string; password?: string; next?: string },
  browser = new HeadlessBrowser(),
) {
  const page = await browser.request(`${world.urls[product]}/login`);
  const csrf = csrfTokenIn(await page.text());
  const response = await browser.request(`${world.urls[product]}/login`, {
    form: { csrf, next: fields.next ?? '/', email: fields.email, password: fields.password ?? '' },
  });
  return { browser, response };
}

describe('a unified email on a product login page', () => {
  it('sends Ada, who submits only her email on Segment, to the Twilio login with her email as login_hint', async () => {
    const { response } = await submitLogin('segment', { email: ADA.email });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login/twilio?login_hint=ada%40example.com&next=%2F');
    expect(response.headers.getSetCookie().join()).not.toContain('segment_session=');
  });

  it('ignores whatever password Ada typed (it is retired) and redirects the same way, saying the password is retired', async () => {
    for (const password of ['demo-pass-2026', 'wrong', 'x'.repeat(200)]) {
      const { response } = await submitLogin('segment', { email: ' Ada@Example.COM', password });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(
        '/login/twilio?login_hint=ada%40example.com&next=%2F&notice=password_retired',
      );
    }
  });

  it('lands Ada signed in to Segment, at the page she was going to, after the Twilio login', async () => {
    const { browser, response } = await submitLogin('segment', {
      email: ADA.email,
      next: '/workspaces/ws_ada_analytics',
    });
    const location = response.headers.get('location')!;
    expect(location).toBe('/login/twilio?login_hint=ada%40example.com&next=%2Fworkspaces%2Fws_ada_analytics');

    // The product's own OIDC request carries the hint; the Twilio login page shows it filled in.
    const start = await browser.request(new URL(location, world.urls.segment));
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(world.urls.login);
    expect(authorize.searchParams.get('login_hint')).toBe('ada@example.com');
    expect(authorize.searchParams.get('client_id')).toBe('segment');
    const loginPage = await browser.follow(authorize);
    expect(loginPage.url.pathname).toMatch(/^\/interaction\//);
    expect(await loginPage.response!.text()).toContain('value="ada@example.com"');

    const callback = await completeLogin(browser, authorize, `${world.urls.segment}/callback`, ADA);
    const landed = await land(browser, callback.href, world.urls.segment);
    expect(landed.status).toBe(200);
    expect(landed.url.href).toBe(`${world.urls.segment}/workspaces/ws_ada_analytics`);
    expect(landed.html).toContain('Ada Analytics');
  });

  it('redirects a user created from the Twilio Console (Eve on SendGrid) the same way', async () => {
    const eve = world.users.findByEmail('eve@example.com')!;
    world.products.sendgrid.users.create({ email: eve.email, name: eve.name, twilioSub: eve.id });
    const { response } = await submitLogin('sendgrid', { email: eve.email, password: 'anything' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/login/twilio?login_hint=eve%40example.com&next=%2F&notice=password_retired',
    );
  });

  it.each([
    ['//evil.localhost'],
    ['/\\evil.localhost'],
    ['https://evil.localhost/'],
    ['javascript:alert(1)'],
    ['/a/..//evil.localhost'],
  ])('ignores next=%j: the redirect carries next=/', async (next) => {
    const { response } = await submitLogin('segment', { email: ADA.email, next });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login/twilio?login_hint=ada%40example.com&next=%2F');
  });
});

describe('everyone else on a product login page', () => {
  it('signs Frank in to SendGrid with his SendGrid password as before', async () => {
    const { browser, response } = await submitLogin('sendgrid', FRANK_SENDGRID);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.getSetCookie().join()).toContain('sendgrid_session=');
    const landed = await land(browser, '/', world.urls.sendgrid);
    expect(landed.status).toBe(200);
    expect(landed.url.pathname).toMatch(/^\/accounts\//);
  });

  it('asks Frank, who submitted only his email, for his password with the email filled in', async () => {
    const { response } = await submitLogin('sendgrid', { email: 'Frank@Example.net' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Enter your password.');
    expect(html).toContain('value="frank@example.net"');
    expect(response.headers.getSetCookie().join()).not.toContain('sendgrid_session=');
  });

  it('answers an unknown email, and Ben on Segment (a Twilio user, but not linked), exactly like Frank', async () => {
    for (const [product, email] of [
      ['sendgrid', 'nobody@example.org'],
      ['segment', BEN.email],
      ['segment', 'cleo@example.com'],
    ] as const) {
      const { response } = await submitLogin(product, { email });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('Enter your password.');
      expect(html).toContain(`value="${email}"`);
    }
  });

  it('refuses a wrong password for an unknown email generically, without a redirect', async () => {
    const { response } = await submitLogin('segment', { email: 'nobody@example.org', password: 'guess' });
    expect(response.status).toBe(401);
    expect(await response.text()).toContain('Email or password is incorrect.');
  });

  it('escapes an email with HTML in it when showing the page again', async () => {
    const { response } = await submitLogin('segment', { email: '"><script>alert(1)</script>@example.com' });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com"');
  });

  it('refuses a 10 kB email with a 4xx, never a 5xx', async () => {
    const { response } = await submitLogin('segment', { email: `${'a'.repeat(10_000)}@example.com` });
    expect(response.status).toBe(400);
  });

  it("rate-limits email-only submissions by the lookup's per-IP window: 429 with Retry-After after 60 a minute", async () => {
    const browser = new HeadlessBrowser();
    for (let i = 0; i < LOOKUP_PER_IP.limit; i += 1) {
      expect((await submitLogin('segment', { email: 'cleo@example.com' }, browser)).response.status).toBe(200);
    }
    const { response } = await submitLogin('segment', { email: 'cleo@example.com' }, browser);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    world.advance(60_000);
    expect((await submitLogin('segment', { email: 'cleo@example.com' }, browser)).response.status).toBe(200);
  });
});

describe('the Twilio login with a login_hint', () => {
  async function authorize(browser: HeadlessBrowser, params: Record<string, string>) {
    const config = await extensionClient(world);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: EXTENSION_SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: oidc.randomState(),
      ...params,
    });
    return browser.follow(url, { stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI) });
  }

  async function adaSignedIn(): Promise<HeadlessBrowser> {
    const browser = new HeadlessBrowser();
    const first = await authorize(browser, {});
    const loginUrl = new URL(`${first.url.pathname}/login`, first.url);
    const done = await browser.request(loginUrl, {
      form: { csrf: csrfTokenIn(await first.response!.text()), ...ADA },
    });
    const end = await browser.follow(new URL(done.headers.get('location')!, loginUrl), {
      stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI),
    });
    expect(end.url.searchParams.get('code')).toBeTruthy();
    return browser;
  }

  it("resumes Ada's session silently when the hint is hers", async () => {
    const browser = await adaSignedIn();
    const { url } = await authorize(browser, { login_hint: 'ADA@example.com' });
    expect(url.href.startsWith(EXTENSION_REDIRECT_URI)).toBe(true);
    expect(url.searchParams.get('code')).toBeTruthy();
  });

  it("shows the login page pre-filled with Ben's email, not a code for Ada, when the hint is Ben's", async () => {
    const browser = await adaSignedIn();
    const { url, response } = await authorize(browser, { login_hint: BEN.email });
    expect(url.href.startsWith(EXTENSION_REDIRECT_URI)).toBe(false);
    expect(url.origin).toBe(world.urls.login);
    expect(url.pathname).toMatch(/^\/interaction\//);
    expect(response?.status).toBe(200);
    const html = await response!.text();
    expect(html).toContain('value="ben@example.com"');

    // Ben signs in there: Ada's IdP session ends (oidc-provider's logout form) and the authorization completes.
    const done = await browser.request(new URL(`${url.pathname}/login`, url), {
      form: { csrf: csrfTokenIn(html), ...BEN },
    });
    // Switching accounts ends Ada's IdP session first: oidc-provider's auto-submitting logout form, then the code.
    const resumed = await browser.follow(new URL(done.headers.get('location')!, url));
    const logoutForm = (await resumed.response!.text()).match(/action="([^"]+)"[\s\S]*name="xsrf" value="([^"]+)"/);
    expect(logoutForm).toBeTruthy();
    const confirmed = await browser.request(logoutForm![1]!, { form: { xsrf: logoutForm![2]!, logout: 'yes' } });
    const end = await browser.follow(new URL(confirmed.headers.get('location')!, url), {
      stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI),
    });
    expect(end.url.searchParams.get('code')).toBeTruthy();
  });

  it("answers login_required, not a code, for prompt=none with another user's hint", async () => {
    const browser = await adaSignedIn();
    const { url } = await authorize(browser, { login_hint: BEN.email, prompt: 'none' });
    expect(url.href.startsWith(EXTENSION_REDIRECT_URI)).toBe(true);
    expect(url.searchParams.get('code')).toBeNull();
    expect(url.searchParams.get('error')).toBe('login_required');
  });

  it('does not sign Ada in to Segment as herself when Segment sends Ben with a hint', async () => {
    const browser = await adaSignedIn();
    const start = await browser.request(
      `${world.urls.segment}/login/twilio?login_hint=${encodeURIComponent(BEN.email)}`,
    );
    const { url, response } = await browser.follow(start.headers.get('location')!);
    expect(url.pathname).toMatch(/^\/interaction\//);
    expect(await response!.text()).toContain('value="ben@example.com"');
  });

  it('escapes a login_hint with HTML in it on the Twilio login page', async () => {
    // With an @, so the sign-in takes it as the email given (a hint that is no email is set aside).
    const hint = '"><img src=x onerror=alert(1)>@example.com';
    const start = await new HeadlessBrowser().request(
      `${world.urls.segment}/login/twilio?login_hint=${encodeURIComponent(hint)}`,
    );
    const browser = new HeadlessBrowser();
    const { response } = await browser.follow(start.headers.get('location')!);
    // The browser that started the request holds the state cookie; the page itself is what matters here.
    const html = await response!.text();
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@example.com"');
  });
});
