/**
 * SCIM Users after a DELETE: the deleted user is gone from SCIM (404, no filter finds it; RFC 7644 §3.6 says it
 * should not count in conflicts), so its email is no clash the client could see or resolve: a live user of the
 * organization may change to it, and the deleted user's product users give it up too.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { oktaUser, PATCH_OP, scimClient, scimError } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const byUserName = (email: string) => `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`;

/** A managed user by SCIM, with a Segment user linked to it (as after a first Segment sign-in). */
async function provisionedWithSegment(local: string) {
  const created = await scim.send('POST', '/Users', oktaUser(local));
  expect(created.status).toBe(201);
  const { id, userName } = created.body as { id: string; userName: string };
  world.products.segment.users.create({ email: userName, name: local, twilioSub: id });
  return { id, userName };
}

const entraEmailChange = (email: string) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
    { op: 'Replace', path: 'userName', value: email },
  ],
});

describe("a deleted SCIM user's email", () => {
  it('is taken by a live user by PATCH (200, found by it), their linked Segment users following', async () => {
    const leaver = await provisionedWithSegment('recycled');
    expect((await scim.send('DELETE', `/Users/${leaver.id}`)).status).toBe(204);
    expect((await scim.send('GET', byUserName(leaver.userName))).body.totalResults).toBe(0);
    const stayer = await provisionedWithSegment('takes.recycled');

    const patch = await scim.send('PATCH', `/Users/${stayer.id}`, entraEmailChange(leaver.userName));
    expect({ status: patch.status, userName: patch.body.userName }).toEqual({
      status: 200,
      userName: 'recycled@acme.test',
    });
    const found = await scim.send('GET', byUserName(leaver.userName));
    expect(found.body.Resources.map((user: { id: string }) => user.id)).toEqual([stayer.id]);
    expect(world.users.findByEmail(leaver.userName)?.id).toBe(stayer.id);
    expect(world.products.segment.users.findByTwilioSub(stayer.id)?.email).toBe('recycled@acme.test');
    // The deleted user keeps its row and its product user (linked by subject), at an address nobody can hold.
    const released = `${leaver.id.toLowerCase()}@deleted.invalid`;
    expect(world.users.findById(leaver.id)).toMatchObject({ email: released, active: false });
    expect(world.products.segment.users.findByTwilioSub(leaver.id)?.email).toBe(released);
    const [gaveUp] = world.organizations.audit
      .latest(DEMO_IDS.acme)
      .filter((event) => event.targetUserId === leaver.id && event.action === 'user_updated');
    expect(gaveUp?.details).toBe('Deleted user gave up recycled@acme.test to takes.recycled@acme.test');
    // Creating the old address again is now a clash with the live user, whom the client can see.
    const again = await scim.send('POST', '/Users', oktaUser('recycled', { externalId: 'recycled-2' }));
    expect({ status: again.status, body: again.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', 'A user with userName recycled@acme.test already exists.'),
    });
  });

  it('is taken by a live user by PUT', async () => {
    const leaver = (await scim.send('POST', '/Users', oktaUser('recycled.put'))).body;
    await scim.send('DELETE', `/Users/${leaver.id}`);
    const stayer = (await scim.send('POST', '/Users', oktaUser('takes.recycled.put'))).body;
    const put = await scim.send('PUT', `/Users/${stayer.id}`, {
      ...oktaUser('recycled.put', { externalId: stayer.externalId }),
    });
    expect({ status: put.status, userName: put.body.userName, id: put.body.id }).toEqual({
      status: 200,
      userName: 'recycled.put@acme.test',
      id: stayer.id,
    });
  });

  it('is still refused while its user is only deactivated (active false, still in SCIM)', async () => {
    const inactive = (await scim.send('POST', '/Users', oktaUser('inactive.holder', { active: false }))).body;
    const taker = (await scim.send('POST', '/Users', oktaUser('inactive.taker'))).body;
    const patch = await scim.send('PATCH', `/Users/${taker.id}`, entraEmailChange(inactive.userName));
    expect({ status: patch.status, body: patch.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', 'A user with userName inactive.holder@acme.test already exists.'),
    });
    expect(world.users.findById(inactive.id)?.email).toBe('inactive.holder@acme.test');
  });
});
