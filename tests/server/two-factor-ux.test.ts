import { describe, expect, it } from 'vitest';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { canLogIn, consoleBrowser, freshUser, openPage, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** A user with 2FA turned on through the settings, the browser that did it and the recovery codes page. */
async function enrolled(prefix: string) {
  const { user, credentials } = await freshUser(world, prefix);
  const browser = await consoleBrowser(world, credentials);
  await submit(world, browser, '/settings/two-factor/setup', {}, { from: '/settings/two-factor' });
  const setup = await openPage(world, browser, '/settings/two-factor/setup');
  const secret = /data-secret="([A-Z2-7]+)"/.exec(setup.html)![1]!;
  world.advance(STEP_MS);
  const code = currentTotpCode(secret, world.clock());
  const on = await submit(
    world,
    browser,
    '/settings/two-factor/enable',
    { code, current_password: PASSWORD },
    { from: '/settings/two-factor/setup' },
  );
  expect(on.response.status).toBe(303);
  const codesPage = await openPage(world, browser, '/settings/two-factor/recovery-codes');
  const codes = [...codesPage.html.matchAll(/<li>([0-9a-z]{5}-[0-9a-z]{5})<\/li>/g)].map((match) => match[1]!);
  return { user, credentials, browser, secret, code, codes, codesPage: codesPage.html, setupPage: setup.html };
}

const renew = (browser: HeadlessBrowser) =>
  submit(
    world,
    browser,
    '/settings/two-factor/recovery-codes/renew',
    { current_password: PASSWORD },
    {
      from: '/settings/two-factor',
    },
  );

describe('recovery codes', () => {
  it('can be copied (a Copy button and the codes as text) and downloaded as a text file', async () => {
    const { codes, codesPage } = await enrolled('copy');
    expect(codes).toHaveLength(10);
    expect(codesPage).toContain(
      '<button type="button" class="inline" id="copy-recovery-codes" data-copy="recovery-codes-text">Copy codes</button>',
    );
    expect(codesPage).toContain(
      `<textarea id="recovery-codes-text" readonly rows="5" style="width:100%;font-family:ui-monospace,monospace">${codes.join('\n')}</textarea>`,
    );
    const download =
      /<a href="([^"]+)" download="twilio-recovery-codes.txt" data-testid="download-recovery-codes">Download codes \(.txt\)<\/a>/.exec(
        codesPage,
      );
    expect(download).not.toBeNull();
    const file = decodeURIComponent(download![1]!.replace(/^data:text\/plain;charset=utf-8,/, ''));
    expect(file).toBe(`Twilio recovery codes (each works once)\n\n${codes.join('\n')}\n`);
  });

  it('warn when few are left, and with 0 left raise an alert that makes new ones (the old ones stop working)', async () => {
    const { user, credentials, browser, codes } = await enrolled('few');
    const page = () => openPage(world, browser, '/settings/two-factor');
    expect((await page()).html).not.toContain('data-testid="recovery-codes-warning"');
    for (const code of codes.slice(0, 7))
      expect(await canLogIn(world, { ...credentials, totp: () => code })).toBe(true);
    const few = (await page()).html;
    expect(few).toMatch(
      /<div class="notice" role="status" data-testid="recovery-codes-warning">Only 3 recovery\s+codes left\./,
    );
    for (const code of codes.slice(7)) expect(await canLogIn(world, { ...credentials, totp: () => code })).toBe(true);
    const none = (await page()).html;
    expect(none).toMatch(
      /<div class="alert" role="alert" data-testid="recovery-codes-warning"><strong>You have no recovery codes left\.<\/strong>/,
    );
    expect(none).toContain('action="/settings/two-factor/recovery-codes/renew"');
    expect((await openPage(world, browser, '/settings')).html).toContain('You have no recovery codes left.');

    const renewed = await renew(browser);
    expect(renewed.response.status).toBe(303);
    expect(renewed.response.headers.get('location')).toBe('/settings/two-factor/recovery-codes');
    const fresh = (await openPage(world, browser, '/settings/two-factor/recovery-codes')).html;
    const newCodes = [...fresh.matchAll(/<li>([0-9a-z]{5}-[0-9a-z]{5})<\/li>/g)].map((match) => match[1]!);
    expect(newCodes).toHaveLength(10);
    expect(
      world.db.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(user.id),
    ).toEqual({ n: 10 });
    expect(await canLogIn(world, { ...credentials, totp: () => newCodes[0]! })).toBe(true);
  });

  it('are renewed only after the current password once the login is old', async () => {
    const { user, browser } = await enrolled('stale-renew');
    world.advance(6 * 60_000);
    const before = world.db
      .prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ? ORDER BY code_hash')
      .all(user.id);
    const refused = await submit(
      world,
      browser,
      '/settings/two-factor/recovery-codes/renew',
      {
        current_password: 'wrong-password-here',
      },
      { from: '/settings/two-factor' },
    );
    expect(refused.response.status).toBe(403);
    expect(
      world.db.prepare('SELECT code_hash FROM recovery_codes WHERE user_id = ? ORDER BY code_hash').all(user.id),
    ).toEqual(before);
  });
});

