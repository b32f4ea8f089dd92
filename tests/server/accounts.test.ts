import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../contract/email';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../../mock-server/accounts/passwords';
import { currentTotpCode, matchTotpStep } from '../../mock-server/accounts/totp';
import { UserStore } from '../../mock-server/accounts/users';
import { EVE_TOTP_SECRET } from '../../mock-server/seed';
import { openDatabase } from '../../mock-server/storage/database';

describe('Twilio user accounts', () => {
  it('hashes passwords with argon2id at the OWASP minimum (m=19 MiB, t=2, p=1)', async () => {
    const hash = await hashPassword('demo-pass-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'demo-pass-2026')).toBe(true);
    expect(await verifyPassword(hash, 'demo-pass-2027')).toBe(false);
  });

  it('says no for an unknown account after the same work as for a wrong password', async () => {
    const hash = await hashPassword('demo-pass-2026');
    const time = async (run: () => Promise<boolean>) => {
      const started = performance.now();
      expect(await run()).toBe(false);
      return performance.now() - started;
    };
    await verifyPassword(undefined, 'warm-up');
    const unknown = await time(() => verifyPassword(undefined, 'demo-pass-2026'));
    const wrong = await time(() => verifyPassword(hash, 'wrong'));
    expect(unknown).toBeGreaterThan(wrong / 4);
  });

  it('refuses passwords over the length cap without hashing them', async () => {
    await expect(hashPassword('x'.repeat(MAX_PASSWORD_LENGTH + 1))).rejects.toThrow(RangeError);
    // Against a verification of an ordinary password measured now: the over-long one must cost far less.
    const hash = await hashPassword('demo-pass-2026');
    const timed = async (password: string) => {
      const started = performance.now();
      expect(await verifyPassword(hash, password)).toBe(false);
      return performance.now() - started;
    };
    await timed('warm-up');
    const ordinary = await timed('wrong-2026');
    const overLong = await timed('x'.repeat(1024 * 1024));
    expect(overLong).toBeLessThan(ordinary / 4);
  });

  it('normalises emails: NFC, trimmed, lower-cased', () => {
    expect(normaliseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(normaliseEmail('Cle\u0301o@example.com')).toBe('cl\u00e9o@example.com');
  });

  it('accepts each TOTP step at most once per user, and never an earlier one', () => {
    const db = openDatabase(':memory:');
    const users = new UserStore(db);
    const eve = users.create({ email: 'eve@example.com', name: 'Eve', passwordHash: 'x', totpSecret: EVE_TOTP_SECRET });
    const now = Date.now();
    const step = matchTotpStep(EVE_TOTP_SECRET, currentTotpCode(EVE_TOTP_SECRET, now), now)!;
    expect(step).toBe(Math.floor(now / 30_000));
    expect(users.acceptTotpStep(eve.id, step)).toBe(true);
    expect(users.acceptTotpStep(eve.id, step)).toBe(false);
    expect(users.acceptTotpStep(eve.id, step - 1)).toBe(false);
    expect(users.acceptTotpStep(eve.id, step + 1)).toBe(true);
    db.close();
  });

  it('matches a code one step either side of now, and not two', () => {
    const now = Date.now();
    const previous = currentTotpCode(EVE_TOTP_SECRET, now - 30_000);
    const twoBack = currentTotpCode(EVE_TOTP_SECRET, now - 60_000);
    expect(matchTotpStep(EVE_TOTP_SECRET, previous, now)).toBe(Math.floor(now / 30_000) - 1);
    if (twoBack !== previous && twoBack !== currentTotpCode(EVE_TOTP_SECRET, now)) {
      expect(matchTotpStep(EVE_TOTP_SECRET, twoBack, now)).toBeUndefined();
    }
    expect(matchTotpStep(EVE_TOTP_SECRET, 'abcdef', now)).toBeUndefined();
  });
});
