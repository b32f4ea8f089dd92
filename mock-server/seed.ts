/**
 * The demo world of DESIGN.md §3, seeded when the database is new (or on `--reset`).
 * All demo passwords are `demo-pass-2026`; the TOTP secret is a well-known demo value.
 */
import { hashPassword } from './accounts/passwords';
import type { UserStore } from './accounts/users';
import type { Db } from './storage/database';

export const DEMO_PASSWORD = 'demo-pass-2026';
export const EVE_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';

export interface DemoPersona {
  email: string;
  name: string;
  eligible: boolean;
  totpSecret?: string;
}

/** The Twilio users of the demo world (frank@example.net is a SendGrid-only user, not a Twilio user). */
export const DEMO_TWILIO_USERS: readonly DemoPersona[] = [
  { email: 'ada@example.com', name: 'Ada Lovelace', eligible: true },
  { email: 'ben@example.com', name: 'Ben Okafor', eligible: true },
  { email: 'cleo@example.com', name: 'Cleo Park', eligible: true },
  { email: 'dan@example.com', name: 'Dan Reyes', eligible: false },
  { email: 'eve@example.com', name: 'Eve Moreau', eligible: true, totpSecret: EVE_TOTP_SECRET },
];

/** Seeds the demo personas unless the world already has users. Returns whether it seeded. */
export async function seedDemoWorld(db: Db, users: UserStore): Promise<boolean> {
  if (users.count() > 0) return false;
  const hashes = await Promise.all(DEMO_TWILIO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  db.transaction(() => {
    if (users.count() > 0) return;
    DEMO_TWILIO_USERS.forEach((persona, index) => {
      users.create({
        email: persona.email,
        name: persona.name,
        eligible: persona.eligible,
        passwordHash: hashes[index]!,
        ...(persona.totpSecret ? { totpSecret: persona.totpSecret } : {}),
      });
    });
  })();
  return true;
}
