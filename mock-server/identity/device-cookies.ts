/**
 * Device cookies against lockout by strangers (OWASP's "Slow Down Online Guessing Attacks with Device Cookies"): a
 * successful Twilio login leaves a signed cookie naming the account and a random device id. A login attempt that
 * carries a valid one for the account it names is throttled only by that device's own counter, never by the
 * account-wide lockout, so five wrong passwords from a stranger do not lock the real user out; attempts without
 * one (or with a forged one, or one for another account) are the untrusted ones the account-wide counter limits.
 * The account is named by its user id, not its email: an email change keeps the device trusted, and whoever takes
 * the old address later is not vouched for by it.
 * The HMAC key is a world secret kept in the database.
 */
import { createHmac, createSecretKey, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { ACCOUNT_POLICY, accountKey, type ThrottleKey } from '../accounts/login-throttle';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

export const DEVICE_COOKIE = 'twilio_device';
/** A device stays trusted for a month after its last successful login. */
const DEVICE_COOKIE_MAX_AGE_S = 30 * 24 * 60 * 60;

/** The key behind device cookies, created once per world. */
export function loadDeviceCookieKey(db: Db): Promise<string> {
  return loadOrCreateSecret(db, 'device-cookie-key', () => randomBytes(32).toString('base64url'));
}

/** A trusted device's own counter: the same limits as the account's, for this device only. */
export const deviceKey = (deviceId: string): ThrottleKey => ({ key: `device:${deviceId}`, policy: ACCOUNT_POLICY });

export class DeviceCookies {
  /** Imported once: every login attempt checks a cookie and a successful one signs a new one. */
  private readonly key: KeyObject;

  constructor(key: string) {
    this.key = createSecretKey(Buffer.from(key));
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
    const deviceId = this.trustedDevice(getCookie(c, DEVICE_COOKIE), userId);
    return deviceId ? deviceKey(deviceId) : accountKey(email);
  }

  /** After a successful login: (re)issue the device cookie for `userId`, keeping this device's id if it has one. */
  remember(c: Context, userId: string): void {
    const deviceId = this.trustedDevice(getCookie(c, DEVICE_COOKIE), userId) ?? randomBytes(16).toString('base64url');
    setCookie(c, DEVICE_COOKIE, this.value(userId, deviceId), {
      httpOnly: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: DEVICE_COOKIE_MAX_AGE_S,
    });
  }
}
