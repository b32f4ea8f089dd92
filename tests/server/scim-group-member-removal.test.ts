import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, oktaUser, PATCH_OP, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

async function groupWithTwoMembers(displayName: string) {
  const first = (await scim.send('POST', '/Users', oktaUser())).body;
  const second = (await scim.send('POST', '/Users', oktaUser())).body;
  const group = await scim.send('POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName,
    members: [{ value: first.id }, { value: second.id }],
  });
  expect(group.status).toBe(201);
  return { group: group.body, first, second };
}

const memberIds = async (groupId: string) =>
  ((await scim.send('GET', `/Groups/${groupId}`)).body.members as { value: string }[]).map((m) => m.value).sort();

describe('SCIM group member removal by value', () => {
  it('removes the one member a remove names by a single member object, not answering 200 with them kept', async () => {
    const { group, first, second } = await groupWithTwoMembers('Remove one by object');
    const response = await scim.send('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: { value: first.id } }],
    });
    expect(response.status).toBe(200);
    expect(response.body.members.map((member: { value: string }) => member.value)).toEqual([second.id]);
    expect(await memberIds(group.id)).toEqual([second.id]);
  });

  it('refuses a removal whose value names no member with 400 invalidValue, and keeps every member', async () => {
    const { group, first, second } = await groupWithTwoMembers('Remove by a bare string');
    const response = await scim.send('PATCH', `/Groups/${group.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: 'members', value: first.id }],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'invalidValue', 'Each member to remove needs a "value" (a user id).'));
    expect(await memberIds(group.id)).toEqual([first.id, second.id].sort());
  });
});
