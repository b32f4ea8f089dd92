import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, oktaUser, PATCH_OP, SCIM_TYPE, scimClient, USER_SCHEMA } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const filterQuery = (filter: string, extra = '') => `?filter=${encodeURIComponent(filter)}${extra}`;

describe('SCIM discovery', () => {
  it('declares PATCH, filters, ETags and the OAuth bearer scheme, and no bulk, sort or password change', async () => {
    const config = await scim.send('GET', '/ServiceProviderConfig');
    expect(config.status).toBe(200);
    expect(config.headers.get('content-type')).toBe(SCIM_TYPE);
    expect(config.body).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 200 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: true },
      authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
    });
  });

  it('lists the User and Group resource types and their schemas', async () => {
    const types = await scim.send('GET', '/ResourceTypes');
    expect(types.body.Resources.map((type: { id: string; endpoint: string }) => [type.id, type.endpoint])).toEqual([
      ['User', '/Users'],
      ['Group', '/Groups'],
    ]);
    const schemas = await scim.send('GET', '/Schemas');
    expect(schemas.body.totalResults).toBe(2);
    const user = await scim.send('GET', `/Schemas/${USER_SCHEMA}`);
    expect(user.body.attributes.find((attribute: { name: string }) => attribute.name === 'userName')).toMatchObject({
      required: true,
      uniqueness: 'server',
    });
    expect((await scim.send('GET', '/ResourceTypes/Group')).body.schema).toBe(GROUP_SCHEMA);
  });
});

describe('Okta provisioning, as Okta sends it', () => {
  it('looks the user up, creates, reads, updates with PUT, deactivates and reactivates with PATCH', async () => {
    const body = oktaUser('okta.person');
    const lookup = await scim.send(
      'GET',
      `/Users${filterQuery(`userName eq "${body.userName}"`, '&startIndex=1&count=100')}`,
    );
    expect(lookup.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });

    const created = await scim.send('POST', '/Users', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      schemas: [USER_SCHEMA],
      userName: 'okta.person@acme.test',
      externalId: '00uokta.person',
      name: { givenName: 'Pat', familyName: 'Lee', formatted: 'Pat Lee' },
      emails: [{ value: 'okta.person@acme.test', type: 'work', primary: true }],
      active: true,
      meta: { resourceType: 'User', version: 'W/"1"' },
    });
    expect(created.body.id).toMatch(/^US[0-9a-f]{32}$/);
    expect(created.headers.get('location')).toBe(`${world.issuer}/scim/v2/Users/${created.body.id}`);
    expect(created.headers.get('etag')).toBe('W/"1"');
    const twilioUser = world.users.findById(created.body.id)!;
    expect(twilioUser).toMatchObject({ email: 'okta.person@acme.test', active: true, organizationRole: 'member' });

    const read = await scim.send('GET', `/Users/${created.body.id}`);
    expect(read.body).toEqual(created.body);

    const put = await scim.send('PUT', `/Users/${created.body.id}`, {
      ...body,
      id: created.body.id,
      name: { givenName: 'Patricia', familyName: 'Lee' },
      displayName: 'Patricia Lee',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      displayName: 'Patricia Lee',
      name: { givenName: 'Patricia' },
      meta: { version: 'W/"2"' },
    });

    const deactivated = await scim.send('PATCH', `/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    expect(world.users.findById(created.body.id)!.active).toBe(false);

    const reactivated = await scim.send('PATCH', `/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(reactivated.body.active).toBe(true);
    expect(world.users.findById(created.body.id)!.active).toBe(true);
  });

  it('pushes a group and replaces its members', async () => {
    const first = (await scim.send('POST', '/Users', oktaUser())).body;
    const second = (await scim.send('POST', '/Users', oktaUser())).body;
    const group = await scim.send('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Okta Engineers',
      members: [],
    });
    expect(group.status).toBe(201);
    expect(group.body).toMatchObject({ displayName: 'Okta Engineers', members: [] });
    const replaced = await scim.send('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', path: 'members', value: [{ value: first.id }, { value: second.id }] }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.members.map((member: { value: string }) => member.value).sort()).toEqual(
      [first.id, second.id].sort(),
    );
    expect((await scim.send('GET', `/Users/${first.id}`)).body.groups).toEqual([
      { value: group.body.id, display: 'Okta Engineers', $ref: `${world.issuer}/scim/v2/Groups/${group.body.id}` },
    ]);
  });
});

