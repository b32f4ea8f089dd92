import { describe, expect, it } from 'vitest';
import { LOOKUP_PATH } from '../../contract/api';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { oktaUser, scimClient } from './scim';
import { canLogIn, consoleBrowser, decodeEntities, freshUser, mailbox, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

/** Addresses such as o'neil@… are ordinary (RFC 5322 atext): people with them can use every part of the world. */
describe('an email with an apostrophe', () => {
  it('can be taken in the Console, verified, signed in with, and is shown escaped', async () => {
    const newEmail = `o'neil-${Date.now()}@example.org`;
    const { user, credentials } = await freshUser(world, 'oneil');
    const browser = await consoleBrowser(world, credentials);
    const { response } = await submit(world, browser, '/settings/email', {
      new_email: newEmail,
      current_password: PASSWORD,
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/settings?done=email-sent');

    const [link] = (await mailbox(world, newEmail)).links;
    const confirmPage = await browser.request(link!);
    expect(confirmPage.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await confirmPage.text())![1]!;
    const token = new URL(link!).searchParams.get('token')!;
    const confirmed = await browser.request(`${world.urls.console}/settings/email/verify`, { form: { csrf, token } });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/settings?done=email-changed');
    expect(world.users.findById(user.id)!.email).toBe(newEmail);

    expect(await canLogIn(world, { email: newEmail, password: PASSWORD })).toBe(true);
    // The raw page carries the apostrophe as an entity, never as markup.
    const settings = await browser.request(`${world.urls.console}/settings`);
    const raw = await settings.text();
    expect(raw).toContain(newEmail.replace("'", '&#39;'));
    expect(raw).not.toContain(newEmail);
    expect(decodeEntities(raw)).toContain(newEmail);
  });

  it('is answered by the public lookup (unified on Segment)', async () => {
    const email = `d'arcy-${Date.now()}@example.org`;
    const twilio = world.users.create({ email, name: "D'Arcy", passwordHash: await hashPassword(PASSWORD) });
    world.products.segment.users.create({ email, name: "D'Arcy", twilioSub: twilio.id });
    const response = await localhostFetch(`${world.urls.login}${LOOKUP_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, product: 'segment' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ unified: true });
  });

  it('can be provisioned by SCIM and found by its userName', async () => {
    const scim = await scimClient(world);
    const local = `o'hara-${Date.now().toString(36)}`;
    const created = await scim.send('POST', '/Users', oktaUser(local));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ userName: `${local}@acme.test` });
    const found = await scim.send('GET', `/Users?filter=${encodeURIComponent(`userName eq "${local}@acme.test"`)}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ totalResults: 1 });
  });
});
