/**
 * Progressive delay for failed logins, per account (normalised email, known or not) and per client IP.
 * A few failures are free; after that each further failure doubles the wait (capped), and failures decay with
 * time, so there is never a permanent lockout. Throttled attempts are refused before any password hashing.
 */
import type { SetupProductId } from '../../contract/catalogue';
import { tooManyAttempts } from '../errors';
import type { Db } from '../storage/database';

export interface ThrottlePolicy {
  /** Failures allowed before any delay. */
  freeFailures: number;
  /** Wait after the first failure past the free ones; doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** One failure is forgotten per this much time without failures. */
  decayMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  decayMs: 15 * 60_000,
};
export const IP_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  decayMs: 15 * 60_000,
};

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

export const accountKey = (normalisedEmail: string): ThrottleKey => ({
  key: `account:${normalisedEmail}`,
  policy: ACCOUNT_POLICY,
});
/** The client address's key; `clientAddress` (security.ts) gives the address every throttle uses. */
export const ipKey = (ip: string): ThrottleKey => ({ key: `ip:${ip}`, policy: IP_POLICY });
/**
 * Re-authentication inside a signed-in session (the current password, or a TOTP code to turn 2FA off) is refused
 * only by the user's own counter for it, never by the login's account-wide lockout that strangers can fill. The
 * second factor has a counter apart from the password's, which a right password does not clear.
 */
export const reauthKey = (realm: 'twilio' | 'twilio-2fa' | SetupProductId, userId: string): ThrottleKey => ({
  key: `reauth:${realm}:${userId}`,
  policy: ACCOUNT_POLICY,
});

interface Row {
  failures: number;
  last_failure_at: number;
}

interface Reservation extends ThrottleKey {
  before: Row | undefined;
  after: Row;
}

function effectiveFailures(row: Row | undefined, policy: ThrottlePolicy, now: number): number {
  if (!row) return 0;
  const decayed = Math.floor(Math.max(0, now - row.last_failure_at) / policy.decayMs);
  return Math.max(0, row.failures - decayed);
}

function lockedUntil(row: Row | undefined, policy: ThrottlePolicy, now: number): number {
  const failures = effectiveFailures(row, policy, now);
  if (!row || failures < policy.freeFailures) return 0;
  const delay = Math.min(policy.baseDelayMs * 2 ** (failures - policy.freeFailures), policy.maxDelayMs);
  return row.last_failure_at + delay;
}

export class LoginThrottle {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  private read(key: string): Row | undefined {
    return this.db.prepare('SELECT failures, last_failure_at FROM login_throttle WHERE key = ?').get(key) as
      | Row
      | undefined;
  }

  /** Seconds to wait before another attempt is allowed for any of `keys`, or 0 when allowed now. */
  retryAfterSeconds(keys: readonly ThrottleKey[]): number {
    const now = this.clock();
    let until = 0;
    for (const { key, policy } of keys) until = Math.max(until, lockedUntil(this.read(key), policy, now));
    return until > now ? Math.ceil((until - now) / 1000) : 0;
  }

  /** Refuses with 429 + Retry-After (`too_many_attempts`) while any of `keys` is throttled. */
  refuseIfThrottled(keys: readonly ThrottleKey[]): void {
    const wait = this.retryAfterSeconds(keys);
    if (wait > 0) throw tooManyAttempts(wait);
  }

  /**
   * The one throttled check of a credential (password, TOTP or recovery code): refused with 429 before `verify`
   * runs (so before any hashing) while any of `keys` is throttled. The attempt is counted as a failure on every key
   * (and on `alsoCounts`, keys it counts on but is never refused by) before `verify` is awaited, so parallel
   * attempts cannot all pass the check; a right credential refunds it and, unless `clear` is false, clears the
   * first key. Whatever `verify` throws passes through and is refunded (counts as neither).
   */
  async checkCredential(
    keys: readonly [ThrottleKey, ...ThrottleKey[]],
    verify: () => Promise<boolean> | boolean,
    { alsoCounts = [], clear = true }: { alsoCounts?: readonly ThrottleKey[]; clear?: boolean } = {},
  ) {
    this.refuseIfThrottled(keys);
    // Synchronous with the check above: no other request runs in between.
    const reserved = this.reserve([...keys, ...alsoCounts]);
    let right: boolean;
    try {
      right = await verify();
    } catch (error) {
      this.refund(reserved);
      throw error;
    }
    if (right) {
      this.refund(clear ? reserved.slice(1) : reserved);
      if (clear) this.recordSuccess(keys[0]);
    }
    return right;
  }

  /** Counts one failure on each key now; returns what each row was, for `refund`. */
  private reserve(keys: readonly ThrottleKey[]): Reservation[] {
    const now = this.clock();
    return this.db.transaction(() =>
      keys.map(({ key, policy }) => {
        const before = this.read(key);
        const after = { failures: effectiveFailures(before, policy, now) + 1, last_failure_at: now };
        this.write(key, after);
        return { key, policy, before, after };
      }),
    )();
  }

  /**
   * Takes back reserved failures: a row nobody else changed since gets back what it was (its decay clock too);
   * one that other attempts changed meanwhile just loses this attempt's failure.
   */
  private refund(reserved: readonly Reservation[]): void {
    const now = this.clock();
    this.db.transaction(() => {
      for (const { key, policy, before, after } of reserved) {
        const row = this.read(key);
        if (!row) continue;
        const untouched = row.failures === after.failures && row.last_failure_at === after.last_failure_at;
        const restored = untouched
          ? before
          : { failures: effectiveFailures(row, policy, now) - 1, last_failure_at: row.last_failure_at };
        if (!restored || restored.failures <= 0) this.recordSuccess({ key, policy });
        else this.write(key, restored);
      }
    })();
  }

  private write(key: string, row: Row): void {
    this.db
      .prepare(
        `INSERT INTO login_throttle (key, failures, last_failure_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at`,
      )
      .run(key, row.failures, row.last_failure_at);
  }

  recordFailure(keys: readonly ThrottleKey[]): void {
    const now = this.clock();
    this.db.transaction(() => {
      for (const { key, policy } of keys) {
        this.write(key, { failures: effectiveFailures(this.read(key), policy, now) + 1, last_failure_at: now });
      }
    })();
  }

  /** A successful login clears the account's failures (the IP's decay on their own). */
  recordSuccess(key: ThrottleKey): void {
    this.db.prepare('DELETE FROM login_throttle WHERE key = ?').run(key.key);
  }
}

/** A product's own users (Segment, SendGrid) are throttled apart from Twilio logins with the same email. */
export const productAccountKey = (product: SetupProductId, normalisedEmail: string): ThrottleKey => ({
  key: `${product}-account:${normalisedEmail}`,
  policy: ACCOUNT_POLICY,
});
