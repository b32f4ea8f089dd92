/**
 * A Groups PATCH is capped by the members it adds or removes (MAX_GROUP_MEMBERS_PER_REQUEST), not by the size of the
 * group it leaves: a group of that many members still takes a PATCH that adds one, renames it or removes one.
 */
import { describe, expect, it } from 'vitest';
import { UNUSABLE_PASSWORD_HASH } from '../../mock-server/accounts/passwords';
import { newUserId } from '../../mock-server/accounts/users';
import { MAX_GROUP_MEMBERS_PER_REQUEST } from '../../mock-server/scim/scim-schemas';
import { DEMO_IDS } from '../../mock-server/seed';
import { GROUP_SCHEMA, oktaUser, PATCH_OP, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

/** `count` managed Acme users, written straight to the database (provisioning each by SCIM would take long). */
function acmeUsers(prefix: string, count: number): string[] {
  const insert = world.db.prepare(
    `INSERT INTO users (id, email, name, password_hash, eligible, created_at, organization_id, organization_role,
       version) VALUES (?, ?, ?, ?, 1, ?, ?, 'member', 0)`,
  );
  return world.db.transaction(() =>
    Array.from({ length: count }, (_, i) => {
      const id = newUserId();
      insert.run(id, `${prefix}${i}@acme.test`, `${prefix} ${i}`, UNUSABLE_PASSWORD_HASH, Date.now(), DEMO_IDS.acme);
      return id;
    }),
  )();
}

const memberCount = (groupId: string) =>
  (world.db.prepare('SELECT COUNT(*) AS n FROM scim_group_members WHERE group_id = ?').get(groupId) as { n: number }).n;

describe('a SCIM group with the most members one request may carry', () => {
  it('takes a PATCH that adds one more member, one that renames it, and one that removes a member', async () => {
    const ids = acmeUsers('big-group-member', MAX_GROUP_MEMBERS_PER_REQUEST);
    const created = await scim.send('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Everyone at Acme',
      members: ids.map((value) => ({ value })),
    });
    expect(created.status).toBe(201);
    const groupId = created.body.id as string;
    const newcomer = (await scim.send('POST', '/Users', oktaUser())).body.id as string;

    const add = await scim.send('PATCH', `/Groups/${groupId}?excludedAttributes=members`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: newcomer }] }],
    });
    expect(add.status).toBe(200);
    expect(memberCount(groupId)).toBe(MAX_GROUP_MEMBERS_PER_REQUEST + 1);

    const rename = await scim.send('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'All of Acme' }],
    });
    expect({ status: rename.status, displayName: rename.body.displayName }).toEqual({
      status: 200,
      displayName: 'All of Acme',
    });
    expect(memberCount(groupId)).toBe(MAX_GROUP_MEMBERS_PER_REQUEST + 1);

    const remove = await scim.send('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: [{ value: ids[0] }] }],
    });
    expect(remove.status).toBe(200);
    expect(memberCount(groupId)).toBe(MAX_GROUP_MEMBERS_PER_REQUEST);
  });

  it('refuses a PATCH that adds more members than one request may, and changes nothing', async () => {
    const ids = acmeUsers('too-many-at-once', MAX_GROUP_MEMBERS_PER_REQUEST + 1);
    const created = await scim.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Added at once' });
    const groupId = created.body.id as string;
    const response = await scim.send('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: ids.map((value) => ({ value })) }],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      scimError(
        400,
        'invalidValue',
        `A PATCH may add or remove at most ${MAX_GROUP_MEMBERS_PER_REQUEST} members; this one changes ${MAX_GROUP_MEMBERS_PER_REQUEST + 1}.`,
      ),
    );
    expect(memberCount(groupId)).toBe(0);
  });
});
