/**
 * A world file's emails follow the world's own character rules (contract/email.ts), as the login, the Console and
 * SCIM do: an address the login refuses would give a user who can never sign in, and a look-alike passes for
 * another user's.
 */
import { describe, expect, it } from 'vitest';
import { checkWorldFile } from '../../mock-server/world-file/check';
import { demoWith } from './world-files';

const MIXED =
  'not an email the world accepts: That email mixes letters of different alphabets (for example Latin and Cyrillic), so it can look like another address. Type it again in one alphabet.';

describe("a world file's emails", () => {
  it('refuse a look-alike of another user (a Cyrillic "а"), naming its path', () => {
    const file = demoWith((f) => {
      f.twilio.users.push({ email: '\u0430da@example.com', name: 'Not Ada', eligible: true, password: 'x-pass-2026' });
    });
    expect(checkWorldFile(file)).toEqual({ ok: false, problems: [`twilio.users[9].email: ${MIXED}`] });
  });

  it('refuse invisible and fullwidth characters wherever an email is given', () => {
    const file = demoWith((f) => {
      f.segment.users[1].email = 'nia\u200b@benco.example';
      f.sendgrid.users[0].email = 'ｆrank@example.net';
      f.segment.workspaces[1].invitations[0].email = 'new.hire@b\u0435nco.example';
    });
    expect(checkWorldFile(file)).toEqual({
      ok: false,
      problems: [
        'segment.users[1].email: not an email the world accepts: That email contains a control or invisible character. Type the address again.',
        `segment.workspaces[1].invitations[0].email: ${MIXED}`,
        'sendgrid.users[0].email: not an email the world accepts: That email contains fullwidth or styled characters. Type it with ordinary letters.',
      ],
    });
  });

  it('still take an address in one alphabet that is not Latin', () => {
    const file = demoWith((f) => {
      f.twilio.users.push({ email: 'иван@пример.рф', name: 'Ivan', eligible: true, password: 'ivan-pass-2026' });
    });
    expect(checkWorldFile(file)).toMatchObject({ ok: true });
  });
});
