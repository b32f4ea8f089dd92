/**
 * The demo world of DESIGN.md §3, seeded when the database is new (or on `--reset`).
 * All Twilio demo passwords are `demo-pass-2026`; the TOTP secret is a well-known demo value. The product side:
 * ada's Segment user is linked to her Twilio login, ben has an unlinked Segment user with its own password, and
 * frank is a SendGrid-only user.
 */
import { hashPassword } from './accounts/passwords';
import type { UserRole, UserStore } from './accounts/users';
import type { SegmentStore } from './segment/store';
import type { SendGridStore } from './sendgrid/store';
import type { Db } from './storage/database';

export const DEMO_PASSWORD = 'demo-pass-2026';
export const EVE_TOTP_SECRET = 'JBSWY3DPEHPK3PXP';
export const SEGMENT_DEMO_PASSWORD = 'segment-pass-2026';
export const SENDGRID_DEMO_PASSWORD = 'sendgrid-pass-2026';

/** Fixed ids of the seeded product data, so tests and the README can name them. */
export const DEMO_IDS = {
  adaAnalytics: 'ws_ada_analytics',
  benCo: 'ws_ben_co',
  franksMail: 'acct_franks_mail',
} as const;

export interface DemoPersona {
  email: string;
  name: string;
  eligible: boolean;
  totpSecret?: string;
  role?: UserRole;
}

/** Twilio support: decides access requests on the login host's support page. */
export const SUPPORT_OPERATOR: DemoPersona = {
  email: 'sol@example.com',
  name: 'Sol Rivera',
  eligible: true,
  role: 'support_operator',
};

/** The Twilio users of the demo world (frank@example.net is a SendGrid-only user, not a Twilio user). */
export const DEMO_TWILIO_USERS: readonly DemoPersona[] = [
  { email: 'ada@example.com', name: 'Ada Lovelace', eligible: true },
  { email: 'ben@example.com', name: 'Ben Okafor', eligible: true },
  { email: 'cleo@example.com', name: 'Cleo Park', eligible: true },
  { email: 'dan@example.com', name: 'Dan Reyes', eligible: false },
  { email: 'eve@example.com', name: 'Eve Moreau', eligible: true, totpSecret: EVE_TOTP_SECRET },
  SUPPORT_OPERATOR,
];

export interface ProductStores {
  segment: SegmentStore;
  sendgrid: SendGridStore;
}

/** Seeds the demo personas unless the world already has users. Returns whether it seeded. */
export async function seedDemoWorld(db: Db, users: UserStore, products: ProductStores): Promise<boolean> {
  if (users.count() > 0) {
    await addSupportOperator(users);
    return false;
  }
  const hashes = await Promise.all(DEMO_TWILIO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
  const [segmentHash, segmentOwnerHash, sendgridHash] = await Promise.all([
    hashPassword(SEGMENT_DEMO_PASSWORD),
    hashPassword(SEGMENT_DEMO_PASSWORD),
    hashPassword(SENDGRID_DEMO_PASSWORD),
  ]);
  db.transaction(() => {
    if (users.count() > 0) return;
    DEMO_TWILIO_USERS.forEach((persona, index) => {
      users.create({
        email: persona.email,
        name: persona.name,
        eligible: persona.eligible,
        passwordHash: hashes[index]!,
        ...(persona.role ? { role: persona.role } : {}),
        ...(persona.totpSecret ? { totpSecret: persona.totpSecret } : {}),
      });
    });
    seedProducts(products, users, { segmentHash, segmentOwnerHash, sendgridHash });
  })();
  return true;
}

/** A world seeded before support operators existed gets one, so the README's persona works without `--reset`. */
async function addSupportOperator(users: UserStore): Promise<void> {
  if (users.findByEmail(SUPPORT_OPERATOR.email)) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  if (users.findByEmail(SUPPORT_OPERATOR.email)) return;
  users.create({ ...SUPPORT_OPERATOR, passwordHash });
}

function seedProducts(
  { segment, sendgrid }: ProductStores,
  users: UserStore,
  hashes: { segmentHash: string; segmentOwnerHash: string; sendgridHash: string },
): void {
  const ada = users.findByEmail('ada@example.com')!;
  const adaSegment = segment.users.create({ email: ada.email, name: ada.name, twilioSub: ada.id });
  segment.createWorkspace('Ada Analytics', { id: DEMO_IDS.adaAnalytics });
  segment.addMember(DEMO_IDS.adaAnalytics, adaSegment.id, 'Owner');

  // Ben Co's owner is a Segment-only user; ben is a Member with his own Segment password, not yet linked.
  const owner = segment.users.create({
    email: 'nia@benco.example',
    name: 'Nia Adeyemi',
    passwordHash: hashes.segmentOwnerHash,
  });
  const ben = segment.users.create({ email: 'ben@example.com', name: 'Ben Okafor', passwordHash: hashes.segmentHash });
  segment.createWorkspace('Ben Co', { id: DEMO_IDS.benCo });
  segment.addMember(DEMO_IDS.benCo, owner.id, 'Owner');
  segment.addMember(DEMO_IDS.benCo, ben.id, 'Member');
  segment.invite(DEMO_IDS.benCo, 'new.hire@benco.example', 'Read-only', owner.id);

  const frank = sendgrid.users.create({
    email: 'frank@example.net',
    name: 'Frank Moreno',
    passwordHash: hashes.sendgridHash,
  });
  sendgrid.createAccount("Frank's Mail", { id: DEMO_IDS.franksMail });
  sendgrid.addTeammate(DEMO_IDS.franksMail, frank.id, 'Admin');
}
