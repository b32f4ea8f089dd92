/**
 * Turning TOTP 2FA on and off for a Twilio user. Enrolment generates a secret (kept pending for 15 minutes),
 * shows it as an otpauth:// URI, and turns 2FA on only after one valid code that was not used before (the user's
 * last accepted step, shared with the login, applies). Turning on issues ten recovery codes, shown once. Turning
 * off needs a current code or a recovery code.
 */
import { Secret, TOTP } from 'otpauth';
import { SettingsError } from '../errors';
import type { Db } from '../storage/database';
import { looksLikeRecoveryCode, type RecoveryCodes } from './recovery-codes';
import { matchTotpStep, TOTP_PERIOD_SECONDS } from './totp';
import type { UserStore } from './users';

export const ENROLMENT_TTL_MS = 15 * 60_000;
/** The recovery codes stay readable this long after 2FA is turned on, for the one page that shows them. */
export const RECOVERY_REVEAL_TTL_MS = 10 * 60_000;

export interface Enrolment {
  secret: string;
  /** otpauth://totp/Twilio:<email>?secret=…&issuer=Twilio&algorithm=SHA1&digits=6&period=30 */
  uri: string;
}

export function otpauthUri(secret: string, email: string): string {
  return new TOTP({
    issuer: 'Twilio',
    label: email,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  }).toString();
}

export class TwoFactor {
  constructor(
    private readonly db: Db,
    private readonly users: UserStore,
    private readonly recoveryCodes: RecoveryCodes,
    private readonly clock: () => number,
  ) {}

  /** Starts (or restarts) enrolment with a new secret. */
  start(userId: string, email: string): Enrolment {
    const secret = new Secret({ size: 20 }).base32;
    this.db
      .prepare(
        `INSERT INTO totp_enrolments (user_id, secret, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, expires_at = excluded.expires_at`,
      )
      .run(userId, secret, this.clock() + ENROLMENT_TTL_MS);
    return { secret, uri: otpauthUri(secret, email) };
  }

  /** The enrolment in progress, if it has not expired. */
  pending(userId: string, email: string): Enrolment | undefined {
    const row = this.db.prepare('SELECT secret, expires_at FROM totp_enrolments WHERE user_id = ?').get(userId) as
      | { secret: string; expires_at: number }
      | undefined;
    if (!row || row.expires_at <= this.clock()) return undefined;
    return { secret: row.secret, uri: otpauthUri(row.secret, email) };
  }

  /**
   * Turns 2FA on with the pending secret if `code` is valid for it and its step was not used before. Returns the
   * new recovery codes (also kept briefly for `takeRevealedCodes`).
   */
  enable(userId: string, code: string): string[] {
    const user = this.users.findById(userId);
    if (user?.totpSecret) throw new SettingsError('two_factor_already_on', 'Two-factor authentication is already on.');
    const enrolment = this.pending(userId, user?.email ?? '');
    if (!user || !enrolment) {
      throw new SettingsError('enrolment_expired', 'The set-up has expired. Start setting up two-factor again.');
    }
    const step = matchTotpStep(enrolment.secret, code.replace(/\s/g, ''), this.clock());
    return this.db.transaction(() => {
      if (step === undefined || !this.users.acceptTotpStep(userId, step)) {
        throw new SettingsError(
          'invalid_code',
          'That code is not valid (or was already used). Enter the next code your authenticator app shows.',
        );
      }
      this.db.prepare('UPDATE users SET totp_secret = ? WHERE id = ?').run(enrolment.secret, userId);
      this.db.prepare('DELETE FROM totp_enrolments WHERE user_id = ?').run(userId);
      const codes = this.recoveryCodes.regenerate(userId);
      this.reveal(userId, codes);
      return codes;
    })();
  }

  /** New recovery codes in place of the old ones (all of them stop working), kept briefly for the page. */
  regenerateRecoveryCodes(userId: string): string[] {
    const user = this.users.findById(userId);
    if (!user?.totpSecret) throw new SettingsError('two_factor_off', 'Two-factor authentication is off.');
    return this.db.transaction(() => {
      const codes = this.recoveryCodes.regenerate(userId);
      this.reveal(userId, codes);
      return codes;
    })();
  }

  private reveal(userId: string, codes: readonly string[]): void {
    this.db
      .prepare(
        `INSERT INTO recovery_code_reveals (user_id, codes, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET codes = excluded.codes, expires_at = excluded.expires_at`,
      )
      .run(userId, JSON.stringify(codes), this.clock() + RECOVERY_REVEAL_TTL_MS);
  }

  /** The recovery codes issued when 2FA was just turned on (or renewed), once: reading them deletes them. */
  takeRevealedCodes(userId: string): string[] | undefined {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT codes, expires_at FROM recovery_code_reveals WHERE user_id = ?')
        .get(userId) as { codes: string; expires_at: number } | undefined;
      this.db.prepare('DELETE FROM recovery_code_reveals WHERE user_id = ?').run(userId);
      return row && row.expires_at > this.clock() ? (JSON.parse(row.codes) as string[]) : undefined;
    })();
  }

  /**
   * True when `code` is a current TOTP code (its step not used before) or an unused recovery code of the user;
   * either is used up by this call.
   */
  verifySecondFactor(userId: string, code: string): boolean {
    const user = this.users.findById(userId);
    if (!user?.totpSecret) return false;
    const trimmed = code.trim();
    if (looksLikeRecoveryCode(trimmed)) return this.recoveryCodes.consume(userId, trimmed);
    const step = matchTotpStep(user.totpSecret, trimmed.replace(/\s/g, ''), this.clock());
    return step !== undefined && this.users.acceptTotpStep(userId, step);
  }

  /**
   * Turns 2FA off after a current code or a recovery code; the recovery codes go with it. `throttled` runs the
   * code's check under the caller's throttle (a wrong code is a failed attempt, 429 once throttled).
   */
  async disable(
    userId: string,
    code: string,
    throttled: (verify: () => boolean) => Promise<boolean> | boolean,
  ): Promise<void> {
    const user = this.users.findById(userId);
    if (!user?.totpSecret) throw new SettingsError('two_factor_off', 'Two-factor authentication is already off.');
    if (!(await throttled(() => this.verifySecondFactor(userId, code)))) {
      // A right code whose step was already used (e.g. for the sign-in a moment ago) says so.
      const reused = matchTotpStep(user.totpSecret, code.replace(/\s/g, ''), this.clock()) !== undefined;
      throw new SettingsError(
        'invalid_code',
        reused
          ? 'That code was just used. Wait for the next code in your authenticator app and enter it.'
          : 'That code is not valid. Enter the current code from your authenticator app or an unused recovery code.',
      );
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE users SET totp_secret = NULL WHERE id = ?').run(userId);
      this.recoveryCodes.clear(userId);
    })();
  }
}
