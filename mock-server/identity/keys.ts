/**
 * The provider's keys, generated on first start and kept in the database so ID tokens stay verifiable and
 * cookies stay valid across restarts: an RS256 and an ES256 signing key (RS256 is the default for clients; the
 * extension gets ES256), and the keys that sign oidc-provider's cookies.
 */
import { randomBytes } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

async function signingKey(alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

/** The private JWKS the provider signs with (persisted; not oidc-provider's development keys). */
export async function loadSigningKeys(db: Db): Promise<{ keys: JWK[] }> {
  const stored = await loadOrCreateSecret(db, 'signing-keys', async () =>
    JSON.stringify({ keys: await Promise.all([signingKey('RS256'), signingKey('ES256')]) }),
  );
  return JSON.parse(stored) as { keys: JWK[] };
}

/** Keys for oidc-provider's signed cookies (newest first, as Keygrip expects). */
export async function loadCookieKeys(db: Db): Promise<string[]> {
  const stored = await loadOrCreateSecret(db, 'cookie-keys', () =>
    JSON.stringify([randomBytes(32).toString('base64url')]),
  );
  return JSON.parse(stored) as string[];
}

/** A confidential client's secret, created once per world. */
export function loadClientSecret(db: Db, clientId: string): Promise<string> {
  return loadOrCreateSecret(db, `client-secret:${clientId}`, () => randomBytes(32).toString('base64url'));
}
