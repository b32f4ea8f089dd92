/**
 * Users deleted by SCIM on the Console's organization page: they stay as rows (deactivated) so provisioning them
 * again brings them back, but the page lists them apart, as deleted, with nothing that would change them; the
 * address a deleted user is moved to when a live user takes its email (`<id>@deleted.invalid`) is never shown as
 * if it were an email. Nothing on the server reactivates one either.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { timeElement } from '../../mock-server/time-format';
import { csrfTokenIn, type HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser } from './organization-page';
import { oktaUser, PATCH_OP, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
// The admins made here have Twilio passwords: Acme does not enforce SSO in this file.
world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
const scim = await scimClient(world);
const { organizations } = world.organizations;

const organizationPage = async (browser: HeadlessBrowser) =>
  (await browser.request(`${world.urls.console}/organization`)).text();
const table = (html: string, testId: string) =>
  new RegExp(`<table data-testid="${testId}"[\\s\\S]*?</table>`).exec(html)?.[0] ?? '';

async function provisioned(local: string, displayName = 'Pat Lee') {
  const created = await scim.send('POST', '/Users', oktaUser(local, { displayName }));
  expect(created.status).toBe(201);
  return created.body as { id: string; userName: string };
}

/** A live user of Acme takes `email` by SCIM, as Entra sends a change of email. */
async function takeEmail(email: string) {
  const taker = await provisioned(`takes.${email.split('@')[0]}`);
  const patch = await scim.send('PATCH', `/Users/${taker.id}`, {
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
      { op: 'Replace', path: 'userName', value: email },
    ],
  });
  expect(patch.status).toBe(200);
  return taker;
}

const deletedAtOf = (id: string) => organizations.deletedUsers(DEMO_IDS.acme).find((user) => user.id === id)!.deletedAt;

describe('users deleted by SCIM on the organization page', () => {
  it('are listed apart under Deleted users, by name and email, with the time and no actions', async () => {
    const { browser } = await acmeConsoleUser(world, 'admin', 'deleted');
    const leaver = await provisioned('gone.keeps', 'Kim Keeps');
    expect((await scim.send('DELETE', `/Users/${leaver.id}`)).status).toBe(204);

    const html = await organizationPage(browser);
    expect(table(html, 'members')).not.toContain('gone.keeps@acme.test');
    expect(html).toContain(
      `<h3 id="deleted-users-heading" style="font-size:1rem">Deleted users</h3>
<p class="muted" id="deleted-users-note">Deleted by your identity provider through SCIM: they sign in nowhere, and nothing here changes them.</p>
<div class="table-scroll"><table data-testid="deleted-users" aria-labelledby="deleted-users-heading" aria-describedby="deleted-users-note"><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Deleted</th></tr></thead>`,
    );
    expect(table(html, 'deleted-users')).toContain(
      `<tr data-testid="deleted-user-${leaver.id}"><th scope="row">Kim Keeps</th>
<td>gone.keeps@acme.test</td><td>${timeElement(deletedAtOf(leaver.id), 'UTC')}</td></tr>`,
    );
    expect(table(html, 'deleted-users')).not.toMatch(/<form|<button|<input/);

    // Provisioned again, the same user is a member again.
    expect((await scim.send('POST', '/Users', oktaUser('gone.keeps', { displayName: 'Kim Keeps' }))).body.id).toBe(
      leaver.id,
    );
    const again = await organizationPage(browser);
    expect(table(again, 'members')).toContain('<tr data-testid="member-gone.keeps@acme.test">');
    expect(again).not.toContain(`deleted-user-${leaver.id}`);
  });

  it("never show the address a deleted user is moved to, in the list or the audit trail, once its email is another user's", async () => {
    const { browser } = await acmeConsoleUser(world, 'admin', 'deleted');
    const leaver = await provisioned('gone.given', 'Gil Given');
    expect((await scim.send('DELETE', `/Users/${leaver.id}`)).status).toBe(204);
    const taker = await takeEmail(leaver.userName);
    expect(world.users.findById(leaver.id)?.email).toBe(`${leaver.id.toLowerCase()}@deleted.invalid`);

    const html = await organizationPage(browser);
    expect(html).not.toContain('deleted.invalid');
    expect(table(html, 'deleted-users')).toContain(
      `<tr data-testid="deleted-user-${leaver.id}"><th scope="row">Gil Given</th>
<td>Given up to another user</td><td>${timeElement(deletedAtOf(leaver.id), 'UTC')}</td></tr>`,
    );
    expect(table(html, 'members')).toContain(
      `<tr data-testid="member-gone.given@acme.test"><th scope="row">gone.given@acme.test</th><td>Pat Lee</td>`,
    );
    expect(table(html, 'audit')).toContain(`<td>Deleted user gave up gone.given@acme.test to ${taker.userName}</td>`);
  });

  it('name a deleted admin in the audit trail by name once their email is taken', async () => {
    const { browser } = await acmeConsoleUser(world, 'admin', 'deleted');
    const leaving = await acmeConsoleUser(world, 'admin', 'leaving');
    const csrf = csrfTokenIn(await organizationPage(leaving.browser));
    const created = await leaving.browser.request(`${world.urls.console}/organization/scim-apps`, {
      form: { csrf, name: 'Left behind' },
    });
    expect(created.status).toBe(303);
    expect((await scim.send('DELETE', `/Users/${leaving.user.id}`)).status).toBe(204);
    await takeEmail(leaving.user.email);

    const audit = table(await organizationPage(browser), 'audit');
    expect(audit).toContain(
      `<td>Acme admin (deleted user)</td><td>${leaving.user.email} created SCIM app Left behind (`,
    );
    expect(audit).not.toContain('deleted.invalid');
  });
});

describe('a user deleted by SCIM', () => {
  it('is neither reactivated by the organization store nor changed by SCIM PATCH or PUT (404): its row stays', async () => {
    const leaver = await provisioned('gone.stays');
    expect((await scim.send('DELETE', `/Users/${leaver.id}`)).status).toBe(204);
    const before = world.users.findById(leaver.id);
    expect(before?.active).toBe(false);

    expect(organizations.setMemberActive(DEMO_IDS.acme, leaver.id, true)).toBe(false);
    const notFound = scimError(404, 'notFound', `No user ${leaver.id} in this organization.`);
    const patch = await scim.send('PATCH', `/Users/${leaver.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true, displayName: 'Back again' } }],
    });
    const put = await scim.send('PUT', `/Users/${leaver.id}`, oktaUser('gone.stays', { displayName: 'Back again' }));
    expect([patch.status, put.status]).toEqual([404, 404]);
    expect([patch.body, put.body]).toEqual([notFound, notFound]);
    expect(world.users.findById(leaver.id)).toEqual(before);
    expect(organizations.deletedUsers(DEMO_IDS.acme).find((user) => user.id === leaver.id)?.name).toBe('Pat Lee');
  });
});
