import { describe, expect, it } from 'vitest';
import { INVITATION_TTL_MS } from '../../mock-server/segment/store';
import { worldForFile } from './world';

const world = await worldForFile();
const segment = world.products.segment;

describe("Segment's own data", () => {
  it('seeds Ben Co with its Owner, Ben as Member and a pending Read-only invitation', () => {
    const ben = segment.users.findByEmail('ben@example.com')!;
    expect(ben).toMatchObject({ createdVia: 'password', twilioSub: undefined, timezone: 'UTC' });
    expect(ben.passwordHash).toMatch(/^\$argon2id\$/);
    expect(segment.workspacesOf(ben.id)).toEqual([
      { id: 'ws_ben_co', name: 'Ben Co', plan: 'free', role: 'Member', lastVisitedAt: undefined },
    ]);
    expect(segment.invitationsFor('ws_ben_co')).toEqual([
      expect.objectContaining({ email: 'new.hire@benco.example', role: 'Read-only', expired: false }),
    ]);
  });

  it('links Ada by her Twilio subject, with no Segment password', () => {
    const ada = world.users.findByEmail('ada@example.com')!;
    const adaSegment = segment.users.findByTwilioSub(ada.id)!;
    expect(adaSegment).toMatchObject({ email: 'ada@example.com', passwordHash: undefined, createdVia: 'twilio' });
    expect(segment.workspacesOf(adaSegment.id).map(({ name, role }) => ({ name, role }))).toEqual([
      { name: 'Ada Analytics', role: 'Owner' },
    ]);
  });

  it('keeps no password and no Twilio link out of the database at the same time', () => {
    expect(() => segment.users.create({ email: 'nobody@example.com', name: 'Nobody' })).toThrow(/CHECK constraint/);
  });

  it('expires invitations after 7 days', () => {
    const invitation = segment.invite('ws_ben_co', 'Later@Example.com', 'Member');
    expect(invitation).toMatchObject({ email: 'later@example.com', expired: false });
    expect(invitation.expiresAt - invitation.createdAt).toBe(INVITATION_TTL_MS);
    world.advance(INVITATION_TTL_MS);
    expect(segment.invitationsFor('ws_ben_co').find((candidate) => candidate.id === invitation.id)!.expired).toBe(true);
  });
});
