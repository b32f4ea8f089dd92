/**
 * Client secrets are kept only as argon2id hashes (RFC 6819 §5.1.4.1.3), like passwords: the secret is shown
 * once, when it is made, and the database never holds it. Hashing is synchronous (a SCIM app is created inside
 * the transaction that writes it, and a migration rewrites old rows); verifying is asynchronous, off the event
 * loop, on every client authentication.
 */
import { hashSync, verify } from '@node-rs/argon2';

/** OWASP's minimum for argon2id (m = 19 MiB, t = 2, p = 1): client secrets' and passwords' hashes alike. */
export const ARGON2ID_OWASP_MINIMUM = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Longer secrets are refused before hashing. */
export const MAX_CLIENT_SECRET_LENGTH = 1024;

export function hashClientSecret(secret: string): string {
  if (!secret || secret.length > MAX_CLIENT_SECRET_LENGTH) throw new RangeError('client secret of the wrong length');
  return hashSync(secret, ARGON2ID_OWASP_MINIMUM);
}

/** Whether a stored `client_secret` is one of these hashes (and not, as before migration 14, the secret itself). */
export function isHashedClientSecret(stored: string | undefined): stored is string {
  return typeof stored === 'string' && stored.startsWith('$argon2id$');
}

export async function verifyClientSecret(stored: string, presented: string): Promise<boolean> {
  if (!presented || presented.length > MAX_CLIENT_SECRET_LENGTH) return false;
  try {
    return await verify(stored, presented);
  } catch {
    return false;
  }
}
