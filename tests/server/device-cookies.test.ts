/** Lockout by strangers: a device cookie from a successful login keeps the real user's device out of the lockout. */
import { describe, expect, it } from 'vitest';
import { DEVICE_COOKIE } from '../../mock-server/identity/device-cookies';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { expectLocked } from './lockout';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { freshUser, PASSWORD } from './settings';
import { type TestWorld, worldForFile } from './world';

const world = await worldForFile();
const loginHost = new URL(world.urls.login).hostname;

/** A password attempt on a fresh login of `browser` (signed in or not: `prompt=login` asks again). */
async function attempt(on: TestWorld, browser: HeadlessBrowser, email: string, password: string) {
  const login = await openLogin(on, { prompt: 'login' }, browser);
  const response = await submitPassword(login, { email, password });
  return { login, response };
}

/** Signs `browser` in as `email`, leaving its device cookie; returns that cookie. */
async function signIn(browser: HeadlessBrowser, email: string): Promise<string> {
  const { login, response } = await attempt(world, browser, email, PASSWORD);
  expect(response.status).toBe(303);
  expect((await codeAfter(login, response)).code).toEqual(expect.any(String));
  return browser.jar.value(loginHost, DEVICE_COOKIE)!;
}

/** Five wrong passwords from a stranger's browser: the account-wide lockout for untrusted attempts. */
async function strangerLocksOut(email: string) {
  const stranger = new HeadlessBrowser();
  for (let i = 0; i < 5; i += 1)
    expect((await attempt(world, stranger, email, `guess-${i}`)).response.status).toBe(303);
  const refused = (await attempt(world, stranger, email, PASSWORD)).response;
  await expectLocked(refused);
  return refused;
}

function setCookie(browser: HeadlessBrowser, value: string) {
  browser.jar.store(
    new URL(world.urls.login),
    new Response(null, { headers: { 'set-cookie': `${DEVICE_COOKIE}=${value}; Path=/` } }),
  );
}

describe('device cookies against lockout by strangers', () => {
  it('leaves a signed, HttpOnly device cookie after a successful login', async () => {
    const { credentials } = await freshUser(world, 'cookie');
    const browser = new HeadlessBrowser();
    const login = await openLogin(world, {}, browser);
    const response = await submitPassword(login, { email: credentials.email, password: PASSWORD });
    const header = response.headers.getSetCookie().find((line) => line.startsWith(`${DEVICE_COOKIE}=`));
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(browser.jar.value(loginHost, DEVICE_COOKIE)?.split('.')).toHaveLength(3);
  });

  it('a stranger locks the account out, but the real user on a trusted device still signs in', async () => {
    const { credentials } = await freshUser(world, 'victim');
    const device = new HeadlessBrowser();
    await signIn(device, credentials.email);

    await strangerLocksOut(credentials.email);
    // A new device (no cookie) is untrusted: locked out too, even with the right password.
    await expectLocked((await attempt(world, new HeadlessBrowser(), credentials.email, PASSWORD)).response);
    // The trusted device is not.
    await signIn(device, credentials.email);
  });

  it("treats a forged cookie, and another account's valid cookie, as untrusted", async () => {
    const { credentials } = await freshUser(world, 'target');
    const other = await freshUser(world, 'bystander');
    const real = await signIn(new HeadlessBrowser(), credentials.email);
    await strangerLocksOut(credentials.email);

    // Another account's genuine cookie does not vouch for this account.
    const otherDevice = new HeadlessBrowser();
    await signIn(otherDevice, other.credentials.email);
    await expectLocked((await attempt(world, otherDevice, credentials.email, PASSWORD)).response);

    // The real cookie with its signature changed, or with the email swapped under the same signature, is forged.
    const [encodedEmail, deviceId, mac] = real.split('.') as [string, string, string];
    const forgers = [
      `${encodedEmail}.${deviceId}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      `${encodedEmail}.other-device.${mac}`,
      `${Buffer.from(credentials.email).toString('base64url')}.${other.user.id}.${mac}`,
      'not-a-device-cookie',
    ];
    for (const value of forgers) {
      const forger = new HeadlessBrowser();
      setCookie(forger, value);
      await expectLocked((await attempt(world, forger, credentials.email, PASSWORD)).response);
    }
    // The real one, copied as is, still works (it is the device's secret).
    const copy = new HeadlessBrowser();
    setCookie(copy, real);
    await signIn(copy, credentials.email);
  });

  it("locks a trusted device after its own limit, without locking the account's other devices", async () => {
    const { credentials } = await freshUser(world, 'clumsy');
    const device = new HeadlessBrowser();
    await signIn(device, credentials.email);
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(world, device, credentials.email, `typo-${i}`)).response.status).toBe(303);
    await expectLocked((await attempt(world, device, credentials.email, PASSWORD)).response);
    // The device's failures are its own: an untrusted browser with the right password is not locked out.
    await signIn(new HeadlessBrowser(), credentials.email);
    // And the device's wait passes.
    world.advance(30_001);
    await signIn(device, credentials.email);
  });
});