describe('Microsoft Entra provisioning, as Entra sends it', () => {
  it('creates with the enterprise extension, patches with capitalised ops, paths and string booleans, deletes', async () => {
    const email = 'entra.person@acme.test';
    expect((await scim.send('GET', `/Users${filterQuery(`userName eq "${email}"`)}`)).body.totalResults).toBe(0);
    const created = await scim.send('POST', '/Users', {
      schemas: [USER_SCHEMA, ENTERPRISE],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: email,
      active: true,
      emails: [{ primary: true, type: 'work', value: email }],
      meta: { resourceType: 'User' },
      name: { formatted: 'Entra Person', familyName: 'Person', givenName: 'Entra' },
      roles: [],
      [ENTERPRISE]: { department: 'Sales' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const patched = await scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'entra.renamed@acme.test' },
        { op: 'Replace', path: 'userName', value: 'entra.renamed@acme.test' },
        { op: 'Replace', path: 'name.familyName', value: 'Renamed' },
        { op: 'Add', path: `${ENTERPRISE}:department`, value: 'Marketing' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      userName: 'entra.renamed@acme.test',
      emails: [{ value: 'entra.renamed@acme.test', type: 'work', primary: true }],
      name: { familyName: 'Renamed', givenName: 'Entra' },
    });
    expect(world.users.findById(id)!.email).toBe('entra.renamed@acme.test');

    const byExternalId = await scim.send(
      'GET',
      `/Users${filterQuery('externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"')}`,
    );
    expect(byExternalId.body.Resources.map((user: { id: string }) => user.id)).toEqual([id]);

    const disabled = await scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', value: { active: 'False', 'name.givenName': 'Entrada' } }],
    });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ active: false, name: { givenName: 'Entrada' } });
    const enabled = await scim.send('PATCH', `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(enabled.body.active).toBe(true);

    expect((await scim.send('DELETE', `/Users/${id}`)).status).toBe(204);
    expect((await scim.send('GET', `/Users/${id}`)).status).toBe(404);
    expect(world.users.findById(id)!.active).toBe(false);
  });

  it('creates a group, checks it without members, adds and removes members by PATCH', async () => {
    const member = (await scim.send('POST', '/Users', oktaUser())).body;
    const other = (await scim.send('POST', '/Users', oktaUser())).body;
    const group = await scim.send('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'Entra Sales',
      meta: { resourceType: 'Group' },
    });
    expect(group.status).toBe(201);
    const found = await scim.send(
      'GET',
      `/Groups${filterQuery('displayName eq "Entra Sales"', '&excludedAttributes=members')}`,
    );
    expect(found.body.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
    expect(found.body.Resources[0].id).toBe(group.body.id);

    const added = await scim.send('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'Add',
          path: 'members',
          value: [
            { $ref: null, value: member.id },
            { $ref: null, value: other.id },
          ],
        },
      ],
    });
    expect(added.status).toBe(200);
    expect(added.body.members).toHaveLength(2);
    const removed = await scim.send('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Remove', path: 'members', value: [{ $ref: null, value: member.id }] }],
    });
    expect(removed.body.members.map((entry: { value: string }) => entry.value)).toEqual([other.id]);
    const removedByFilter = await scim.send('PATCH', `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Remove', path: `members[value eq "${other.id}"]` },
        { op: 'Replace', path: 'displayName', value: 'Entra Sales EMEA' },
      ],
    });
    expect(removedByFilter.body).toMatchObject({ displayName: 'Entra Sales EMEA', members: [] });
    expect((await scim.send('DELETE', `/Groups/${group.body.id}`)).status).toBe(204);
    expect((await scim.send('GET', `/Groups/${group.body.id}`)).status).toBe(404);
  });
});

describe('SCIM lists', () => {
  it('filters by emails.value, and/or, and pages with startIndex and count', async () => {
    const a = (await scim.send('POST', '/Users', oktaUser('list.a'))).body;
    const b = (await scim.send('POST', '/Users', oktaUser('list.b'))).body;
    const either = await scim.send(
      'GET',
      `/Users${filterQuery('emails.value eq "LIST.A@acme.test" or userName eq "list.b@acme.test"')}`,
    );
    expect(either.body.Resources.map((user: { id: string }) => user.id).sort()).toEqual([a.id, b.id].sort());
    const both = await scim.send(
      'GET',
      `/Users${filterQuery('userName sw "list." and active eq true and externalId eq "00ulist.b"')}`,
    );
    expect(both.body.Resources.map((user: { id: string }) => user.id)).toEqual([b.id]);
    const valuePath = await scim.send(
      'GET',
      `/Users${filterQuery('emails[type eq "work" and value eq "list.a@acme.test"]')}`,
    );
    expect(valuePath.body.totalResults).toBe(1);

    const all = await scim.send('GET', '/Users?count=200');
    const total = all.body.totalResults;
    const page = await scim.send('GET', '/Users?startIndex=2&count=2');
    expect(page.body).toMatchObject({ totalResults: total, startIndex: 2, itemsPerPage: 2 });
    expect(page.body.Resources.map((user: { id: string }) => user.id)).toEqual(
      all.body.Resources.slice(1, 3).map((user: { id: string }) => user.id),
    );
    const none = await scim.send('GET', '/Users?count=0');
    expect(none.body).toMatchObject({ totalResults: total, itemsPerPage: 0, Resources: [] });
  });

  it('brings a deleted user back, with the same id, when created again', async () => {
    const body = oktaUser('comeback');
    const first = (await scim.send('POST', '/Users', body)).body;
    await scim.send('DELETE', `/Users/${first.id}`);
    const again = await scim.send('POST', '/Users', body);
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: first.id, active: true });
    expect(world.users.findById(first.id)!.active).toBe(true);
  });

  it('honours If-Match: the current version applies, a stale one is refused with 412', async () => {
    const user = (await scim.send('POST', '/Users', oktaUser())).body;
    const patch = { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'displayName', value: 'Versioned' }] };
    const stale = await scim.send('PATCH', `/Users/${user.id}`, patch, { headers: { 'if-match': 'W/"999"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.scimType).toBe('preconditionFailed');
    const fresh = await scim.send('PATCH', `/Users/${user.id}`, patch, { headers: { 'if-match': user.meta.version } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('etag')).toBe('W/"2"');
  });
});
