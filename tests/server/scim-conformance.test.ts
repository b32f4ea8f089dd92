/**
 * RFC 7644 details SCIM clients rely on: attributes named by their fully qualified schema URN in filters (§3.10),
 * 405 with `Allow` for a method the endpoint does not take, and the world's own email rules for `userName` and
 * `emails` (the same checks as the login, the Console and world files).
 */
import { describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, oktaUser, PATCH_OP, scimClient, scimError, USER_SCHEMA } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const sam = world.users.findByEmail('sam@acme.test')!;
const filterQuery = (filter: string) => `?filter=${encodeURIComponent(filter)}`;
const userCount = () => (world.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
const CONTROL = 'That email contains a control or invisible character. Type the address again.';

describe('SCIM filters with fully qualified attribute names (RFC 7644 §3.10)', () => {
  it.each([
    `${USER_SCHEMA}:userName eq "sam@acme.test"`,
    `${USER_SCHEMA.toUpperCase()}:USERNAME eq "sam@acme.test"`,
    `${USER_SCHEMA}:emails[value eq "sam@acme.test"]`,
    `${USER_SCHEMA}:emails.value eq "sam@acme.test" and ${USER_SCHEMA}:active eq true`,
  ])('finds sam with %j', async (filter) => {
    const response = await scim.send('GET', `/Users${filterQuery(filter)}`);
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources.map((user: { id: string }) => user.id)).toEqual([sam.id]);
  });

  it('finds a group by its URN-qualified displayName', async () => {
    const created = await scim.send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'URN Filter Group' });
    expect(created.status).toBe(201);
    const response = await scim.send(
      'GET',
      `/Groups${filterQuery(`${GROUP_SCHEMA}:displayName eq "URN Filter Group"`)}`,
    );
    expect(response.status).toBe(200);
    expect(response.body.Resources.map((group: { id: string }) => group.id)).toEqual([created.body.id]);
  });

  it.each(['constructor', '__proto__', `${USER_SCHEMA}:constructor`])(
    'refuses %j, which names no attribute, with 400 invalidFilter (not a 500)',
    async (attribute) => {
      const response = await scim.send('GET', `/Users${filterQuery(`${attribute} eq "x"`)}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(scimError(400, 'invalidFilter', `Filtering on "${attribute}" is not supported.`));
    },
  );

  it("still refuses an extension's attribute, which the world does not keep, with 400 invalidFilter", async () => {
    const attribute = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber';
    const response = await scim.send('GET', `/Users${filterQuery(`${attribute} eq "42"`)}`);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'invalidFilter', `Filtering on "${attribute}" is not supported.`));
  });
});

describe('SCIM methods a collection does not take', () => {
  it.each([
    ['PUT', 'Users'],
    ['PATCH', 'Users'],
    ['DELETE', 'Users'],
    ['PUT', 'Groups'],
    ['DELETE', 'Groups'],
  ])('answers %s /%s with 405, Allow: GET, POST and a SCIM error, changing nothing', async (method, collection) => {
    const before = userCount();
    const body = method === 'DELETE' ? undefined : { schemas: [PATCH_OP], Operations: [] };
    const response = await scim.send(method, `/${collection}`, body);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect(response.headers.get('content-type')).toBe('application/scim+json');
    expect(response.body).toEqual(
      scimError(
        405,
        'methodNotAllowed',
        `${method} is not allowed on /${collection}: name one resource (/${collection}/{id}).`,
      ),
    );
    expect(userCount()).toBe(before);
    expect(world.users.findByEmail('sam@acme.test')?.active).toBe(true);
  });

  it('answers a write to a discovery endpoint with 405 and Allow: GET', async () => {
    const response = await scim.send('DELETE', '/ServiceProviderConfig');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
    expect(response.body).toEqual(scimError(405, 'methodNotAllowed', 'Discovery endpoints are read-only.'));
  });
});

describe("SCIM users take the world's email rules", () => {
  it.each([
    ['a zero-width space', 'ida\u200b@acme.test'],
    ['a control character', 'bell\u0007@acme.test'],
    ['a soft hyphen', 'ida\u00ad@acme.test'],
  ])('refuses a userName with %s with 400 invalidValue, creating nothing', async (_kind, email) => {
    const before = userCount();
    const response = await scim.send(
      'POST',
      '/Users',
      oktaUser('unused', { userName: email, emails: [{ value: email, primary: true }] }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'invalidValue', `userName: ${CONTROL}`));
    expect(userCount()).toBe(before);
  });

  it('refuses such an address in emails alone, and as a new userName by PUT and PATCH', async () => {
    const invisible = 'sam\u200b@acme.test';
    const inEmails = await scim.send(
      'POST',
      '/Users',
      oktaUser('unused', { userName: 'fine@acme.test', emails: [{ value: invisible, primary: true }] }),
    );
    expect(inEmails.body).toEqual(scimError(400, 'invalidValue', `emails.0.value: ${CONTROL}`));
    const put = await scim.send(
      'PUT',
      `/Users/${sam.id}`,
      oktaUser('unused', { userName: invisible, emails: [{ value: invisible, primary: true }] }),
    );
    expect(put.status).toBe(400);
    expect(put.body).toEqual(scimError(400, 'invalidValue', `userName: ${CONTROL}`));
    const patch = await scim.send('PATCH', `/Users/${sam.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { userName: invisible, emails: [{ value: invisible, primary: true }] } }],
    });
    expect(patch.status).toBe(400);
    expect(patch.body).toEqual(scimError(400, 'invalidValue', `userName: ${CONTROL}`));
    expect(world.users.findByEmail('sam@acme.test')?.id).toBe(sam.id);
  });

  it('refuses fullwidth letters and mixed alphabets with their own messages', async () => {
    const fullwidth = 'ｉda@acme.test';
    const mixed = 'idа@acme.test'; // Cyrillic "а"
    expect((await scim.send('POST', '/Users', oktaUser('unused', { userName: fullwidth }))).body).toEqual(
      scimError(
        400,
        'invalidValue',
        'userName: That email contains fullwidth or styled characters. Type it with ordinary letters.',
      ),
    );
    expect((await scim.send('POST', '/Users', oktaUser('unused', { userName: mixed }))).body).toEqual(
      scimError(
        400,
        'invalidValue',
        'userName: That email mixes letters of different alphabets (for example Latin and Cyrillic), so it can look like another address. Type it again in one alphabet.',
      ),
    );
  });

  it('refuses an address the world cannot store (a semicolon, as the Console and world files do)', async () => {
    const email = 'o;neil@acme.test';
    const response = await scim.send(
      'POST',
      '/Users',
      oktaUser('unused', { userName: email, emails: [{ value: email, primary: true }] }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'invalidValue', 'emails.0.value: must be an email address'));
    expect(world.users.findByEmail(email)).toBeUndefined();
  });
});
