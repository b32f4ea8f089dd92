/**
 * oidc-provider's own pages (issue 9, security 8): the form_post auto-submit page, the logout confirmation and its
 * error page carry our CSP with frame-ancestors 'none', nosniff and our Referrer-Policy.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../../scripts/lib/oidc-clients';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

function expectPageHeaders(response: Response) {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('same-origin');
  return csp;
}

/** The page's CSP allows exactly the one inline script it carries. */
function expectOnlyItsScript(response: Response, body: string) {
  const scripts = [...body.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? '');
  expect(scripts).toHaveLength(1);
  const hash = createHash('sha256').update(scripts[0]!).digest('base64');
  expect(expectPageHeaders(response)).toContain(`script-src 'sha256-${hash}'`);
}

/** A browser with ada's Twilio login session (from the extension's code flow), and the extension's client. */
async function adaSignedIn() {
  const browser = new HeadlessBrowser();
  const config = await extensionClient(world);
  const { url } = await extensionAuthorization(config, { scope: 'openid' });
  await completeLogin(browser, url, EXTENSION_REDIRECT_URI, ADA);
  return { browser, config };
}

describe("oidc-provider's own pages", () => {
  it('gives the form_post page our headers, allowing only its own auto-submit script', async () => {
    const config = await extensionClient(world);
    const { url } = await extensionAuthorization(config, {
      scope: 'openid',
      response_mode: 'form_post',
      state: 'form-post',
    });
    const browser = new HeadlessBrowser();
    const first = await browser.follow(url);
    const loginUrl = new URL(`${first.url.pathname}/login`, first.url);
    const afterPassword = await browser.request(loginUrl, {
      form: { csrf: csrfTokenIn(await first.response!.text()), ...ADA },
    });
    // Signing in ends on a page (the auto-submitting form), not a redirect to the redirect URI.
    const end = await browser.follow(new URL(afterPassword.headers.get('location')!, loginUrl));
    expect(end.response?.status).toBe(200);
    const body = await end.response!.text();
    expect(body).toContain(`<form method="post" action="${EXTENSION_REDIRECT_URI}">`);
    expectOnlyItsScript(end.response!, body);
  });

  it('gives the form_post page our headers at the authorization endpoint in any case, as its router matches it', async () => {
    const { browser, config } = await adaSignedIn();
    // Signed in, the provider answers the authorization request at once: with form_post, the page itself.
    const { url } = await extensionAuthorization(config, { scope: 'openid', response_mode: 'form_post' });
    url.pathname = '/AUTH/';
    const response = await browser.request(url);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain(`<form method="post" action="${EXTENSION_REDIRECT_URI}">`);
    expectOnlyItsScript(response, body);
  });

  it('gives the logout auto-submit page (no session) our headers, allowing only its own script', async () => {
    const response = await new HeadlessBrowser().request(`${world.issuer}/session/end`);
    expect(response.status).toBe(200);
    const body = await response.text();
    expect(body).toContain('/session/end/confirm');
    expectOnlyItsScript(response, body);
  });

  it('gives the logout confirmation (signed in) our headers, with no script at all', async () => {
    const { browser } = await adaSignedIn();
    const response = await browser.request(`${world.issuer}/session/end`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Sign out of Twilio?');
    expect(expectPageHeaders(response)).not.toContain('script-src');
  });

  it('gives its error page our headers', async () => {
    const response = await new HeadlessBrowser().request(
      `${world.issuer}/auth?client_id=nobody&response_type=code&scope=openid`,
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Sign-in could not continue');
    expectPageHeaders(response);
  });

  it('gives its error page our headers at an endpoint that otherwise answers JSON only', async () => {
    // The userinfo endpoint without a token, asked by a browser: the provider renders its error page there too.
    const response = await new HeadlessBrowser().request(`${world.issuer}/me`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('Sign-in could not continue');
    expectPageHeaders(response);
  });

  it('gives its JSON answers nosniff and our Referrer-Policy too', async () => {
    const response = await new HeadlessBrowser().request(`${world.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
  });
});
