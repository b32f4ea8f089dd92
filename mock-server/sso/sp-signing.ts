/**
 * Twilio's SP signing key and certificate: one per world, created once and kept with the world's other secrets.
 * It signs the AuthnRequests of every organization's SP, and every SP metadata publishes its certificate.
 */
import { createSigningIdentity, type SigningIdentity } from '../saml/certificates';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

export async function loadSpSigningIdentity(db: Db, loginHostname: string): Promise<SigningIdentity> {
  return JSON.parse(
    await loadOrCreateSecret(db, 'twilio-sp-signing-identity', async () =>
      JSON.stringify(await createSigningIdentity(loginHostname)),
    ),
  ) as SigningIdentity;
}
