/**
 * Device cookies against lockout by strangers (OWASP's "Slow Down Online Guessing Attacks with Device Cookies"): a
 * successful password login leaves a signed cookie naming the account and a random device id. A login attempt that
 * carries a valid one for the account it names is throttled only by that device's own counter, never by the
 * account-wide lockout, so five wrong passwords from a stranger do not lock the real user out; attempts without
 * one (or with a forged one, or one for another account) are the untrusted ones the account-wide counter limits.
 * The account is named by its user id, not its email: an email change keeps the device trusted, and whoever takes
 * the old address later is not vouched for by it.
 * The Twilio login and each product's own password login are realms apart: each has its cookie, its HMAC key (a
 * world secret kept in the database) and its devices' counters.
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { SetupProductId } from '../../contract/catalogue';
import { ACCOUNT_POLICY, accountKey, productAccountKey, type ThrottleKey } from '../accounts/login-throttle';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

/** Whose devices: the Twilio login's, or one product's own users'. */
export interface DeviceRealm {
  /** Names the realm's world secret (`<tag>-cookie-key`) and its devices' counters (`<tag>:<device id>`). */
  tag: string;
  cookie: string;
  /** The account-wide key that limits attempts without a trusted device. */
  accountKey: (normalisedEmail: string) => ThrottleKey;
}

/** The Twilio login's: its tag predates the products' realms, so its secret and counters keep their names. */
export const TWILIO_DEVICES: DeviceRealm = { tag: 'device', cookie: 'twilio_device', accountKey };
export const DEVICE_COOKIE = TWILIO_DEVICES.cookie;

/** A product's own password login (Segment, SendGrid): its users' account-wide key is the product's. */
export const productDevices = (product: SetupProductId): DeviceRealm => ({
  tag: `${product}-device`,
  cookie: `${product}_device`,
  accountKey: (email) => productAccountKey(product, email),
});

/** A device stays trusted for a month after its last successful login. */
const DEVICE_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

/** The device cookies of `realm`, signed with its key (created once per world). */
export async function loadDeviceCookies(db: Db, realm: DeviceRealm): Promise<DeviceCookies> {
  const key = await loadOrCreateSecret(db, `${realm.tag}-cookie-key`, () => randomBytes(32).toString('base64url'));
  return new DeviceCookies(key, realm);
}

export class DeviceCookies {
  /** Imported once: every login attempt checks a cookie and a successful one signs a new one. */
  private readonly key: KeyObject;

  constructor(
    key: string,
    private readonly realm: DeviceRealm,
  ) {
    this.key = createSecretKey(Buffer.from(key));
  }

  /** A trusted device's own counter: the same limits as the account's, for this device only. */
  private deviceKey(deviceId: string): ThrottleKey {
    return { key: `${this.realm.tag}:${deviceId}`, policy: ACCOUNT_POLICY };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`device:${payload}`).digest('base64url');
  }

  /** The cookie value for user `userId` on device `deviceId`: `<user id b64url>.<device id>.<hmac>`. */
  value(userId: string, deviceId: string): string {
    const payload = `${Buffer.from(userId).toString('base64url')}.${deviceId}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** The device id of a valid cookie naming user `userId`, else undefined (missing, forged, or another account's). */
  trustedDevice(cookie: string | undefined, userId: string | undefined): string | undefined {
    const parts = cookie?.split('.');
    if (userId === undefined || parts?.length !== 3) return undefined;
    const [encodedUserId, deviceId, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${encodedUserId}.${deviceId}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return Buffer.from(encodedUserId, 'base64url').toString() === userId ? deviceId : undefined;
  }

  /**
   * The throttle key that limits this attempt on `email`, whose account is user `userId` (undefined for an email
   * of no account): its device's own counter when the request carries a valid device cookie for that user, else
   * the account-wide one.
   */
  attemptKey(c: Context, email: string, userId: string | undefined): ThrottleKey {
    const deviceId = this.trustedDevice(getCookie(c, this.realm.cookie), userId);
    return deviceId ? this.deviceKey(deviceId) : this.realm.accountKey(email);
  }

  /** After a successful login: (re)issue the device cookie for `userId`, keeping this device's id if it has one. */
  remember(c: Context, userId: string): void {
    const deviceId =
      this.trustedDevice(getCookie(c, this.realm.cookie), userId) ?? randomBytes(16).toString('base64url');
    setCookie(c, this.realm.cookie, this.value(userId, deviceId), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: DEVICE_COOKIE_MAX_AGE_S,
    });
  }
}
