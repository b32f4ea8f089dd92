/**
 * The product sessions that end are deleted, not only refused: a linked user's password sessions (the password is
 * retired) at the link, at a sign-out of Twilio and at deprovisioning. An unlinked product user's password sessions
 * are that product's own and stay.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { PRODUCT_SESSION_TTL_MS } from '../../mock-server/products/product-sessions';
import { DEMO_IDS } from '../../mock-server/seed';
import type { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { continueWithTwilio, newTwilioUser, openSetup, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { PATCH_OP, scimClient } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;

const sessionsOf = (productUserId: string) =>
  world.db.prepare('SELECT method FROM product_sessions WHERE user_id = ? ORDER BY method').all(productUserId) as {
    method: string;
  }[];

/**
 * A password session of a user who is linked now: a row an older world kept from before the link, or a password
 * login that finished while the link was being made. Such a session is refused (products/site/kit.ts) but is a row.
 */
function leftoverPasswordSession(product: 'segment' | 'sendgrid', productUserId: string): void {
  const now = world.clock();
  world.db
    .prepare(
      `INSERT INTO product_sessions (id, product, user_id, method, csrf_token, id_token, created_at, expires_at)
       VALUES (?, ?, ?, 'password', ?, NULL, ?, ?)`,
    )
    .run(randomBytes(24).toString('base64url'), product, productUserId, 'csrf', now, now + PRODUCT_SESSION_TTL_MS);
}

/** An unlinked SendGrid user with the Twilio user's email, signed in with its own password in its own browser. */
async function unlinkedSendGridUser(email: string) {
  const credentials = { email, password: 'sendgrid-own-pass-2026' };
  const user = sendgrid.users.create({ email, name: 'Own', passwordHash: await hashPassword(credentials.password) });
  const { browser, response } = await productPasswordLogin(world, 'sendgrid', credentials);
  expect(response.status).toBe(303);
  return { user, browser };
}

const settingsStatus = async (browser: HeadlessBrowser, product: 'segment' | 'sendgrid') =>
  (await browser.request(`${world.urls[product]}/settings`)).status;

describe('ending product sessions', () => {
  it("deletes a Segment user's password sessions when it is linked, and no other user's", async () => {
    const { credentials } = await newTwilioUser(world, 'rhea@example.com');
    const rhea = segment.users.create({
      email: credentials.email,
      name: 'Rhea',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const other = { email: 'sol@example.com', password: SEGMENT_PASSWORD };
    const sol = segment.users.create({
      email: other.email,
      name: 'Sol',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const before = await productPasswordLogin(world, 'segment', { ...credentials, password: SEGMENT_PASSWORD });
    expect(before.response.status).toBe(303);
    const { browser: solBrowser } = await productPasswordLogin(world, 'segment', other);
    expect(sessionsOf(rhea.id)).toEqual([{ method: 'password' }]);

    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    const linked = await browser.request(`${world.urls.login}/setup/segment/link`, {
      form: { csrf, password: SEGMENT_PASSWORD },
    });
    expect(linked.status).toBe(303);

    expect(sessionsOf(rhea.id)).toEqual([]);
    expect(sessionsOf(sol.id)).toEqual([{ method: 'password' }]);
    expect(await settingsStatus(solBrowser, 'segment')).toBe(200);
  });

  it("deletes a linked user's password sessions at a sign-out of Twilio, not an unlinked user's", async () => {
    const { user, credentials } = await newTwilioUser(world, 'tova@example.com');
    const tova = segment.users.create({ email: user.email, name: user.name, twilioSub: user.id });
    segment.addMember(segment.createWorkspace('Tova Co').id, tova.id, 'Owner');
    const own = await unlinkedSendGridUser(user.email);
    const { browser } = await continueWithTwilio(world, 'segment', credentials);
    leftoverPasswordSession('segment', tova.id);
    expect(sessionsOf(tova.id)).toEqual([{ method: 'password' }, { method: 'twilio' }]);

    // Sign out of Twilio at the IdP: the back-channel logout reaches Segment with the subject and the session id.
    const confirm = await browser.request(`${world.issuer}/session/end`);
    const form = /<form id="op.logoutForm" method="post" action="([^"]+)">[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
      await confirm.text(),
    )!;
    const done = await browser.request(new URL(form[1]!, world.issuer), { form: { xsrf: form[2]!, logout: 'yes' } });
    expect(done.status).toBe(303);

    expect(sessionsOf(tova.id)).toEqual([]);
    expect(sessionsOf(own.user.id)).toEqual([{ method: 'password' }]);
    expect(await settingsStatus(own.browser, 'sendgrid')).toBe(200);
  });

  it("deletes a deprovisioned member's password sessions, not an unlinked user's", async () => {
    world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
    const { user } = await newTwilioUser(world, 'uma@acme.test');
    world.organizations.organizations.addMember(DEMO_IDS.acme, user.id);
    const uma = segment.users.create({ email: user.email, name: user.name, twilioSub: user.id });
    const own = await unlinkedSendGridUser(user.email);
    leftoverPasswordSession('segment', uma.id);

    const scim = await scimClient(world);
    const response = await scim.send('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(response.status).toBe(200);

    expect(sessionsOf(uma.id)).toEqual([]);
    expect(sessionsOf(own.user.id)).toEqual([{ method: 'password' }]);
    expect(await settingsStatus(own.browser, 'sendgrid')).toBe(200);
  });
});
