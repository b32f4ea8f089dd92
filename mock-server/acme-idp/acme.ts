/**
 * Builds the bundled Acme IdP: its signing key and certificate (kept in the database, created once), its
 * directory, and the one service provider Acme registered — Twilio's SP for the Acme organization. On a new
 * world it also connects that IdP to the Acme organization at Twilio, with SSO enforced, as Acme's admin would
 * (after the world file is imported; a world without that organization gets no connection).
 */
import type { LoginThrottle } from '../accounts/login-throttle';
import { createSigningIdentity, type SigningIdentity } from '../saml/certificates';
import type { SsoConnections } from '../sso/connections';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';
import { AcmeDirectory } from './directory';
import { AcmeIdentityProvider, type TrustedServiceProvider } from './identity-provider';
import { acmeSite } from './site';

export interface AcmeIdpOptions {
  db: Db;
  clock: () => number;
  origin: string;
  throttle: LoginThrottle;
  /** Twilio's SP for the Acme organization, as Acme's admin registered it. */
  twilio: Omit<TrustedServiceProvider, 'name'>;
  /** Connect this IdP to the organization at Twilio when the world is new (and has that organization). */
  connectTo: { connections: SsoConnections; organizationId: string; exists: (organizationId: string) => boolean };
}

export async function createAcmeIdp({ db, clock, origin, throttle, twilio, connectTo }: AcmeIdpOptions) {
  const identity = JSON.parse(
    await loadOrCreateSecret(db, 'acme-idp-signing-identity', () =>
      JSON.stringify(createSigningIdentity(new URL(origin).hostname)),
    ),
  ) as SigningIdentity;
  const idp = new AcmeIdentityProvider(origin, identity, [{ name: 'Twilio', ...twilio }], clock);
  const directory = new AcmeDirectory(db, clock);
  const { connections, organizationId, exists } = connectTo;
  if ((await directory.seed()) && exists(organizationId)) {
    connections.connect(organizationId, {
      entityId: idp.entityId,
      ssoUrl: idp.ssoUrl,
      certificates: [identity.certificatePem],
    });
    connections.configure(organizationId, { enforced: true, allowIdpInitiated: false });
  }
  return { idp, directory, site: acmeSite({ idp, directory, throttle }) };
}
