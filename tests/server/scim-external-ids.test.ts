/**
 * SCIM Users after a DELETE: the deleted user is gone from SCIM (404, no filter finds it), so its externalId is
 * no clash the client could see or resolve; another user may take it (Microsoft Entra's default externalId is the
 * mailNickname, which a later colleague can have).
 */
import { describe, expect, it } from 'vitest';
import { oktaUser, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const byExternalId = (externalId: string) => `/Users?filter=${encodeURIComponent(`externalId eq "${externalId}"`)}`;

describe("a deleted SCIM user's externalId", () => {
  it('is taken by a new user created with it, who alone is found by it', async () => {
    const leaver = (await scim.send('POST', '/Users', oktaUser('leaver', { externalId: 'jsmith' }))).body;
    expect((await scim.send('DELETE', `/Users/${leaver.id}`)).status).toBe(204);
    const newcomer = await scim.send('POST', '/Users', oktaUser('newcomer', { externalId: 'jsmith' }));
    expect(newcomer.status).toBe(201);
    expect(newcomer.body).toMatchObject({ externalId: 'jsmith', userName: 'newcomer@acme.test' });
    const found = await scim.send('GET', byExternalId('jsmith'));
    expect(found.body.Resources.map((user: { id: string }) => user.id)).toEqual([newcomer.body.id]);
    // The deleted user, created again while another holds that externalId, is refused and stays deleted.
    const back = await scim.send('POST', '/Users', oktaUser('leaver', { externalId: 'jsmith' }));
    expect(back.status).toBe(409);
    expect(back.body).toEqual(scimError(409, 'uniqueness', 'Another user already has externalId jsmith.'));
    expect((await scim.send('GET', `/Users/${leaver.id}`)).status).toBe(404);
    // With an externalId of its own, it comes back as the same user.
    const again = await scim.send('POST', '/Users', oktaUser('leaver', { externalId: 'jsmith-2' }));
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id: leaver.id, externalId: 'jsmith-2', active: true });
  });

  it('is given to a live user by PUT', async () => {
    const leaver = (await scim.send('POST', '/Users', oktaUser('leaver.put', { externalId: 'amy' }))).body;
    await scim.send('DELETE', `/Users/${leaver.id}`);
    const stayer = (await scim.send('POST', '/Users', oktaUser('stayer.put'))).body;
    const put = await scim.send('PUT', `/Users/${stayer.id}`, oktaUser('stayer.put', { externalId: 'amy' }));
    expect(put.status).toBe(200);
    expect(put.body.externalId).toBe('amy');
    expect(world.db.prepare('SELECT external_id FROM users WHERE id = ?').get(leaver.id)).toEqual({
      external_id: null,
    });
  });

  it('is still refused when a live user of the organization has it', async () => {
    await scim.send('POST', '/Users', oktaUser('holder', { externalId: 'held' }));
    const clash = await scim.send('POST', '/Users', oktaUser('taker', { externalId: 'held' }));
    expect(clash.body).toEqual(scimError(409, 'uniqueness', 'Another user already has externalId held.'));
    expect((await scim.send('GET', byExternalId('held'))).body.totalResults).toBe(1);
  });
});
