/**
 * The login throttle under parallel attempts, across the two steps of a 2FA login, on the Console's second-factor
 * checks, for re-authentication inside a signed-in session, and on the products' password form for unified emails.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, IP_POLICY } from '../../mock-server/accounts/login-throttle';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import { LOOKUP_PER_EMAIL, LOOKUP_PER_IP } from '../../mock-server/identity/lookup';
import { EVE_TOTP_SECRET } from '../../mock-server/seed';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { CLEO, continueWithTwilio, newProductUser, newTwilioUser, openSetup, productPasswordLogin } from './products';
import { consoleBrowser, decodeEntities, freshUser, PASSWORD, submit } from './settings';
import { SAM, startSpInitiated } from './sso';
import { ADA, DAN, worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const WRONG_CODE_MESSAGE =
  'That code is not valid. Enter the current code from your authenticator app or an unused recovery code.';
let counter = 0;

// Every test starts with the loopback address's failures and rate windows long gone.
beforeEach(() => world.advance(24 * 60 * 60_000));

/** How many responses had each status, e.g. `{ 303: 5, 429: 10 }`. */
const statusCounts = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((counts, { status }) => {
    counts[status] = (counts[status] ?? 0) + 1;
    return counts;
  }, {});

/** Every 429 says how long to wait: at most the first wait of the account policy. */
function expectWaits(responses: Response[]) {
  for (const response of responses.filter(({ status }) => status === 429)) {
    const wait = Number(response.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(ACCOUNT_POLICY.baseDelayMs / 1000);
  }
}

/** A six-digit code that matches none of the steps `secret` accepts now. */
function wrongCode(secret: string): string {
  const now = world.clock();
  const accepted = [-STEP_MS, 0, STEP_MS].map((offset) => currentTotpCode(secret, now + offset));
  return ['000000', '111111', '222222', '333333'].find((code) => !accepted.includes(code))!;
}

describe('parallel right passwords', () => {
  it('all sign in: checks in flight make the next ones wait, never refuse them', async () => {
    const { credentials } = await freshUser(world, 'many-tabs');
    const logins = await Promise.all(Array.from({ length: 12 }, () => openLogin(world)));
    const responses = await Promise.all(
      logins.map((login) => submitPassword(login, { email: credentials.email, password: PASSWORD })),
    );
    expect(statusCounts(responses)).toEqual({ 303: 12 });
    const codes = await Promise.all(responses.map((response, i) => codeAfter(logins[i]!, response)));
    expect(codes.every(({ code }) => typeof code === 'string')).toBe(true);
  });
});

describe('parallel wrong passwords', () => {
  it('on the Twilio login: exactly the free failures are checked, the rest get 429 with Retry-After', async () => {
    const { credentials } = await freshUser(world, 'racer');
    const login = await openLogin(world);
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) => submitPassword(login, { email: credentials.email, password: `wrong-${i}` })),
    );
    expect(statusCounts(responses)).toEqual({
      303: ACCOUNT_POLICY.freeFailures,
      429: 15 - ACCOUNT_POLICY.freeFailures,
    });
    for (const checked of responses.filter(({ status }) => status === 303)) {
      expect(checked.headers.get('location')).toBe(login.interactionUrl.pathname);
    }
    expectWaits(responses);
    // The account is locked: even the right password waits now.
    expect((await submitPassword(login, { email: credentials.email, password: PASSWORD })).status).toBe(429);
    // Once the wait is over, attempts sent at once get the one check the delay allows, and the rest 429 again.
    world.advance(ACCOUNT_POLICY.baseDelayMs + 1_000);
    const again = await Promise.all(
      Array.from({ length: 8 }, (_, i) => submitPassword(login, { email: credentials.email, password: `again-${i}` })),
    );
    expect(statusCounts(again)).toEqual({ 303: 1, 429: 7 });
  });

  it("on the Twilio login, per IP: exactly the IP's free failures are checked across many accounts", async () => {
    const login = await openLogin(world);
    const responses = await Promise.all(
      Array.from({ length: IP_POLICY.freeFailures + 5 }, (_, i) =>
        submitPassword(login, { email: `nobody-${i}-${Date.now()}@example.org`, password: 'wrong-password' }),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 303: IP_POLICY.freeFailures, 429: 5 });
    expectWaits(responses);
  });

  it("on Segment's own login: exactly the free failures are checked, the rest get 429 with Retry-After", async () => {
    const { credentials } = await newProductUser(world, 'segment', 'seg-racer');
    const browser = new HeadlessBrowser();
    const csrf = csrfTokenIn(await (await browser.request(`${world.urls.segment}/login`)).text());
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        browser.request(`${world.urls.segment}/login`, {
          form: { csrf, next: '/', email: credentials.email, password: `wrong-${i}` },
        }),
      ),
    );
    expect(statusCounts(responses)).toEqual({
      401: ACCOUNT_POLICY.freeFailures,
      429: 15 - ACCOUNT_POLICY.freeFailures,
    });
    expectWaits(responses);
    expect((await productPasswordLogin(world, 'segment', credentials, browser)).response.status).toBe(429);
  });
});

