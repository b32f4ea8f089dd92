/**
 * One-time recovery codes for users with 2FA: ten random codes of 50 bits each (`xxxxx-xxxxx`, base32 without
 * look-alikes), shown once when 2FA is turned on and stored only as SHA-256 hashes (the codes are high-entropy,
 * so a fast hash suffices). Each code works once: using it marks it used in the same statement that checks it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../storage/database';

export const RECOVERY_CODE_COUNT = 10;
/** Crockford-style alphabet: no I, L, O, U, so codes read back without ambiguity. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

function randomCode(): string {
  const bytes = randomBytes(10);
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte & 31];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

/** Lower-cases and drops spaces and dashes, so `ABCDE FGHIJ` and `abcde-fghij` are the same code. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

/** True when `input` has the shape of a recovery code (and not a 6-digit TOTP code). */
export function looksLikeRecoveryCode(input: string): boolean {
  return /^[0-9a-z]{10}$/.test(normaliseRecoveryCode(input)) && !/^\d{6}$/.test(input.trim());
}

function hashCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code)).digest('hex');
}

export class RecoveryCodes {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /** Replaces the user's codes with ten new ones and returns them (the only time they exist in clear). */
  regenerate(userId: string): string[] {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
    const insert = this.db.prepare('INSERT INTO recovery_codes (user_id, code_hash, used_at) VALUES (?, ?, NULL)');
    this.db.transaction(() => {
      this.clear(userId);
      for (const code of codes) insert.run(userId, hashCode(code));
    })();
    return codes;
  }

  /** Uses one of the user's codes: true at most once per code. */
  consume(userId: string, input: string): boolean {
    if (!looksLikeRecoveryCode(input)) return false;
    const result = this.db
      .prepare('UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL')
      .run(this.clock(), userId, hashCode(input));
    return result.changes === 1;
  }

  remaining(userId: string): number {
    return (
      this.db.prepare('SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL').get(userId) as {
        n: number;
      }
    ).n;
  }

  clear(userId: string): void {
    this.db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(userId);
  }
}
