/**
 * Client authentication against hashed secrets. oidc-provider compares a presented `client_secret` with the
 * client's stored one through `Client.prototype.compareClientSecret` (awaited by its client authentication), the
 * extension point its maintainer points to for one-way hashed secrets. A client whose stored secret is an argon2id
 * hash (a SCIM app, see ../scim/scim-apps.ts) is verified against the hash; every other client keeps the
 * library's own constant-time comparison.
 *
 * A hashed secret cannot key symmetric algorithms, so such clients use `client_secret_basic` only, never
 * `client_secret_jwt` or HS256-signed responses (SCIM apps get no ID tokens: client credentials only).
 */
import type Provider from 'oidc-provider';
import { isHashedClientSecret, verifyClientSecret } from '../storage/client-secrets';

export function acceptHashedClientSecrets(provider: Provider): void {
  const prototype = provider.Client.prototype;
  const libraryCompare = prototype.compareClientSecret;
  prototype.compareClientSecret = function compareClientSecret(this: typeof prototype, presented: string) {
    const stored = this.clientSecret;
    if (isHashedClientSecret(stored)) return verifyClientSecret(stored, presented);
    return libraryCompare.call(this, presented);
  };
}