describe('the second factor of the Twilio login', () => {
  it('stays throttled when the right password is entered again between wrong codes, until a whole login succeeds', async () => {
    const { credentials } = await freshUser(world, 'coder', { totpSecret: EVE_TOTP_SECRET });
    const login = await openLogin(world);
    const totpUrl = `${login.interactionUrl.href}/totp`;
    const code = (value: string) => login.browser.request(totpUrl, { form: { csrf: login.csrf, code: value } });

    const rounds: string[][] = [];
    for (let round = 0; round < 4; round += 1) {
      const statuses = [(await submitPassword(login, { email: credentials.email, password: PASSWORD })).status];
      for (let i = 0; i < 4; i += 1) statuses.push((await code(wrongCode(EVE_TOTP_SECRET))).status);
      rounds.push(statuses.map(String));
    }
    // Four wrong codes, the right password (not clearing them), a fifth wrong code: then everything waits.
    expect(rounds).toEqual([
      ['303', '303', '303', '303', '303'],
      ['303', '303', '429', '429', '429'],
      ['429', '429', '429', '429', '429'],
      ['429', '429', '429', '429', '429'],
    ]);
    const throttled = await code(currentTotpCode(EVE_TOTP_SECRET, world.clock()));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await throttled.text()).toContain('Too many attempts');

    // Once the wait has passed, a whole login (password and a right code) gets in and clears the counter.
    world.advance(Number(throttled.headers.get('retry-after')) * 1000 + 1);
    expect((await submitPassword(login, { email: credentials.email, password: PASSWORD })).status).toBe(303);
    const signedIn = await code(currentTotpCode(EVE_TOTP_SECRET, world.clock()));
    expect((await codeAfter(login, signedIn)).code).toEqual(expect.any(String));
    const again = await openLogin(world);
    expect((await submitPassword(again, { email: credentials.email, password: PASSWORD })).status).toBe(303);
    for (let i = 0; i < 4; i += 1) {
      const wrong = await again.browser.request(`${again.interactionUrl.href}/totp`, {
        form: { csrf: again.csrf, code: wrongCode(EVE_TOTP_SECRET) },
      });
      expect(wrong.status).toBe(303);
    }
  });
});

