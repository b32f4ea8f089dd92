/**
 * A SCIM email change follows the Console's email-change rules: not another Twilio user's email, nor an unlinked
 * Segment or SendGrid user's (409 uniqueness, nothing changed), and a linked product user takes the new email.
 */
import { describe, expect, it } from 'vitest';
import { oktaUser, PATCH_OP, scimClient, scimError } from './scim';
import { SUE } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

/** A new managed user, by SCIM as Okta creates one. */
async function provisioned(local: string) {
  const body = oktaUser(local);
  const created = await scim.send('POST', '/Users', body);
  expect(created.status).toBe(201);
  return { id: created.body.id as string, body };
}

/** Entra's email change: the work email and userName replaced by path. */
const entraEmailChange = (email: string) => ({
  schemas: [PATCH_OP],
  Operations: [
    { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
    { op: 'Replace', path: 'userName', value: email },
  ],
});

const okta = (body: ReturnType<typeof oktaUser>, email: string) => ({
  ...body,
  userName: email,
  emails: [{ primary: true, value: email, type: 'work' }],
});

describe('SCIM email changes across products', () => {
  it('refuses, by PUT and by PATCH, the email of another Twilio user with 409 uniqueness; nothing changes', async () => {
    const { id, body } = await provisioned('moves.to.sue');
    const put = await scim.send('PUT', `/Users/${id}`, okta(body, SUE.email));
    expect({ status: put.status, body: put.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', 'A user with userName sue@acme.test already exists.'),
    });
    const patch = await scim.send('PATCH', `/Users/${id}`, entraEmailChange(SUE.email));
    expect({ status: patch.status, body: patch.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', 'A user with userName sue@acme.test already exists.'),
    });
    expect(world.users.findById(id)!.email).toBe(body.userName);
  });

  it.each([
    { product: 'segment', name: 'Segment', by: 'PUT' },
    { product: 'sendgrid', name: 'SendGrid', by: 'PATCH' },
  ] as const)(
    'refuses the email of a $name user not linked to Twilio ($by), as the Console does',
    async ({ product, name, by }) => {
      const taken = `${product}.only@acme.test`;
      world.products[product].users.create({ email: taken, name: `${name} Only`, passwordHash: 'x' });
      const { id, body } = await provisioned(`moves.to.${product}`);
      const refused =
        by === 'PUT'
          ? await scim.send('PUT', `/Users/${id}`, okta(body, taken))
          : await scim.send('PATCH', `/Users/${id}`, entraEmailChange(taken));
      expect({ status: refused.status, body: refused.body }).toEqual({
        status: 409,
        body: scimError(
          409,
          'uniqueness',
          `${taken} is already a ${name} user that isn't linked to Twilio. Use another email, or ask that user to change theirs.`,
        ),
      });
      expect(world.users.findById(id)!.email).toBe(body.userName);
    },
  );

  it('keeps an unchanged email: sue, whose own unlinked Segment user shares it, is updated by PUT', async () => {
    const sue = world.users.findByEmail(SUE.email)!;
    const read = await scim.send('GET', `/Users/${sue.id}`);
    const put = await scim.send('PUT', `/Users/${sue.id}`, { ...read.body, displayName: 'Sue Renamed' });
    expect({ status: put.status, userName: put.body.userName }).toEqual({ status: 200, userName: SUE.email });
  });

  it('moves a linked Segment user’s email along with the Twilio email', async () => {
    const { id } = await provisioned('linked.mover');
    world.setups.createSegmentUser(world.users.findById(id)!, 'Mover’s workspace');
    const segmentUser = world.products.segment.users.findByTwilioSub(id)!;
    const moved = 'linked.moved@acme.test';
    const patch = await scim.send('PATCH', `/Users/${id}`, entraEmailChange(moved));
    expect({ status: patch.status, userName: patch.body.userName }).toEqual({ status: 200, userName: moved });
    expect(world.products.segment.users.findById(segmentUser.id)!.email).toBe(moved);
  });
});
