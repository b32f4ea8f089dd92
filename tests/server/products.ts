/** Helpers for driving Segment, SendGrid and the set-up pages of a test world like a browser would. */
import { expect } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { type Credentials, completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import type { TestWorld } from './world';

export type ProductSite = 'segment' | 'sendgrid';

export const BEN = { email: 'ben@example.com', password: 'demo-pass-2026' };
export const CLEO = { email: 'cleo@example.com', password: 'demo-pass-2026' };
export const SEGMENT_PASSWORD = 'segment-pass-2026';
export const FRANK_SENDGRID = { email: 'frank@example.net', password: 'sendgrid-pass-2026' };

let productUsers = 0;

/**
 * Opens `<product>/login/twilio?…` and signs in at the Twilio login; returns the product callback's response
 * (a 303: into the product, or to the set-up page for a Twilio user without a linked product user).
 */
export async function continueWithTwilio(
  world: TestWorld,
  product: ProductSite,
  credentials: Credentials,
  { query = '', browser = new HeadlessBrowser() }: { query?: string; browser?: HeadlessBrowser } = {},
): Promise<{ browser: HeadlessBrowser; response: Response }> {
  const callback = `${world.urls[product]}/callback`;
  const callbackUrl = await completeLogin(
    browser,
    `${world.urls[product]}/login/twilio${query}`,
    callback,
    credentials,
  );
  expect(callbackUrl.href.startsWith(callback)).toBe(true);
  const response = await browser.request(callbackUrl);
  return { browser, response };
}

/** A browser signed in to Twilio (an IdP session on the login host) and looking at `/setup/<product>`. */
export async function openSetup(
  world: TestWorld,
  product: ProductSite,
  credentials: Credentials,
): Promise<{ browser: HeadlessBrowser; html: string; csrf: string }> {
  const { browser, response } = await continueWithTwilio(world, product, credentials);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe(`${world.urls.login}/setup/${product}`);
  const setup = await browser.request(`${world.urls.login}/setup/${product}`);
  expect(setup.status).toBe(200);
  const html = await setup.text();
  // A page that offers no form (e.g. only explains a conflict) has no token; the other product's page has the
  // same one (it is the Twilio session's).
  const csrf = html.includes('name="csrf"')
    ? csrfTokenIn(html)
    : csrfTokenIn(await (await browser.request(`${world.urls.login}/setup/${other(product)}`)).text());
  return { browser, html, csrf };
}

const other = (product: ProductSite): ProductSite => (product === 'segment' ? 'sendgrid' : 'segment');

/** Follows a redirect chain from `location` (relative to `base`) and returns the final page. */
export async function land(browser: HeadlessBrowser, location: string | null, base: string) {
  if (!location) throw new Error('no redirect');
  const { url, response } = await browser.follow(new URL(location, base));
  return { url, status: response?.status, html: (await response?.text()) ?? '' };
}

/** Submits a product's password login form (with its CSRF token) and returns the response. */
export async function productPasswordLogin(
  world: TestWorld,
  product: ProductSite,
  credentials: Credentials,
  browser = new HeadlessBrowser(),
): Promise<{ browser: HeadlessBrowser; response: Response }> {
  const loginPage = await browser.request(`${world.urls[product]}/login`);
  expect(loginPage.status).toBe(200);
  const csrf = csrfTokenIn(await loginPage.text());
  const response = await browser.request(`${world.urls[product]}/login`, {
    form: { csrf, next: '/', email: credentials.email, password: credentials.password },
  });
  return { browser, response };
}

/** A new eligible Twilio user (password `demo-pass-2026`), for tests that need a persona of their own. */
export async function newTwilioUser(world: TestWorld, email: string, { eligible = true } = {}) {
  const user = world.users.create({
    email,
    name: `${email.split('@')[0]!.replace(/^./, (c) => c.toUpperCase())} Tester`,
    passwordHash: await hashPassword('demo-pass-2026'),
    eligible,
  });
  return { user, credentials: { email, password: 'demo-pass-2026' } };
}

/** A new user of `product`'s own (not linked to Twilio) with a password of its own: `<prefix>-<n>@example.org`. */
export async function newProductUser(world: TestWorld, product: ProductSite, prefix: string) {
  productUsers += 1;
  const credentials = { email: `${prefix}-${productUsers}@example.org`, password: `${prefix}-pass-2026!` };
  const user = world.products[product].users.create({
    email: credentials.email,
    name: `${prefix} Tester`,
    passwordHash: await hashPassword(credentials.password),
  });
  return { user, credentials };
}
