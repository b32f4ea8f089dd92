/**
 * A SCIM group's displayName is unique in its organization whatever its case (RFC 7643 §4.2: caseExact false; the
 * displayName filter compares without case too): "engineering" next to "Engineering" is 409 uniqueness, by POST,
 * PUT and PATCH.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { GROUP_SCHEMA, PATCH_OP, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

const group = (displayName: string) => ({ schemas: [GROUP_SCHEMA], displayName });
const clash = (displayName: string) =>
  scimError(409, 'uniqueness', `A group named ${displayName} (or with its externalId) exists.`);

describe('group displayName uniqueness', () => {
  it('refuses a POST of a displayName that differs from a group’s only by case, and the filter finds the one', async () => {
    expect((await scim.send('POST', '/Groups', group('Engineering'))).status).toBe(201);
    const again = await scim.send('POST', '/Groups', group('engineering'));
    expect({ status: again.status, body: again.body }).toEqual({ status: 409, body: clash('engineering') });
    const found = await scim.send('GET', `/Groups?filter=${encodeURIComponent('displayName eq "ENGINEERING"')}`);
    expect(found.body.Resources.map((each: { displayName: string }) => each.displayName)).toEqual(['Engineering']);
  });

  it('refuses a rename by PUT or PATCH to another group’s name in another case', async () => {
    expect((await scim.send('POST', '/Groups', group('Sales'))).status).toBe(201);
    const other = (await scim.send('POST', '/Groups', group('Marketing'))).body;
    const put = await scim.send('PUT', `/Groups/${other.id}`, group('SALES'));
    expect({ status: put.status, body: put.body }).toEqual({ status: 409, body: clash('SALES') });
    const patch = await scim.send('PATCH', `/Groups/${other.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'displayName', value: 'sales' }],
    });
    expect({ status: patch.status, body: patch.body }).toEqual({ status: 409, body: clash('sales') });
    expect((await scim.send('GET', `/Groups/${other.id}`)).body.displayName).toBe('Marketing');
  });

  it('still takes member changes for a pair that differs only by case from before (a database or world file)', async () => {
    const insert = world.db.prepare(
      `INSERT INTO scim_groups (id, organization_id, display_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
    );
    insert.run('GRolderpair1', DEMO_IDS.acme, 'Ops', Date.now(), Date.now());
    insert.run('GRolderpair2', DEMO_IDS.acme, 'ops', Date.now(), Date.now());
    const member = world.users.findByEmail('sam@acme.test')!;
    const patch = await scim.send('PATCH', '/Groups/GRolderpair2', {
      schemas: [PATCH_OP],
      Operations: [{ op: 'add', path: 'members', value: [{ value: member.id }] }],
    });
    expect({ status: patch.status, members: patch.body.members?.length }).toEqual({ status: 200, members: 1 });
  });

  it('lets a group change the case of its own name', async () => {
    const own = (await scim.send('POST', '/Groups', group('support'))).body;
    const put = await scim.send('PUT', `/Groups/${own.id}`, group('Support'));
    expect({ status: put.status, displayName: put.body.displayName }).toEqual({ status: 200, displayName: 'Support' });
  });
});
