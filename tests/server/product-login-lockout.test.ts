/**
 * Lockout by strangers on Segment's and SendGrid's own password logins: a device cookie from a successful login keeps
 * the real user's device out of the account-wide lockout that anyone's wrong passwords fill (as on the Twilio login).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY } from '../../mock-server/accounts/login-throttle';
import { productDevices } from '../../mock-server/identity/device-cookies';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { expectLocked } from './lockout';
import { land, newProductUser, type ProductSite, productPasswordLogin } from './products';
import { worldForFile } from './world';

const world = await worldForFile();

// Every test starts with the loopback address's failures long gone.
beforeEach(() => world.advance(24 * 60 * 60_000));

const host = (product: ProductSite) => new URL(world.urls[product]).hostname;
const deviceCookie = (product: ProductSite, browser: HeadlessBrowser) =>
  browser.jar.value(host(product), productDevices(product).cookie);

function setDeviceCookie(product: ProductSite, browser: HeadlessBrowser, value: string) {
  browser.jar.store(
    new URL(world.urls[product]),
    new Response(null, { headers: { 'set-cookie': `${productDevices(product).cookie}=${value}; Path=/` } }),
  );
}

/**
 * Signs `browser` in to `product` with the right password (into the product, with a product session), then signs
 * out, as the owner would before coming back: the device cookie stays.
 */
async function signInAndOut(
  product: ProductSite,
  credentials: { email: string; password: string },
  browser = new HeadlessBrowser(),
) {
  const { response } = await productPasswordLogin(world, product, credentials, browser);
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  expect(response.headers.getSetCookie().join()).toContain(`${product}_session=`);
  const home = await land(browser, '/', world.urls[product]);
  const out = await browser.request(`${world.urls[product]}/sign-out`, { form: { csrf: csrfTokenIn(home.html) } });
  expect(out.headers.get('location')).toBe('/login?signed_out=1');
  return { browser, response };
}

/** Five wrong passwords from a stranger's browsers, then the stranger is refused: 429 with Retry-After. */
async function strangerLocksOut(product: ProductSite, email: string) {
  for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
    const { response } = await productPasswordLogin(world, product, { email, password: `guess-${i}` });
    expect(response.status).toBe(401);
  }
  await expectLocked((await productPasswordLogin(world, product, { email, password: 'guess-again' })).response);
}

describe.each(['segment', 'sendgrid'] as const)("device cookies on %s's own login", (product) => {
  it('leaves a signed, HttpOnly device cookie for the product user after a successful login', async () => {
    const { credentials } = await newProductUser(world, product, `${product}-cookie`);
    const { response } = await signInAndOut(product, credentials);
    const name = productDevices(product).cookie;
    const header = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header?.split(';')[0]?.split('.')).toHaveLength(3);
  });

  it("a stranger's five wrong passwords do not lock the owner's trusted device out", async () => {
    const { credentials } = await newProductUser(world, product, `${product}-owner`);
    const { browser: device } = await signInAndOut(product, credentials);

    await strangerLocksOut(product, credentials.email);
    await signInAndOut(product, credentials, device);
  });

  it('still limits the right password from a browser without a device cookie, as before', async () => {
    const { credentials } = await newProductUser(world, product, `${product}-new-browser`);
    await signInAndOut(product, credentials);

    await strangerLocksOut(product, credentials.email);
    await expectLocked((await productPasswordLogin(world, product, credentials)).response);
  });

  it("keeps the stranger locked out after the owner's device signs in", async () => {
    const { credentials } = await newProductUser(world, product, `${product}-still-locked`);
    const { browser: device } = await signInAndOut(product, credentials);

    await strangerLocksOut(product, credentials.email);
    await signInAndOut(product, credentials, device);
    await expectLocked(
      (await productPasswordLogin(world, product, { email: credentials.email, password: 'guess-later' })).response,
    );
  });

  it("treats another user's valid device cookie, and forged ones, as untrusted", async () => {
    const { user, credentials } = await newProductUser(world, product, `${product}-target`);
    const { browser: owner } = await signInAndOut(product, credentials);
    const real = deviceCookie(product, owner)!;
    await strangerLocksOut(product, credentials.email);

    // Another product user's genuine cookie does not vouch for this one.
    const bystander = await newProductUser(world, product, `${product}-bystander`);
    const { browser: otherDevice } = await signInAndOut(product, bystander.credentials);
    await expectLocked((await productPasswordLogin(world, product, credentials, otherDevice)).response);

    // The real cookie with its signature changed, its device id changed, or another user's id under the same
    // signature, is forged.
    const [encodedUserId, deviceId, mac] = real.split('.') as [string, string, string];
    const forgeries = [
      `${encodedUserId}.${deviceId}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`,
      `${encodedUserId}.other-device.${mac}`,
      `${Buffer.from(bystander.user.id).toString('base64url')}.${deviceId}.${mac}`,
      'not-a-device-cookie',
    ];
    for (const value of forgeries) {
      const forger = new HeadlessBrowser();
      setDeviceCookie(product, forger, value);
      await expectLocked((await productPasswordLogin(world, product, credentials, forger)).response);
    }

    // The real one, copied as is, still works (it is the device's secret), and names this user.
    expect(Buffer.from(encodedUserId, 'base64url').toString()).toBe(user.id);
    const copy = new HeadlessBrowser();
    setDeviceCookie(product, copy, real);
    await signInAndOut(product, credentials, copy);
  });

  it("locks a trusted device after its own limit, without locking the account's other devices", async () => {
    const { credentials } = await newProductUser(world, product, `${product}-clumsy`);
    const { browser: device } = await signInAndOut(product, credentials);
    for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
      const typo = { email: credentials.email, password: `typo-${i}` };
      expect((await productPasswordLogin(world, product, typo, device)).response.status).toBe(401);
    }
    await expectLocked((await productPasswordLogin(world, product, credentials, device)).response);
    // The device's failures are its own: an untrusted browser with the right password is not locked out.
    await signInAndOut(product, credentials);
  });
});
