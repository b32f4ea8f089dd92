/** What a locked-out login answers, for the tests of the Twilio login's and the products' lockouts. */
import { expect } from 'vitest';

/** A lockout's answer: 429 "Too many attempts" with a Retry-After of 1 to 30 seconds. */
export async function expectLocked(response: Response) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(30);
  expect(await response.text()).toContain('Too many attempts');
}
