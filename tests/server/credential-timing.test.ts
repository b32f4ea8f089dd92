/**
 * Credential checks cost the same for unknown and known users (issue 9, security 2), on every host: the medians of
 * interleaved attempts with an unknown email and with a known email and a wrong password are compared as a ratio.
 * Skipping argon2id for one of them makes it about 20× faster, far outside the band (⅓ to 3); both paths sharing
 * whatever load the machine has keeps the ratio near 1, and the band's width absorbs a busy machine's bursts.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { openLogin, submitPassword } from './login-page';
import { type ProductSite, productPasswordLogin } from './products';
import { worldForFile } from './world';

const world = await worldForFile();
const PAIRS = 13;
/** Moves the clock past every throttle window, so no attempt is refused before hashing. */
const PAST_THROTTLES_MS = 24 * 60 * 60_000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Median time of `attempt(unknown)` over median time of `attempt(known)`, interleaved. */
async function unknownToKnownRatio(attempt: (known: boolean) => Promise<Response>, expectedStatus: number) {
  const times: Record<'known' | 'unknown', number[]> = { known: [], unknown: [] };
  await attempt(true); // warm-up: the dummy hash, prepared statements
  for (let i = 0; i < PAIRS; i += 1) {
    for (const known of i % 2 ? [true, false] : [false, true]) {
      world.advance(PAST_THROTTLES_MS);
      const started = performance.now();
      const response = await attempt(known);
      times[known ? 'known' : 'unknown'].push(performance.now() - started);
      expect(response.status).toBe(expectedStatus);
      await response.body?.cancel();
    }
  }
  return median(times.unknown) / median(times.known);
}

describe('credential checks take as long for unknown users as for known ones', () => {
  it('on the Twilio login', async () => {
    const logins = await Promise.all(Array.from({ length: 2 * PAIRS + 1 }, () => openLogin(world)));
    const ratio = await unknownToKnownRatio(
      (known) =>
        submitPassword(logins.pop()!, {
          email: known ? 'ada@example.com' : `nobody-${Math.random()}@example.com`,
          password: 'wrong-password-2026',
        }),
      303,
    );
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  it.each(['segment', 'sendgrid'] as ProductSite[])("on %s's own login", async (product) => {
    const email = `timing-${product}@example.org`;
    world.products[product].users.create({ email, name: 'Timing', passwordHash: await hashPassword('right-2026') });
    const ratio = await unknownToKnownRatio(
      async (known) =>
        (
          await productPasswordLogin(world, product, {
            email: known ? email : `nobody-${Math.random()}@example.org`,
            password: 'wrong-password-2026',
          })
        ).response,
      401,
    );
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });
});
