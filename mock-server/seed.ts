/**
 * The demo world, seeded when the database is new (or on `--reset`); the README lists it for testers. It is the
 * world file `world-file/demo-world.json` (the example of the format); the names below are facts from it that
 * tests and the start-up banner use. All Twilio demo passwords are `demo-pass-2026`; the TOTP secret is a well-known demo value. The product side:
 * ada's Segment user is linked to her Twilio login, ben and sue have unlinked Segment users with their own
 * passwords, and frank is a SendGrid-only user. The organization Acme (verified domain `acme.test`) manages sam,
 * sue and ida, who have no Twilio password (they sign in through Acme's identity provider), and has one SCIM app
 * with fixed demo credentials.
 */
import { findEmailCollision } from './accounts/email-collision';
import { hashPassword } from './accounts/passwords';
import { newUserId, type OrganizationRole, type UserRole, type UserStore } from './accounts/users';
import { ACME_ORGANIZATION_ID } from './acme-idp/acme';
import type { OrganizationStores } from './organizations/stores';
import type { ProductStores } from './products/product-stores';
import type { SsoConnections } from './sso/connections';
import type { Db } from './storage/database';
import { checkWorldFile } from './world-file/check';
import demoWorldFile from './world-file/demo-world.json' with { type: 'json' };
import { type ImportedWorld, importWorld, seededFrom } from './world-file/import';
import type { WorldFile } from './world-file/schema';

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
  acme: ACME_ORGANIZATION_ID,
} as const;

/** The demo organization's SCIM app (demo credentials, listed in the README). */
export const ACME_SCIM_APP = { clientId: 'scim_acme_demo', clientSecret: 'acme-scim-demo-secret-2026' } as const;

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

/** The built-in demo world, as a world file (mock-server/world-file/demo-world.json). */
export const DEMO_WORLD: WorldFile = (() => {
  const checked = checkWorldFile(demoWorldFile);
  if (!checked.ok) throw new Error(`The built-in demo world is invalid:\n${checked.problems.join('\n')}`);
  return checked.world;
})();

/**
 * The Twilio users of the demo world (frank@example.net is a SendGrid-only user, not a Twilio user; tom@acme.test
 * exists only at Acme's identity provider until someone provisions him).
 */
export const DEMO_TWILIO_USERS: readonly DemoPersona[] = DEMO_WORLD.twilio.users.map((user) => ({
  email: user.email,
  name: user.name,
  eligible: user.eligible,
  ...(user.totpSecret ? { totpSecret: user.totpSecret } : {}),
  ...(user.role ? { role: user.role } : {}),
  ...(user.organization ? { organization: user.organization } : {}),
}));

/**
 * Seeds `world` (default: the demo world) unless the database was seeded already (with any world, even one without
 * Twilio users). Returns whether it seeded, the credentials of SCIM apps the file gave no secret (to print once), and
 * the organizations to connect to the bundled Acme IdP.
 */
export async function seedWorld(
  db: Db,
  stores: { users: UserStore; products: ProductStores; organizations: OrganizationStores; sso: SsoConnections },
  world: WorldFile = DEMO_WORLD,
): Promise<{ seeded: boolean } & ImportedWorld> {
  const { users, products, organizations, sso } = stores;
  const source = seededFrom(db);
  if (source) {
    // The demo world's later personas join the demo world only, never a world from a file.
    if (source === 'demo' && world === DEMO_WORLD) await addSupportOperator(db, users, organizations);
    return { seeded: false, generatedScimCredentials: [], bundledIdpConnections: [] };
  }
  const imported = await importWorld(
    db,
    { users, ...products, ...organizations, ssoConnections: sso },
    world,
    world === DEMO_WORLD ? 'demo' : 'file',
  );
  return { seeded: true, ...imported };
}

/**
 * A demo world seeded before support operators existed gets one, so the README's persona works without `--reset`.
 * Only while no user has the role: sol keeps it when she changes her email, and her old address is free again. Never
 * over an email someone else holds (another Twilio user, an unlinked product user) or an organization's domain.
 */
async function addSupportOperator(db: Db, users: UserStore, organizations: OrganizationStores): Promise<void> {
  const id = newUserId();
  const { email } = SUPPORT_OPERATOR;
  const blocked = () =>
    hasSupportOperator(db) || findEmailCollision(db, email, id) || organizations.organizations.forEmail(email);
  // Checked before hashing too, so a world that will never get the persona does not hash at every start.
  if (blocked()) return;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  db.transaction(() => {
    if (!blocked()) users.create({ ...SUPPORT_OPERATOR, passwordHash, id });
  })();
}

function hasSupportOperator(db: Db): boolean {
  return db.prepare(`SELECT 1 FROM users WHERE role = 'support_operator'`).get() !== undefined;
}
