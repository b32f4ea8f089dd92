import { describe, expect, it } from 'vitest';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import type { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { canLogIn, consoleBrowser, freshUser, mailbox, openPage, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** Starts enrolment and returns the secret shown on the set-up page. */
async function startSetup(browser: HeadlessBrowser) {
  const started = await submit(world, browser, '/settings/two-factor/setup', {}, { from: '/settings/two-factor' });
  expect(started.response.status).toBe(303);
  expect(started.response.headers.get('location')).toBe('/settings/two-factor/setup');
  const page = await openPage(world, browser, '/settings/two-factor/setup');
  const secret = /data-secret="([A-Z2-7]+)"/.exec(page.html)?.[1];
  expect(secret).toBeTruthy();
  return { secret: secret!, html: page.html };
}

const enable = (browser: HeadlessBrowser, code: string) =>
  submit(
    world,
    browser,
    '/settings/two-factor/enable',
    { code, current_password: PASSWORD },
    { from: '/settings/two-factor/setup' },
  );

const disable = (browser: HeadlessBrowser, code: string) =>
  submit(world, browser, '/settings/two-factor/disable', { code, current_password: PASSWORD });

/** A user with 2FA turned on through the settings, and their recovery codes. */
async function enrolledUser(prefix: string) {
  const { user, credentials } = await freshUser(world, prefix);
  const browser = await consoleBrowser(world, credentials);
  const { secret } = await startSetup(browser);
  world.advance(STEP_MS);
  expect((await enable(browser, currentTotpCode(secret, world.clock()))).response.status).toBe(303);
  const codesPage = await openPage(world, browser, '/settings/two-factor/recovery-codes');
  const codes = [...codesPage.html.matchAll(/<li>([0-9a-z]{5}-[0-9a-z]{5})<\/li>/g)].map((match) => match[1]!);
  return { user, credentials, browser, secret, codes };
}

describe('two-factor authentication in the Console settings', () => {
  it('shows a QR code of the otpauth URI and the secret, and turns on only after a valid code', async () => {
    const { user, credentials } = await freshUser(world, 'enrol');
    const browser = await consoleBrowser(world, credentials);
    const { secret, html } = await startSetup(browser);
    expect(html).toMatch(/<svg role="img" aria-label="QR code for your authenticator app"[^>]*viewBox/);
    expect(html).toContain(secret.slice(0, 4));
    expect(html).toContain('<label for="code">Authentication code</label>');

    const wrong = await enable(browser, '000000');
    expect(wrong.response.status).toBe(400);
    expect(wrong.html).toContain('That code is not valid');
    expect(world.users.findById(user.id)!.totpSecret).toBeUndefined();

    const right = await enable(browser, currentTotpCode(secret, world.clock()));
    expect(right.response.status).toBe(303);
    expect(right.response.headers.get('location')).toBe('/settings/two-factor/recovery-codes');
    expect(world.users.findById(user.id)!.totpSecret).toBe(secret);

    const codesPage = await openPage(world, browser, '/settings/two-factor/recovery-codes');
    expect(codesPage.html).toContain('Save your recovery codes');
    expect([...codesPage.html.matchAll(/<li>[0-9a-z]{5}-[0-9a-z]{5}<\/li>/g)]).toHaveLength(10);
    // Shown once, stored only hashed.
    const again = await openPage(world, browser, '/settings/two-factor/recovery-codes');
    expect(again.html).not.toMatch(/<li>[0-9a-z]{5}-[0-9a-z]{5}<\/li>/);
    const stored = world.db.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ?').all(user.id) as {
      code_hash: string;
    }[];
    expect(stored).toHaveLength(10);
    expect(stored.every((row) => /^[0-9a-f]{64}$/.test(row.code_hash))).toBe(true);
    expect((await mailbox(world, user.email)).html).toContain('Two-factor authentication is on');

    // The Twilio login now asks for a code.
    expect(await canLogIn(world, credentials)).toBe(false);
    world.advance(STEP_MS);
    expect(await canLogIn(world, { ...credentials, totp: () => currentTotpCode(secret, world.clock()) })).toBe(true);
  });

  it('refuses a code of a step already used by this user', async () => {
    const { user, credentials } = await freshUser(world, 'replay');
    const browser = await consoleBrowser(world, credentials);
    const first = await startSetup(browser);
    world.advance(STEP_MS);
    const code = currentTotpCode(first.secret, world.clock());
    expect((await enable(browser, code)).response.status).toBe(303);
    // The code that turned 2FA on cannot also turn it off.
    const replayed = await disable(browser, code);
    expect(replayed.response.status).toBe(400);
    expect(world.users.findById(user.id)!.totpSecret).toBe(first.secret);
    world.advance(STEP_MS);
    expect((await disable(browser, currentTotpCode(first.secret, world.clock()))).response.status).toBe(303);

    // Set up again at once: a code of the same step (now used) does not turn 2FA on.
    const second = await startSetup(browser);
    const sameStep = await enable(browser, currentTotpCode(second.secret, world.clock()));
    expect(sameStep.response.status).toBe(400);
    expect(world.users.findById(user.id)!.totpSecret).toBeUndefined();
    world.advance(STEP_MS);
    expect((await enable(browser, currentTotpCode(second.secret, world.clock()))).response.status).toBe(303);
  });

  it('accepts each recovery code once at the Twilio login', async () => {
    const { credentials, codes } = await enrolledUser('recover');
    expect(codes).toHaveLength(10);
    const code = codes[0]!;
    expect(await canLogIn(world, { ...credentials, totp: () => code.toUpperCase() })).toBe(true);
    expect(await canLogIn(world, { ...credentials, totp: () => code })).toBe(false);
    expect(await canLogIn(world, { ...credentials, totp: () => codes[1]! })).toBe(true);
  });

  it('turns 2FA off only with a current code or an unused recovery code', async () => {
    const { user, browser, codes, credentials } = await enrolledUser('off');
    expect(await canLogIn(world, { ...credentials, totp: () => codes[0]! })).toBe(true);

    const wrong = await disable(browser, '123456');
    expect(wrong.response.status).toBe(400);
    const used = await disable(browser, codes[0]!);
    expect(used.response.status).toBe(400);
    expect(used.html).toContain('unused recovery code');
    const noCode = await disable(browser, '');
    expect(noCode.response.status).toBe(400);
    expect(world.users.findById(user.id)!.totpSecret).toBeTruthy();

    const off = await disable(browser, codes[1]!);
    expect(off.response.status).toBe(303);
    expect(off.response.headers.get('location')).toBe('/settings?done=two-factor-off');
    expect(world.users.findById(user.id)!.totpSecret).toBeUndefined();
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ?').get(user.id)).toEqual({
      n: 0,
    });
    expect(await canLogIn(world, credentials)).toBe(true);
    expect((await mailbox(world, user.email)).html).toContain('Two-factor authentication is off');
  });

  it('refuses to turn 2FA on or off without the current password once the login is old', async () => {
    const { user, browser, secret } = await enrolledUser('stale');
    world.advance(6 * 60_000);
    const refused = await submit(world, browser, '/settings/two-factor/disable', {
      code: currentTotpCode(secret, world.clock()),
    });
    expect(refused.response.status).toBe(403);
    expect(world.users.findById(user.id)!.totpSecret).toBe(secret);
    const wrongPassword = await submit(world, browser, '/settings/two-factor/disable', {
      code: currentTotpCode(secret, world.clock()),
      current_password: 'wrong-password-here',
    });
    expect(wrongPassword.response.status).toBe(403);
    expect(world.users.findById(user.id)!.totpSecret).toBe(secret);
  });
});
