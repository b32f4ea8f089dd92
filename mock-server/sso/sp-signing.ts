/**
 * Twilio's SP signing key and certificate: one per world, created once and kept with the world's other secrets.
 * It signs the AuthnRequests of every organization's SP, and every SP metadata publishes its certificate.
 */
import { loadSigningIdentity, type SigningIdentity } from '../saml/certificates';
import type { Db } from '../storage/database';

export function loadSpSigningIdentity(db: Db, loginHostname: string): Promise<SigningIdentity> {
  return loadSigningIdentity(db, 'twilio-sp-signing-identity', loginHostname);
}
