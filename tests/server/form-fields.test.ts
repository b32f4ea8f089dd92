/**
 * Names that are also JavaScript's own (`toString`, `constructor`, `__proto__`) are ordinary names in a form and in
 * a page's `done` parameter: a form with such a field is read like any other, and a `done` that names no outcome
 * shows none (it showed `function Object() { [native code] }`).
 */
import { describe, expect, it } from 'vitest';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { BEN, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { consoleBrowser, decodeEntities, freshUser, openPage } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { user, credentials } = await freshUser(world, 'form-fields');
const browser = await consoleBrowser(world, credentials);

/** The Console's timezone form, posted as `body` (so a field can be sent twice). */
async function postTimezone(fields: string) {
  const { csrf } = await openPage(world, browser, '/settings');
  return browser.request(`${world.urls.console}/settings/timezone`, {
    body: `csrf=${encodeURIComponent(csrf)}&${fields}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: world.urls.console },
  });
}

describe('form fields named like JavaScript built-ins', () => {
  it.each(['toString=1', 'constructor=1', '__proto__=1', 'hasOwnProperty=x'])(
    'reads a form with %s as any other',
    async (extra) => {
      const response = await postTimezone(`timezone=Europe%2FParis&${extra}`);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/settings?done=timezone');
      expect(world.db.prepare('SELECT timezone FROM users WHERE id = ?').get(user.id)).toEqual({
        timezone: 'Europe/Paris',
      });
    },
  );

  it('still refuses a field sent twice', async () => {
    const response = await postTimezone('timezone=Europe%2FParis&timezone=UTC');
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain('The field "timezone" was sent more than once.');
  });
});

describe('a done parameter that names no outcome', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'shows nothing for done=%s in the Console',
    async (done) => {
      const page = await (await browser.request(`${world.urls.console}/settings?done=${done}`)).text();
      expect(page).not.toContain('class="card" role="status"');
      expect(page).not.toContain('[native code]');
      expect(page).not.toContain('[object Object]');
    },
  );

  it('shows the message of a real outcome', async () => {
    const page = await (await browser.request(`${world.urls.console}/settings?done=timezone`)).text();
    expect(page).toContain('<div class="card" role="status" style="margin-bottom:1rem">Timezone saved.</div>');
  });

  it.each(['constructor', '__proto__'])('shows nothing for done=%s in Segment', async (done) => {
    const segment = new HeadlessBrowser();
    const login = await productPasswordLogin(
      world,
      'segment',
      { email: BEN.email, password: SEGMENT_PASSWORD },
      segment,
    );
    expect(login.response.status).toBe(303);
    const page = await (await segment.request(`${world.urls.segment}/settings?done=${done}`)).text();
    expect(page).toContain('<h1');
    expect(page).not.toContain('[native code]');
    expect(page).not.toContain('[object Object]');
  });
});
