/**
 * TOTP second factor (RFC 6238): SHA-1, 6 digits, 30 s step, one step of drift either side. Each step is accepted
 * at most once per user: the caller stores the accepted step and refuses any step not after it.
 */
import { Secret, TOTP } from 'otpauth';

export const TOTP_PERIOD_SECONDS = 30;
const TOTP_WINDOW = 1;

function totpFor(secretBase32: string): TOTP {
  return new TOTP({
    secret: Secret.fromBase32(secretBase32),
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
  });
}

/** The step a code matches at `nowMs` (±1 step), or undefined when it matches none. */
export function matchTotpStep(secretBase32: string, code: string, nowMs: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  if (delta === null) return undefined;
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** The current code, for tests and the demo ("what would an authenticator app show now?"). */
export function currentTotpCode(secretBase32: string, nowMs: number): string {
  return totpFor(secretBase32).generate({ timestamp: nowMs });
}
