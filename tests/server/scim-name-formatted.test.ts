/**
 * A SCIM user's name.formatted and displayName are the one name Twilio keeps: a PATCH of name.formatted renames the
 * user as a PUT with it does (it was answered 200 with the old name), by path or in a value object.
 */
import { describe, expect, it } from 'vitest';
import { oktaUser, PATCH_OP, scimClient } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

const patchOf = (...Operations: object[]) => ({ schemas: [PATCH_OP], Operations });

async function provisioned(local: string) {
  const created = await scim.send('POST', '/Users', oktaUser(local));
  expect(created.body).toMatchObject({ displayName: 'Pat Lee', name: { formatted: 'Pat Lee' } });
  return created.body.id as string;
}

/** What a client reads of the name afterwards. */
async function nameOf(id: string) {
  const read = await scim.send('GET', `/Users/${id}`);
  return { displayName: read.body.displayName, name: read.body.name };
}

describe('PATCH of name.formatted', () => {
  it.each([
    { by: 'path', operation: { op: 'replace', path: 'name.formatted', value: 'Ada L' } },
    {
      by: 'a path with its schema',
      operation: { op: 'Replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:name.formatted', value: 'Ada L' },
    },
    { by: 'a value object', operation: { op: 'replace', value: { name: { formatted: 'Ada L' } } } },
    { by: "Entra's path key", operation: { op: 'Replace', value: { 'name.formatted': 'Ada L' } } },
  ])('renames the user, by $by; GET shows it as displayName and name.formatted', async ({ operation }) => {
    const id = await provisioned(`formatted.${Math.random().toString(36).slice(2, 8)}`);
    const patched = await scim.send('PATCH', `/Users/${id}`, patchOf(operation));
    expect({ status: patched.status, displayName: patched.body.displayName }).toEqual({
      status: 200,
      displayName: 'Ada L',
    });
    expect(await nameOf(id)).toEqual({
      displayName: 'Ada L',
      name: { formatted: 'Ada L', givenName: 'Pat', familyName: 'Lee' },
    });
    expect(world.users.findById(id)!.name).toBe('Ada L');
  });

  it('lets displayName win when one PATCH sets both (as a PUT with both does)', async () => {
    const id = await provisioned('formatted.both');
    const patched = await scim.send(
      'PATCH',
      `/Users/${id}`,
      patchOf(
        { op: 'replace', path: 'name.formatted', value: 'Formatted Name' },
        { op: 'replace', path: 'displayName', value: 'Display Name' },
      ),
    );
    expect(patched.status).toBe(200);
    expect((await nameOf(id)).displayName).toBe('Display Name');
  });

  it('keeps the name when a PATCH changes neither (name.givenName alone)', async () => {
    const id = await provisioned('formatted.given');
    const patched = await scim.send(
      'PATCH',
      `/Users/${id}`,
      patchOf({ op: 'replace', path: 'name.givenName', value: 'Patricia' }),
    );
    expect(patched.status).toBe(200);
    expect(await nameOf(id)).toEqual({
      displayName: 'Pat Lee',
      name: { formatted: 'Pat Lee', givenName: 'Patricia', familyName: 'Lee' },
    });
  });
});
