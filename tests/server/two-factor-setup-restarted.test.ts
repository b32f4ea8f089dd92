import { describe, expect, it } from 'vitest';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { consoleBrowser, decodeEntities, freshUser, PASSWORD } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
const secretIn = (html: string) => /data-secret="([A-Z2-7]+)"/.exec(html)![1]!;

describe('a two-factor set-up restarted in another tab', () => {
  it("answers the first tab's code with the newest set-up and a message saying why, and 2FA stays off", async () => {
    const { user, credentials } = await freshUser(world, 'restarted');
    const browser = await consoleBrowser(world, credentials);
    const startSetup = async () => {
      const page = await browser.request(`${world.urls.console}/settings/two-factor`);
      const started = await browser.request(`${world.urls.console}/settings/two-factor/setup`, {
        form: { csrf: csrfTokenIn(await page.text()) },
      });
      expect(started.status).toBe(303);
      const setup = await browser.request(`${world.urls.console}/settings/two-factor/setup`);
      expect(setup.status).toBe(200);
      return setup.text();
    };
    const enable = (tab: string, code: string) =>
      browser.request(`${world.urls.console}/settings/two-factor/enable`, {
        form: {
          csrf: csrfTokenIn(tab),
          code,
          current_password: PASSWORD,
          // The form's own hidden fields besides the CSRF token, as the browser would send them.
          ...Object.fromEntries(
            [...tab.matchAll(/<input type="hidden" name="(?!csrf")([^"]+)" value="([^"]*)">/g)].map((m) => [
              m[1]!,
              m[2]!,
            ]),
          ),
        },
      });

    const tabA = await startSetup();
    const tabB = await startSetup();
    const [secretA, secretB] = [secretIn(tabA), secretIn(tabB)];
    expect(secretB).not.toBe(secretA);

    world.advance(STEP_MS);
    const stale = await enable(tabA, currentTotpCode(secretA, world.clock()));
    expect(stale.status).toBe(409);
    const html = decodeEntities(await stale.text());
    expect(html).toContain(
      '<div class="alert" role="alert">You restarted the set-up in another tab or window, so the QR code on this page no longer works. Scan the newest QR code below (it replaces the old one in your authenticator app) and enter its code.</div>',
    );
    expect(html).not.toContain('That code is not valid');
    // The page is the current set-up's: tab B's secret, its form ready for a code.
    expect(secretIn(html)).toBe(secretB);
    expect(html).toContain('action="/settings/two-factor/enable"');
    expect(world.users.findById(user.id)?.totpSecret).toBeUndefined();

    // The newest set-up still works, from the page that answered.
    const turnedOn = await enable(html, currentTotpCode(secretB, world.clock()));
    expect(turnedOn.status).toBe(303);
    expect(turnedOn.headers.get('location')).toBe('/settings/two-factor/recovery-codes');
    expect(world.users.findById(user.id)?.totpSecret).toBe(secretB);
  });
});
