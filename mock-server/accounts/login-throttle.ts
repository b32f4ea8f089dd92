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

  /** Checks in flight per key, and the attempts waiting for one of them to end (see `checkCredential`). */
  readonly #inFlight = new Map<string, { count: number; waiting: Array<() => void> }>();

  /**
   * Whether an attempt on `key` must wait: were every check in flight wrong, the key would reach its free failures
   * (or, past them, the one attempt its delay allows is already being checked).
   */
  private crowded({ key, policy }: ThrottleKey, now: number): boolean {
    const flying = this.#inFlight.get(key)?.count ?? 0;
    return flying > 0 && effectiveFailures(this.read(key), policy, now) + flying >= policy.freeFailures;
  }

  private enter(keys: readonly ThrottleKey[]): void {
    for (const { key } of keys) {
      const entry = this.#inFlight.get(key) ?? { count: 0, waiting: [] };
      entry.count += 1;
      this.#inFlight.set(key, entry);
    }
  }

  private leave(keys: readonly ThrottleKey[]): void {
    for (const { key } of keys) {
      const entry = this.#inFlight.get(key)!;
      entry.count -= 1;
      const waiting = entry.waiting.splice(0);
      if (entry.count === 0) this.#inFlight.delete(key);
      for (const wake of waiting) wake();
    }
  }

  /**
   * The one throttled check of a credential (password, TOTP or recovery code): refused with 429 before `verify`
   * runs (so before any hashing) while any of `keys` is throttled. Checks in flight count as if they were wrong:
   * an attempt that could go past a key's free failures waits until one ends and looks again, so attempts sent at
   * once get no more checks than one after another would (right ones wait a moment and pass). A wrong credential
   * counts as a failure for every key and for `alsoCounts` (keys it counts on but is never refused by); a right one
   * clears the first key unless `clear` is false. Whatever `verify` throws passes through and counts as neither.
   */
  async checkCredential(
    keys: readonly [ThrottleKey, ...ThrottleKey[]],
    verify: () => Promise<boolean> | boolean,
    { alsoCounts = [], clear = true }: { alsoCounts?: readonly ThrottleKey[]; clear?: boolean } = {},
  ): Promise<boolean> {
    for (;;) {
      this.refuseIfThrottled(keys);
      const now = this.clock();
      const busy = keys.find((key) => this.crowded(key, now));
      if (!busy) break;
      await new Promise<void>((wake) => this.#inFlight.get(busy.key)!.waiting.push(wake));
    }
    this.enter(keys);
    let right: boolean;
    try {
      right = await verify();
    } catch (error) {
      this.leave(keys);
      throw error;
    }
    // Recorded before anyone waiting looks again.
    if (!right) this.recordFailure([...keys, ...alsoCounts]);
    else if (clear) this.recordSuccess(keys[0]);
    this.leave(keys);
    return right;
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
