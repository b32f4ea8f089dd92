/**
 * The demo world, seeded when the database is new (or on `--reset`); the README lists it for testers.
 * All Twilio demo passwords are `demo-pass-2026`; the TOTP secret is a well-known demo value. The product side:
 * ada's Segment user is linked to her Twilio login, ben and sue have unlinked Segment users with their own
 * passwords, and frank is a SendGrid-only user. The organization Acme (verified domain `acme.test`) manages sam,
 * sue and ida, who have no Twilio password (they sign in through Acme's identity provider), and has one SCIM app
 * with fixed demo credentials.
 */

import { hashPassword, UNUSABLE_PASSWORD_HASH } from './accounts/passwords';
import type { OrganizationRole, UserRole, UserStore } from './accounts/users';
import type { OrganizationStores } from './organizations/stores';
import type { ProductStores } from './products/product-stores';
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
  acmeMarketing: 'ws_acme_marketing',
  acme: 'OR0000000000000000000000000000ac3e',
} as const;

/** The demo organization's SCIM app (demo credentials, listed in the README). */
export const ACME_SCIM_APP = { clientId: 'scim_acme_demo', clientSecret: 'acme-scim-demo-secret-2026' } as const;

export interface DemoOrganization {
  id: string;
  name: string;
  verifiedDomains: readonly string[];
  scimApps: readonly { name: string; clientId: string; clientSecret: string }[];
}

export const DEMO_ORGANIZATIONS: readonly DemoOrganization[] = [
  {
    id: DEMO_IDS.acme,
    name: 'Acme',
    verifiedDomains: ['acme.test'],
    scimApps: [{ name: 'Acme provisioning (demo)', ...ACME_SCIM_APP }],
  },
];

export interface DemoPersona {
  email: string;
  name: string;
  eligible: boolean;
  totpSecret?: string;
  role?: UserRole;
  /** A managed user of this demo organization, signing in only by SSO (no Twilio password). */
  organization?: { id: string; role: OrganizationRole };
}

/** Twilio support: decides access requests on the login host's support page. */
export const SUPPORT_OPERATOR: DemoPersona = {
  email: 'sol@example.com',
  name: 'Sol Rivera',
  eligible: true,
  role: 'support_operator',
};

/**
 * The Twilio users of the demo world (frank@example.net is a SendGrid-only user, not a Twilio user; tom@acme.test
 * exists only at Acme's identity provider until someone provisions him).
 */
export const DEMO_TWILIO_USERS: readonly DemoPersona[] = [
  { email: 'ada@example.com', name: 'Ada Lovelace', eligible: true },
  { email: 'ben@example.com', name: 'Ben Okafor', eligible: true },
  { email: 'cleo@example.com', name: 'Cleo Park', eligible: true },
  { email: 'dan@example.com', name: 'Dan Reyes', eligible: false },
  { email: 'eve@example.com', name: 'Eve Moreau', eligible: true, totpSecret: EVE_TOTP_SECRET },
  SUPPORT_OPERATOR,
  { email: 'sam@acme.test', name: 'Sam Rivera', eligible: true, organization: { id: DEMO_IDS.acme, role: 'member' } },
  { email: 'sue@acme.test', name: 'Sue Tanaka', eligible: true, organization: { id: DEMO_IDS.acme, role: 'member' } },
  { email: 'ida@acme.test', name: 'Ida Novak', eligible: true, organization: { id: DEMO_IDS.acme, role: 'admin' } },
];

/** Seeds the demo personas unless the world already has users. Returns whether it seeded. */
export async function seedDemoWorld(
  db: Db,
  users: UserStore,
  products: ProductStores,
  organizations: OrganizationStores,
): Promise<boolean> {
  if (users.count() > 0) {
    await addSupportOperator(users);
    return false;
  }
  const hashes = await Promise.all(
    DEMO_TWILIO_USERS.map((persona) =>
      persona.organization ? Promise.resolve(UNUSABLE_PASSWORD_HASH) : hashPassword(DEMO_PASSWORD),
    ),
  );
  const [segmentHash, segmentOwnerHash, sueSegmentHash, sendgridHash] = await Promise.all([
    hashPassword(SEGMENT_DEMO_PASSWORD),
    hashPassword(SEGMENT_DEMO_PASSWORD),
    hashPassword(SEGMENT_DEMO_PASSWORD),
    hashPassword(SENDGRID_DEMO_PASSWORD),
  ]);
  db.transaction(() => {
    if (users.count() > 0) return;
    seedOrganizations(organizations);
    DEMO_TWILIO_USERS.forEach((persona, index) => {
      const user = users.create({
        email: persona.email,
        name: persona.name,
        eligible: persona.eligible,
        passwordHash: hashes[index]!,
        ...(persona.role ? { role: persona.role } : {}),
        ...(persona.totpSecret ? { totpSecret: persona.totpSecret } : {}),
      });
      if (persona.organization) {
        organizations.organizations.addMember(persona.organization.id, user.id, persona.organization.role);
      }
    });
    seedProducts(products, users, { segmentHash, segmentOwnerHash, sueSegmentHash, sendgridHash });
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

function seedOrganizations({ organizations, scimApps }: OrganizationStores): void {
  for (const demo of DEMO_ORGANIZATIONS) {
    organizations.create({ id: demo.id, name: demo.name });
    for (const domain of demo.verifiedDomains) organizations.addDomain(demo.id, domain, { verified: true });
    for (const app of demo.scimApps) {
      scimApps.create(demo.id, {
        name: app.name,
        credentials: { clientId: app.clientId, clientSecret: app.clientSecret },
      });
    }
  }
}

function seedProducts(
  { segment, sendgrid }: ProductStores,
  users: UserStore,
  hashes: { segmentHash: string; segmentOwnerHash: string; sueSegmentHash: string; sendgridHash: string },
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

  // sue (an Acme-managed SSO user) has her own Segment user from before, not yet linked.
  const sue = segment.users.create({ email: 'sue@acme.test', name: 'Sue Tanaka', passwordHash: hashes.sueSegmentHash });
  segment.createWorkspace('Acme Marketing', { id: DEMO_IDS.acmeMarketing });
  segment.addMember(DEMO_IDS.acmeMarketing, sue.id, 'Owner');

  const frank = sendgrid.users.create({
    email: 'frank@example.net',
    name: 'Frank Moreno',
    passwordHash: hashes.sendgridHash,
  });
  sendgrid.createAccount("Frank's Mail", { id: DEMO_IDS.franksMail });
  sendgrid.addTeammate(DEMO_IDS.franksMail, frank.id, 'Admin');
}
