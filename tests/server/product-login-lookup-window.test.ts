/**
 * The products' own login and the public lookup's rate limits: nobody can keep a person from signing in by
 * spending an email's lookups (the per-email window is the public lookup's alone), and the login form stays no
 * cheaper an oracle than the lookup (it spends the same per-IP window).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../contract/api';
import { LOOKUP_PER_EMAIL, LOOKUP_PER_IP } from '../../mock-server/identity/lookup';
import { localhostFetch } from '../../mock-server/net';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { lookupFromOtherIp } from './lookups';
import { newTwilioUser, type ProductSite } from './products';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
let counter = 0;

/** Fresh rate windows for each test. */
beforeEach(() => world.advance(LOOKUP_PER_IP.windowMs + 1000));

/** One more than the per-email window: the last is refused. */
async function strangerSpendsLookups(email: string, product: ProductSite) {
  for (let i = 0; i < LOOKUP_PER_EMAIL.limit; i += 1)
    expect((await lookupFromOtherIp(world, { email, product })).status).toBe(200);
  expect((await lookupFromOtherIp(world, { email, product })).status).toBe(429);
}

const lookup = (email: string) =>
  localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, product: 'segment' }),
  });

/** Opens a product's login page and submits it (password empty: the email-only submit). */
async function submitLogin(product: ProductSite, email: string, password = '') {
  const browser = new HeadlessBrowser();
  const csrf = csrfTokenIn(await (await browser.request(`${world.urls[product]}/login`)).text());
  return browser.request(`${world.urls[product]}/login`, { form: { csrf, next: '/', email, password } });
}

/** A unified user of `product` (a Twilio user with a product user created for it); returns the email. */
async function unifiedUser(product: ProductSite) {
  counter += 1;
  const { user } = await newTwilioUser(world, `unified-${counter}@example.org`);
  world.products[product].users.create({ email: user.email, name: 'Unified', twilioSub: user.id });
  return user.email;
}

const toTwilio = (email: string, retired: boolean) =>
  `/login/twilio?login_hint=${encodeURIComponent(email)}&next=%2F${retired ? '&notice=password_retired' : ''}`;

describe("a stranger spending an email's lookups", () => {
  it("does not keep Ada's password login on Segment from going to the Twilio login", async () => {
    await strangerSpendsLookups(ADA.email, 'segment');
    const response = await submitLogin('segment', ADA.email, ADA.password);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(toTwilio(ADA.email, true));
  });

  it("does not keep Ada's email-only submit on Segment from going to the Twilio login", async () => {
    await strangerSpendsLookups(ADA.email, 'segment');
    const response = await submitLogin('segment', ADA.email);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(toTwilio(ADA.email, false));
  });

  it("does not keep a unified SendGrid user's password login from going to the Twilio login", async () => {
    const email = await unifiedUser('sendgrid');
    await strangerSpendsLookups(email, 'sendgrid');
    const response = await submitLogin('sendgrid', email, 'their-old-password');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(toTwilio(email, true));
  });

  it("leaves the stranger's own lookups of that email refused, with Retry-After", async () => {
    await strangerSpendsLookups(ADA.email, 'segment');
    expect((await submitLogin('segment', ADA.email)).status).toBe(303);
    const refused = await lookupFromOtherIp(world, { email: ADA.email, product: 'segment' });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  });
});

describe("the login form and the lookup share one address's lookups", () => {
  /** The per-IP window spent on the public lookup, over enough emails that no per-email window is reached. */
  async function spendIpOnLookups() {
    for (let i = 0; i < LOOKUP_PER_IP.limit; i += 1) {
      expect((await lookup(`probe-${i}@example.org`)).status).toBe(200);
    }
  }

  it('refuses the email-only submit from an address that spent its lookups: 429 with Retry-After', async () => {
    await spendIpOnLookups();
    const response = await submitLogin('segment', ADA.email);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await response.text()).toContain('<h1>Too many attempts</h1>');
  });

  it('refuses a unified email with a password from an address that spent its lookups: 429 with Retry-After', async () => {
    await spendIpOnLookups();
    const response = await submitLogin('segment', ADA.email, ADA.password);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it("refuses the public lookup from an address that spent its lookups on the login's email-only submit", async () => {
    for (let i = 0; i < LOOKUP_PER_IP.limit; i += 1) {
      expect((await submitLogin('segment', `probe-${i}@example.org`)).status).toBe(200);
    }
    const refused = await lookup('another@example.org');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