describe("turning 2FA off in the Console's settings", () => {
  it('throttles wrong codes (the right password does not reset them): 429 with Retry-After, 2FA stays on', async () => {
    const { user, credentials } = await freshUser(world, 'disabler', { totpSecret: EVE_TOTP_SECRET });
    const browser = await consoleBrowser(world, {
      ...credentials,
      totp: () => currentTotpCode(EVE_TOTP_SECRET, world.clock()),
    });
    const disable = (code: string) =>
      submit(world, browser, '/settings/two-factor/disable', { code, current_password: PASSWORD });

    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
      const refused = await disable(wrongCode(EVE_TOTP_SECRET));
      expect(refused.response.status).toBe(400);
      expect(refused.html).toContain(`<div class="alert" role="alert">${WRONG_CODE_MESSAGE}</div>`);
    }
    // Even a right code (the next step's, not used yet) waits now.
    const throttled = await disable(currentTotpCode(EVE_TOTP_SECRET, world.clock() + STEP_MS));
    expect(throttled.response.status).toBe(429);
    const wait = Number(throttled.response.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(30);
    expect(throttled.html).toContain('<h1>Too many attempts</h1>');
    expect(world.users.findById(user.id)!.totpSecret).toBe(EVE_TOTP_SECRET);

    world.advance(wait * 1000 + STEP_MS);
    const off = await disable(currentTotpCode(EVE_TOTP_SECRET, world.clock()));
    expect(off.response.status).toBe(303);
    expect(off.response.headers.get('location')).toBe('/settings?done=two-factor-off');
    expect(world.users.findById(user.id)!.totpSecret).toBeUndefined();
  });
});

describe("a stranger's wrong logins and a signed-in user's re-authentication", () => {
  it('do not keep the signed-in user from changing the Console password with the right current password', async () => {
    const { user, credentials } = await freshUser(world, 'locked-out');
    const browser = await consoleBrowser(world, credentials);

    const stranger = new HeadlessBrowser();
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
      const login = await openLogin(world, {}, stranger);
      expect((await submitPassword(login, { email: user.email, password: `guess-${i}` })).status).toBe(303);
    }
    expect(
      (await submitPassword(await openLogin(world, {}, stranger), { email: credentials.email, password: PASSWORD }))
        .status,
    ).toBe(429);

    const changed = await submit(world, browser, '/settings/password', {
      current_password: PASSWORD,
      new_password: 'a-much-longer-pass-2026',
      confirm_password: 'a-much-longer-pass-2026',
    });
    expect(changed.response.status).toBe(303);
    expect(changed.response.headers.get('location')).toBe('/settings?done=password-changed');
  });

  it('do not keep a signed-in SendGrid user from changing the password with the right current password', async () => {
    const { credentials } = await newProductUser(world, 'sendgrid', 'sg-locked-out');
    const { browser } = await productPasswordLogin(world, 'sendgrid', credentials);

    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
      const guess = { email: credentials.email, password: `guess-${i}` };
      expect((await productPasswordLogin(world, 'sendgrid', guess)).response.status).toBe(401);
    }
    expect((await productPasswordLogin(world, 'sendgrid', credentials)).response.status).toBe(429);

    const csrf = csrfTokenIn(await (await browser.request(`${world.urls.sendgrid}/settings`)).text());
    const changed = await browser.request(`${world.urls.sendgrid}/settings/password`, {
      form: {
        csrf,
        current_password: credentials.password,
        new_password: 'sg-new-pass-2026!',
        confirm_password: 'sg-new-pass-2026!',
      },
    });
    expect(changed.status).toBe(303);
    expect(changed.headers.get('location')).toBe('/settings?done=password');
  });
});

