/**
 * The signer of oidc-provider's cookies (its `cookies.keys` takes a Keygrip instance as well as a list of keys):
 * the same signatures as Keygrip's defaults (HMAC-SHA1, base64url), so cookies signed before stay valid, with the
 * keys imported once and a constant-time comparison of the two signatures. Keygrip imports the key again for every
 * signature and compares through tsscmp (a random key and two more HMACs per check); with a signed cookie checked
 * on every step of a sign-in, that was a visible share of a login's CPU.
 */
import { createHmac, createSecretKey, type KeyObject, timingSafeEqual } from 'node:crypto';

export class CookieSigner {
  private readonly keys: readonly KeyObject[];

  /** `keys[0]` signs; the others (older keys) still verify. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('cookie signing needs at least one key');
    this.keys = keys.map((key) => createSecretKey(Buffer.from(key)));
  }

  sign(data: string): string {
    return hmac(this.keys[0]!, data);
  }

  verify(data: string, digest: string): boolean {
    return this.index(data, digest) > -1;
  }

  /** Which key signed `data` (0 is the current one; the cookies library re-signs with it otherwise), or -1. */
  index(data: string, digest: string): number {
    const given = Buffer.from(String(digest));
    for (const [i, key] of this.keys.entries()) {
      const expected = Buffer.from(hmac(key, data));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return i;
    }
    return -1;
  }
}

const hmac = (key: KeyObject, data: string) => createHmac('sha1', key).update(data).digest('base64url');