describe('code fields', () => {
  it('ask for a numeric one-time code on the Twilio login and the set-up, with recovery codes apart', async () => {
    const { setupPage, credentials } = await enrolled('fields');
    expect(setupPage).toContain(
      '<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"',
    );
    // The login's code step (reached with the password) has the same kind of field, and a separate recovery one.
    const totpPage = await totpStepPage(credentials);
    expect(totpPage).toMatch(
      /<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code"/,
    );
    expect(totpPage).toContain('<summary>Lost your device? Use a recovery code</summary>');
    expect(totpPage).toContain('<input id="recovery-code" name="code" type="text" autocomplete="off"');
  });

  it('ask for a numeric code to turn 2FA off, with the recovery code in a field of its own that works too', async () => {
    const { user, browser, codes } = await enrolled('off-fields');
    const page = await openPage(world, browser, '/settings/two-factor');
    expect(page.html).toContain(
      '<input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}"',
    );
    expect(page.html).toContain('<summary>Lost your device? Use a recovery code instead</summary>');
    expect(page.html).toContain(
      '<input id="recovery-code" name="recovery_code" type="text" autocomplete="off" autocapitalize="none"',
    );
    const off = await submit(world, browser, '/settings/two-factor/disable', {
      code: '',
      recovery_code: codes[0]!,
      current_password: PASSWORD,
    });
    expect(off.response.status).toBe(303);
    expect(off.response.headers.get('location')).toBe('/settings?done=two-factor-off');
    expect(world.users.findById(user.id)!.totpSecret).toBeUndefined();
  });

  it('refuse turning 2FA off with neither code, on the same page with the reason', async () => {
    const { user, browser } = await enrolled('off-empty');
    const refused = await submit(world, browser, '/settings/two-factor/disable', {
      code: '',
      recovery_code: '',
      current_password: PASSWORD,
    });
    expect(refused.response.status).toBe(400);
    expect(refused.html).toContain('<h1>Two-factor authentication</h1>');
    expect(world.users.findById(user.id)!.totpSecret).toBeTruthy();
  });

  it('say a code was just used when it is reused within its step (turning 2FA off right after turning it on)', async () => {
    const { browser, code } = await enrolled('reuse');
    const reused = await submit(world, browser, '/settings/two-factor/disable', { code, current_password: PASSWORD });
    expect(reused.response.status).toBe(400);
    expect(reused.html).toContain(
      'That code was just used. Wait for the next code in your authenticator app and enter it.',
    );
  });
});

/** The Twilio login's code step for `credentials`, reached through the Console's sign-in. */
async function totpStepPage(credentials: { email: string; password: string }): Promise<string> {
  const browser = new HeadlessBrowser();
  const first = await browser.follow(`${world.urls.console}/`, {
    stopAt: (url) => url.pathname.startsWith('/callback'),
  });
  const loginUrl = new URL(`${first.url.pathname}/login`, first.url);
  const afterPassword = await browser.request(loginUrl, {
    form: { csrf: csrfTokenIn(await first.response!.text()), ...credentials },
  });
  const totpUrl = new URL(afterPassword.headers.get('location')!, loginUrl);
  expect(totpUrl.pathname).toMatch(/\/totp$/);
  return (await browser.request(totpUrl)).text();
}
