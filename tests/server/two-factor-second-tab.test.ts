import { describe, expect, it } from 'vitest';
import { currentTotpCode, TOTP_PERIOD_SECONDS } from '../../mock-server/accounts/totp';
import { consoleBrowser, freshUser, openPage, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

describe('turning two-factor on from a second tab', () => {
  it('says it is already on, on the page of two-factor on, and changes nothing', async () => {
    const { user, credentials } = await freshUser(world, 'twice');
    const browser = await consoleBrowser(world, credentials);
    const started = await submit(world, browser, '/settings/two-factor/setup', {}, { from: '/settings/two-factor' });
    expect(started.response.status).toBe(303);
    // Two tabs show the same set-up page (and its CSRF token).
    const setup = await openPage(world, browser, '/settings/two-factor/setup');
    const secret = /data-secret="([A-Z2-7]+)"/.exec(setup.html)![1]!;
    const enable = (code: string) =>
      browser.request(`${world.urls.console}/settings/two-factor/enable`, {
        form: { csrf: setup.csrf, code, current_password: PASSWORD },
      });

    world.advance(STEP_MS);
    const first = await enable(currentTotpCode(secret, world.clock()));
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/settings/two-factor/recovery-codes');
    const remaining = (await openPage(world, browser, '/settings/two-factor')).html.match(/You have (\d+) unused/)?.[1];
    expect(remaining).toBe('10');

    world.advance(STEP_MS);
    const second = await enable(currentTotpCode(secret, world.clock()));
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('<div class="alert" role="alert">Two-factor authentication is already on.</div>');
    expect(html).toContain('Two-factor authentication is <strong>on</strong>. You have 10 unused recovery codes.');
    expect(html).not.toContain('is <strong>off</strong>');
    expect(html).toContain('action="/settings/two-factor/disable"');
    expect(world.users.findById(user.id)?.totpSecret).toBe(secret);
  });
});
