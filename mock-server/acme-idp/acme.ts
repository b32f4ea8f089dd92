/**
 * Builds the bundled Acme IdP: its signing key and certificate (kept in the database, created once), its
 * directory, and the one service provider Acme registered — Twilio's SP for the Acme organization. On a new
 * world it also connects that IdP at Twilio to the organizations whose world file names it (`"acme-idp"`), as
 * Acme's admin would; the demo world connects Acme with SSO enforced.
 */
import type { LoginThrottle } from '../accounts/login-throttle';
import { loadSigningIdentity, type SigningIdentity } from '../saml/certificates';
import type { SsoConnections } from '../sso/connections';
import type { Db } from '../storage/database';
import { AcmeDirectory } from './directory';
import { AcmeIdentityProvider, type TrustedServiceProvider } from './identity-provider';
import { acmeSite } from './site';

/** The organization at Twilio whose SP the Acme IdP trusts (Acme's id in the demo world). */
export const ACME_ORGANIZATION_ID = 'OR0000000000000000000000000000ac3e';

export interface AcmeIdpOptions {
  db: Db;
  /** Its signing identity (`loadAcmeSigningIdentity`). */
  identity: SigningIdentity;
  clock: () => number;
  origin: string;
  throttle: LoginThrottle;
  /** Twilio's SP for the Acme organization, as Acme's admin registered it. */
  twilio: Omit<TrustedServiceProvider, 'name'>;
  /** Organizations a world just seeded connects to this IdP (its settings are known only once it has its key). */
  connect: {
    connections: SsoConnections;
    organizations: readonly { organizationId: string; enforced: boolean; allowIdpInitiated: boolean }[];
  };
}

/** The IdP's signing key and certificate, created with the world and then kept. */
export function loadAcmeSigningIdentity(db: Db, origin: string): Promise<SigningIdentity> {
  return loadSigningIdentity(db, 'acme-idp-signing-identity', new URL(origin).hostname);
}

export async function createAcmeIdp({ db, identity, clock, origin, throttle, twilio, connect }: AcmeIdpOptions) {
  const idp = new AcmeIdentityProvider(origin, identity, [{ name: 'Twilio', ...twilio }], clock);
  const directory = new AcmeDirectory(db, clock);
  await directory.seed();
  for (const { organizationId, enforced, allowIdpInitiated } of connect.organizations) {
    connect.connections.connect(organizationId, {
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificates: [identity.certificatePem],
    });
    connect.connections.configure(organizationId, { enforced, allowIdpInitiated });
  }
  return { idp, directory, site: acmeSite({ idp, directory, throttle }) };
}
