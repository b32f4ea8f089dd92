/**
 * Look-alike emails (issue 9, security 9): an address with NUL or another control/invisible character, fullwidth
 * letters, or letters of two alphabets in one part is refused at every boundary that takes an email, with a clear
 * message — never treated as a different person.
 */
import { describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../contract/api';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { openLogin, submitPassword } from './login-page';
import { FRANK_SENDGRID, productPasswordLogin } from './products';
import { consoleBrowser, decodeEntities, freshUser, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

const CONTROL = 'That email contains a control or invisible character. Type the address again.';
const STYLED = 'That email contains fullwidth or styled characters. Type it with ordinary letters.';
const MIXED =
  'That email mixes letters of different alphabets (for example Latin and Cyrillic), so it can look like another address. Type it again in one alphabet.';

const CASES: [string, string, string][] = [
  ['a NUL', 'ada@example.com\u0000', CONTROL],
  ['a zero-width space', 'ada\u200b@example.com', CONTROL],
  ['fullwidth letters', 'ada@\uff45xample.com', STYLED],
  ['a Cyrillic а among Latin letters', 'ada@ex\u0430mple.com', MIXED],
  ['a Greek ο among Latin letters', 'bοb@example.com', MIXED],
];

describe('look-alike emails', () => {
  it.each(CASES)('the Twilio login refuses an email with %s with 400 and says why', async (_name, email, message) => {
    const login = await openLogin(world);
    const response = await submitPassword(login, { email, password: 'demo-pass-2026' });
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain(message);
  });

  it.each(CASES)("Segment's and SendGrid's logins refuse an email with %s with 400", async (_name, email, message) => {
    for (const product of ['segment', 'sendgrid'] as const) {
      const { response } = await productPasswordLogin(world, product, { email, password: 'x' });
      expect(response.status).toBe(400);
      expect(decodeEntities(await response.text())).toContain(message);
    }
  });

  it.each(CASES)(
    'the public lookup refuses an email with %s with 400 invalid_request',
    async (_name, email, message) => {
      const response = await localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, product: 'segment' }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: 'invalid_request', error_description: message });
    },
  );

  it.each(CASES)("the Console's email change refuses an email with %s with 400", async (_name, email, message) => {
    const { user, credentials } = await freshUser(world, 'lookalike');
    const browser = await consoleBrowser(world, credentials);
    const { response, html } = await submit(
      world,
      browser,
      '/settings/email',
      { new_email: email, current_password: credentials.password },
      { from: '/settings/email' },
    );
    expect(response.status).toBe(400);
    expect(html).toContain(message);
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);
  });

  it("SendGrid's email change refuses a Cyrillic look-alike with 400 and keeps the email", async () => {
    const email = `mixed-${Date.now()}@example.org`;
    const user = world.products.sendgrid.users.create({
      email,
      name: 'Mixed Tester',
      passwordHash: await hashPassword(FRANK_SENDGRID.password),
    });
    const { browser } = await productPasswordLogin(world, 'sendgrid', { email, password: FRANK_SENDGRID.password });
    const settings = await browser.request(`${world.urls.sendgrid}/settings`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await settings.text())![1]!;
    const response = await browser.request(`${world.urls.sendgrid}/settings/email`, {
      form: { csrf, new_email: 'fr\u0430nk@example.net', current_password: FRANK_SENDGRID.password },
    });
    expect(response.status).toBe(400);
    expect(decodeEntities(await response.text())).toContain(MIXED);
    expect(world.products.sendgrid.users.findById(user.id)!.email).toBe(email);
  });

  it('still accepts an internationalised address written in one alphabet per part', async () => {
    const response = await localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'анна@пример.com', product: 'segment' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ unified: false });
  });
});