describe("a unified email with a password on a product's own login", () => {
  const post = (browser: HeadlessBrowser, csrf: string, email: string) =>
    browser.request(`${world.urls.segment}/login`, { form: { csrf, next: '/', email, password: 'anything' } });
  const retired = (email: string) =>
    `/login/twilio?login_hint=${encodeURIComponent(email)}&next=%2F&notice=password_retired`;

  /** A new Twilio user with a Segment user created for it (unified); returns the email. */
  async function unifiedSegmentUser() {
    counter += 1;
    const { user } = await newTwilioUser(world, `unified-${counter}@example.org`);
    world.products.segment.users.create({ email: user.email, name: 'Unified', twilioSub: user.id });
    return user.email;
  }

  async function loginForm() {
    const browser = new HeadlessBrowser();
    const csrf = csrfTokenIn(await (await browser.request(`${world.urls.segment}/login`)).text());
    return { browser, csrf };
  }

  it('takes no lookup limit per email (anyone could spend it): past it, the form still redirects', async () => {
    const { browser, csrf } = await loginForm();
    for (let i = 0; i <= LOOKUP_PER_EMAIL.limit; i += 1) {
      const redirected = await post(browser, csrf, ADA.email);
      expect(redirected.status).toBe(303);
      expect(redirected.headers.get('location')).toBe(retired(ADA.email));
    }
    // The email-only form neither.
    const emailOnly = await browser.request(`${world.urls.segment}/login`, {
      form: { csrf, next: '/', email: ADA.email },
    });
    expect(emailOnly.status).toBe(303);
  });

  it('takes the lookup limit per IP: 429 with Retry-After past it, whatever the emails', async () => {
    const perEmail = LOOKUP_PER_EMAIL.limit;
    const emails = [ADA.email];
    while (emails.length * perEmail < LOOKUP_PER_IP.limit) emails.push(await unifiedSegmentUser());
    const { browser, csrf } = await loginForm();
    for (let i = 0; i < LOOKUP_PER_IP.limit; i += 1) {
      const email = emails[Math.floor(i / perEmail)]!;
      const redirected = await post(browser, csrf, email);
      expect(redirected.status).toBe(303);
      expect(redirected.headers.get('location')).toBe(retired(email));
    }
    // A unified email not used yet: its own window has room, the IP's has none.
    const throttled = await post(browser, csrf, await unifiedSegmentUser());
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('limited release and hand-made set-up requests', () => {
  it('offers Dan, who is not in the limited release, the way to request access instead of a dead end', async () => {
    const { browser, response } = await continueWithTwilio(world, 'segment', DAN);
    expect(response.status).toBe(403);
    const html = decodeEntities(await response.text());
    expect(html).toContain(
      '<p>Segment with your Twilio login is in limited release. Contact support to request access.</p>',
    );
    expect(html).toContain(`<p><a href="${world.urls.login}/setup/segment">Request access</a></p>`);
    expect(html).not.toContain('Go to the home page');
    // The link leads to the form that asks support.
    const setup = await browser.request(`${world.urls.login}/setup/segment`);
    expect(setup.status).toBe(403);
    expect(await setup.text()).toContain('>Request access</button>');
  });

  it('answers a hand-made POST to link a SendGrid user with 400 and why, on the set-up page', async () => {
    const { browser, csrf } = await openSetup(world, 'sendgrid', CLEO);
    const link = await browser.request(`${world.urls.login}/setup/sendgrid/link`, { form: { csrf, password: 'x' } });
    expect(link.status).toBe(400);
    expect(decodeEntities(await link.text())).toContain(
      '<div class="alert" role="alert">Existing SendGrid users can\'t be linked to a Twilio login. Create a new SendGrid user here instead; your existing one keeps signing in with its own email and password.</div>',
    );
  });
});

describe("the Acme IdP's sign-in", () => {
  it('checks at most five of many wrong passwords sent at once, then answers 429', async () => {
    const { login, idpUrl } = await startSpInitiated(world);
    const idpPage = await login.browser.request(idpUrl);
    expect(idpPage.status).toBe(200);
    const html = await idpPage.text();
    const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? '';
    const form = { pending: field('pending'), csrf: field('csrf'), email: SAM.email };
    const responses = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        login.browser.request(new URL('/login', idpUrl), { form: { ...form, password: `wrong-${i}` } }),
      ),
    );
    expect(statusCounts(responses)).toEqual({ 400: 5, 429: 10 });
    expectWaits(responses);
    const right = await login.browser.request(new URL('/login', idpUrl), {
      form: { ...form, password: SAM.idpPassword },
    });
    expect(right.status).toBe(429);
  });
});
