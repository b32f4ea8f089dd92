/**
 * Password hashing: argon2id at the OWASP minimum (m = 19 MiB, t = 2, p = 1), async so the event loop keeps
 * serving while a hash runs (≈ 19 ms here). Passwords are length-capped before any hashing.
 */
import { hash, verify } from '@node-rs/argon2';
import { MIN_PASSWORD_LENGTH } from '../../contract/passwords';
import { ARGON2ID_OWASP_MINIMUM } from '../storage/client-secrets';

/** Longer passwords are refused before hashing (a 1 MB "password" must cost nothing). */
export const MAX_PASSWORD_LENGTH = 1024;

/** Why `password` cannot be a new password (too short, or longer than is ever hashed), or undefined. */
export function newPasswordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH)
    return `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH)
    return `Choose a new password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

export async function hashPassword(password: string): Promise<string> {
  if (password.length > MAX_PASSWORD_LENGTH) throw new RangeError('password too long');
  return hash(password.normalize('NFC'), ARGON2ID_OWASP_MINIMUM);
}

/**
 * Stored instead of a hash for users who sign in only through their organization's identity provider (and for
 * users created by SCIM): no password matches it, and verifying against it costs as much as a real hash.
 */
export const UNUSABLE_PASSWORD_HASH = '!sso-only';

/** Whether the user has a password of their own (not an SSO-only user). */
export function hasUsablePassword(passwordHash: string): boolean {
  return passwordHash !== UNUSABLE_PASSWORD_HASH;
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies `password` against `passwordHash`. Without a hash (unknown email) it verifies against a dummy hash of
 * the same cost and returns false, so an unknown email takes as long as a wrong password; so do an SSO-only
 * user's unusable hash and a retired one.
 */
export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (password.length > MAX_PASSWORD_LENGTH) return false;
  dummyHash ??= hashPassword('not a real password: unknown accounts verify against this');
  // A retired password (NULL in the database) costs a hash too, like an unknown email.
  const usable = typeof passwordHash === 'string' && passwordHash !== '' && hasUsablePassword(passwordHash);
  const target = usable ? passwordHash : await dummyHash;
  let ok = false;
  try {
    ok = await verify(target, password.normalize('NFC'));
  } catch {
    ok = false;
  }
  return ok && usable;
}
