import { describe, expect, it } from 'vitest';
import { ACME_SCIM_APP, DEMO_IDS } from '../../mock-server/seed';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { oktaUser, PATCH_OP, scimClient, scimError, scimToken } from './scim';
import { freshUser } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { organizations, scimApps } = world.organizations;
const scim = await scimClient(world);
const sam = world.users.findByEmail('sam@acme.test')!;
const userCount = () => (world.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
const filterQuery = (filter: string) => `/Users?filter=${encodeURIComponent(filter)}`;

/** Globex: another organization with its own verified domain and SCIM app. */
const globex = organizations.create({ name: 'Globex' });
organizations.addDomain(globex.id, 'globex.test', { verified: true });
organizations.addDomain(DEMO_IDS.acme, 'acme-unverified.test');
const globexApp = scimApps.create(globex.id, { name: 'Globex provisioning' });

describe('SCIM authentication', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const response = await (await scimClient(world, '')).send('GET', '/Users');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="scim", error="invalid_token"');
    expect(response.body).toEqual(
      scimError(401, 'invalidToken', 'An access token is required (Authorization: Bearer …).'),
    );
  });

  it('refuses an unknown token, and the Twilio access token of a signed-in user', async () => {
    const unknown = await (await scimClient(world, 'not-a-token')).send('GET', '/Users');
    expect(unknown.body).toEqual(scimError(401, 'invalidToken', 'The access token is invalid, expired or revoked.'));
    const { credentials } = await freshUser(world, 'scim-user-token');
    const { tokens } = await signInAsExtension(world, credentials);
    const userToken = await (await scimClient(world, tokens.access_token)).send('GET', '/Users');
    expect(userToken.status).toBe(401);
    expect(userToken.body).toEqual(scimError(401, 'invalidToken', 'The access token is invalid, expired or revoked.'));
  });

  it('refuses a SCIM app token without the scim scope with 403 insufficientScope', async () => {
    const token = await scimToken(world, ACME_SCIM_APP, '');
    const response = await (await scimClient(world, token)).send('GET', '/Users');
    expect(response.status).toBe(403);
    expect(response.body).toEqual(scimError(403, 'insufficientScope', 'The access token lacks the "scim" scope.'));
  });

  it("keeps another organization's token away from Acme's users", async () => {
    const other = await scimClient(world, await scimToken(world, globexApp));
    const read = await other.send('GET', `/Users/${sam.id}`);
    expect(read.status).toBe(404);
    expect(read.body).toEqual(scimError(404, 'notFound', `No user ${sam.id} in this organization.`));
    expect((await other.send('GET', filterQuery('userName eq "sam@acme.test"'))).body.totalResults).toBe(0);
    const patch = await other.send('PATCH', `/Users/${sam.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(patch.status).toBe(404);
    expect((await other.send('DELETE', `/Users/${sam.id}`)).status).toBe(404);
    const create = await other.send('POST', '/Users', oktaUser('globex.takeover'));
    expect(create.body).toEqual(
      scimError(
        400,
        'invalidValue',
        'The email domain is unverified (Twilio error 25017): acme.test is not a verified domain of this organization.',
      ),
    );
    expect(world.users.findById(sam.id)!.active).toBe(true);
  });

  it('stops accepting the tokens of a deleted SCIM app at once', async () => {
    const app = scimApps.create(DEMO_IDS.acme, { name: 'Short-lived' });
    const client = await scimClient(world, await scimToken(world, app));
    expect((await client.send('GET', '/Users?count=1')).status).toBe(200);
    expect(scimApps.delete(DEMO_IDS.acme, app.clientId)).toBe(true);
    const after = await client.send('GET', '/Users?count=1');
    expect(after.body).toEqual(scimError(401, 'invalidToken', 'The access token is invalid, expired or revoked.'));
  });
});

describe('SCIM users: Twilio rules', () => {
  it('refuses an email domain the organization has not verified (25017), and creates nothing', async () => {
    const before = userCount();
    const response = await scim.send('POST', '/Users', {
      ...oktaUser(),
      userName: 'pat@acme-unverified.test',
      emails: [{ value: 'pat@acme-unverified.test', primary: true }],
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(
      scimError(
        400,
        'invalidValue',
        'The email domain is unverified (Twilio error 25017): acme-unverified.test is not a verified domain of this organization.',
      ),
    );
    expect(userCount()).toBe(before);
  });

  it('requires userName and emails, and userName equal to the primary email', async () => {
    const { userName: _, ...withoutUserName } = oktaUser();
    expect((await scim.send('POST', '/Users', withoutUserName)).body).toEqual(
      scimError(400, 'invalidValue', 'userName is required'),
    );
    expect((await scim.send('POST', '/Users', { ...oktaUser(), emails: [] })).body).toEqual(
      scimError(400, 'invalidValue', 'emails is required'),
    );
    const mismatch = await scim.send('POST', '/Users', { ...oktaUser(), userName: 'someone.else@acme.test' });
    expect(mismatch.body).toEqual(
      scimError(400, 'invalidValue', 'userName must equal the primary email (emails[primary eq true].value).'),
    );
  });

  it('answers a taken userName or externalId with 409 uniqueness', async () => {
    const taken = await scim.send('POST', '/Users', oktaUser('sam'));
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual(scimError(409, 'uniqueness', 'A user with userName sam@acme.test already exists.'));
    const first = oktaUser('unique.one');
    await scim.send('POST', '/Users', first);
    const sameExternalId = await scim.send('POST', '/Users', oktaUser('unique.two', { externalId: first.externalId }));
    expect(sameExternalId.body).toEqual(
      scimError(409, 'uniqueness', 'Another user already has externalId 00uunique.one.'),
    );
  });

  it('refuses a user of a domain Acme never claimed, and one with no email at all', async () => {
    const response = await scim.send('POST', '/Users', {
      userName: 'x@example.com',
      emails: [{ value: 'x@example.com', primary: true }],
    });
    expect(response.body.detail).toBe(
      'The email domain is unverified (Twilio error 25017): example.com is not a verified domain of this organization.',
    );
    expect((await scim.send('POST', '/Users', { userName: 'no-email', emails: [{ value: 'no-email' }] })).body).toEqual(
      scimError(400, 'invalidValue', 'emails.0.value: must be an email address'),
    );
  });
});

describe('SCIM filters', () => {
  it.each([
    ['userName eq', 'The filter is not valid SCIM filter syntax: userName eq'],
    ['userName xx "a"', 'The filter is not valid SCIM filter syntax: userName xx "a"'],
    ['(userName eq "a"', 'The filter is not valid SCIM filter syntax: (userName eq "a"'],
    ['userName eq "a" and', 'The filter is not valid SCIM filter syntax: userName eq "a" and'],
    ['title eq "Boss"', 'Filtering on "title" is not supported.'],
    ['active eq "maybe"', 'A boolean attribute compares with true or false.'],
    ['userName gt 3', 'A text attribute compares with a string.'],
  ])('refuses %j with 400 invalidFilter', async (filter, detail) => {
    const response = await scim.send('GET', filterQuery(filter));
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'invalidFilter', detail));
  });

  it('treats SQL and LIKE meta characters in a filter value as text', async () => {
    const injection = await scim.send('GET', filterQuery(`userName eq "x' OR 1=1 --"`));
    expect(injection.body.totalResults).toBe(0);
    const wildcard = await scim.send('GET', filterQuery('userName co "%"'));
    expect(wildcard.body.totalResults).toBe(0);
  });

  it('refuses a count or startIndex that is not a number', async () => {
    expect((await scim.send('GET', '/Users?count=ten')).body).toEqual(
      scimError(400, 'invalidValue', 'count must be a whole number.'),
    );
  });
});

describe('SCIM PATCH and bodies', () => {
  const version = () =>
    (world.db.prepare('SELECT version FROM users WHERE id = ?').get(sam.id) as { version: number }).version;

  it.each([
    [{ op: 'replace', path: 'id', value: 'US00000000000000000000000000000000' }, 'id'],
    [{ op: 'replace', path: 'meta.version', value: 'W/"1"' }, 'meta'],
    [{ op: 'Replace', value: { id: 'US00000000000000000000000000000000', active: false } }, 'id'],
    [{ op: 'remove', path: 'meta' }, 'meta'],
    [{ op: 'add', path: 'groups', value: [{ value: 'GR1' }] }, 'groups'],
  ])('refuses %j with 400 mutability, changing nothing', async (operation, attribute) => {
    const before = version();
    const response = await scim.send('PATCH', `/Users/${sam.id}`, { schemas: [PATCH_OP], Operations: [operation] });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'mutability', `The attribute "${attribute}" is read-only.`));
    expect(version()).toBe(before);
    expect(world.users.findById(sam.id)!.active).toBe(true);
  });

  describe('prototype names', () => {
    // JSON, not object literals: `{ __proto__: … }` in code would set a prototype rather than send a key.
    const operations: [string, string, string][] = [
      ['{"op":"add","path":"__proto__.polluted","value":"yes"}', 'invalidPath', '"__proto__" is not an attribute.'],
      [
        '{"op":"add","path":"constructor.prototype.polluted","value":"yes"}',
        'invalidPath',
        '"constructor" is not an attribute.',
      ],
      [
        '{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:User:__proto__.polluted","value":"yes"}',
        'invalidPath',
        '"__proto__" is not an attribute.',
      ],
      ['{"op":"replace","value":{"__proto__":{"polluted":"yes"}}}', 'invalidValue', '"__proto__" is not an attribute.'],
      [
        '{"op":"replace","value":{"name.__proto__.polluted":"yes"}}',
        'invalidValue',
        '"__proto__" is not an attribute.',
      ],
      [
        '{"op":"add","path":"emails","value":[{"value":"x@acme.test","prototype":{"polluted":"yes"}}]}',
        'invalidValue',
        '"prototype" is not an attribute.',
      ],
    ];

    it.each(operations)('refuses %s on a user, touching no prototype', async (operation, scimType, detail) => {
      const before = version();
      const raw = `{"schemas":["${PATCH_OP}"],"Operations":[${operation}]}`;
      const response = await scim.send('PATCH', `/Users/${sam.id}`, undefined, { raw });
      expect(response.status).toBe(400);
      expect(response.body).toEqual(scimError(400, scimType, detail));
      expect(version()).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // The server still reads bodies (a polluted Object.prototype made every later body-carrying request a 500).
      expect((await scim.send('POST', '/Users', oktaUser())).status).toBe(201);
    });

    it('refuses them on a group too', async () => {
      const group = await scim.send('POST', '/Groups', { displayName: `Prototype ${Date.now()}` });
      expect(group.status).toBe(201);
      const raw = `{"schemas":["${PATCH_OP}"],"Operations":[${operations[0]![0]}]}`;
      const response = await scim.send('PATCH', `/Groups/${group.body.id}`, undefined, { raw });
      expect(response.body).toEqual(scimError(400, 'invalidPath', '"__proto__" is not an attribute.'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('still takes a filter value that happens to read like one', async () => {
      const response = await scim.send('PATCH', `/Users/${sam.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: 'replace', path: 'emails[value eq "constructor@acme.test"].type', value: 'home' }],
      });
      // Not refused for the name: no email has that value, so nothing changes.
      expect(response.status).toBe(200);
      expect(response.body.emails).toEqual([{ value: 'sam@acme.test', type: 'work', primary: true }]);
    });
  });

  it('refuses malformed JSON, a JSON array and another content type', async () => {
    expect((await scim.send('POST', '/Users', undefined, { raw: '{"userName": "x@acme.test",' })).body).toEqual(
      scimError(400, 'invalidSyntax', 'The request body is not well-formed JSON.'),
    );
    expect((await scim.send('POST', '/Users', [oktaUser()])).body).toEqual(
      scimError(400, 'invalidSyntax', 'The request body must be a JSON object.'),
    );
    const form = await scim.send('POST', '/Users', undefined, {
      raw: 'userName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(form.body).toEqual(scimError(415, 'unsupportedMediaType', 'Send the body as application/scim+json.'));
  });

  it('refuses a 1 MB body with 413 before reading it, creating nothing', async () => {
    const before = userCount();
    const response = await scim.send('POST', '/Users', { ...oktaUser(), displayName: 'x'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body).toEqual(scimError(413, 'tooLarge', 'The request body is larger than 524288 bytes.'));
    expect(response.headers.get('connection')).toBe('close');
    expect(userCount()).toBe(before);
  });

  it('refuses 10 000 operations with 400 tooMany, applying none', async () => {
    const before = version();
    const Operations = Array.from({ length: 10_000 }, () => ({ op: 'replace', path: 'active', value: false }));
    const response = await scim.send('PATCH', `/Users/${sam.id}`, { schemas: [PATCH_OP], Operations });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(scimError(400, 'tooMany', 'A PATCH may carry at most 100 operations.'));
    expect(version()).toBe(before);
    expect(world.users.findById(sam.id)!.active).toBe(true);
  });

  it('refuses a PATCH without the PatchOp schema or with an unknown op', async () => {
    expect((await scim.send('PATCH', `/Users/${sam.id}`, { Operations: [{ op: 'replace', value: {} }] })).body).toEqual(
      scimError(400, 'invalidValue', 'schemas is required'),
    );
    const move = await scim.send('PATCH', `/Users/${sam.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'move', path: 'x' }],
    });
    expect(move.body).toEqual(scimError(400, 'invalidValue', 'Operations.0.op: op must be add, remove or replace'));
  });

  it('refuses a group member who is not a user of the organization', async () => {
    const globexUser = world.users.create({ email: 'hank@globex.test', name: 'Hank', passwordHash: '!sso-only' });
    organizations.addMember(globex.id, globexUser.id);
    const response = await scim.send('POST', '/Groups', { displayName: 'Mixed', members: [{ value: globexUser.id }] });
    expect(response.body).toEqual(
      scimError(400, 'invalidValue', `The member ${globexUser.id} is not a user of this organization.`),
    );
    expect(
      (await scim.send('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Mixed"')}`)).body.totalResults,
    ).toBe(0);
  });

  it('answers an unknown user and an unknown endpoint with 404 notFound', async () => {
    expect((await scim.send('GET', '/Users/US00000000000000000000000000000000')).body).toEqual(
      scimError(404, 'notFound', 'No user US00000000000000000000000000000000 in this organization.'),
    );
    expect((await scim.send('GET', '/Bulk')).body).toEqual(
      scimError(404, 'notFound', 'There is no SCIM endpoint here.'),
    );
  });
});

describe('expired SCIM tokens', () => {
  it('refuses a token past its hour with 401', async () => {
    const client = await scimClient(world);
    world.advance(61 * 60_000);
    const response = await client.send('GET', '/Users');
    expect(response.body).toEqual(scimError(401, 'invalidToken', 'The access token is invalid, expired or revoked.'));
  });
});
