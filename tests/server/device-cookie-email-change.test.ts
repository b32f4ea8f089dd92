/** A device cookie names its account by user id: an email change neither drops it nor hands it to the next owner. */
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { DEVICE_COOKIE } from '../../mock-server/identity/device-cookies';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { consoleBrowser, freshUser, mailbox, PASSWORD, submit } from './settings';
import { type TestWorld, worldForFile } from './world';

const world = await worldForFile();
const loginHost = new URL(world.urls.login).hostname;

async function attempt(on: TestWorld, browser: HeadlessBrowser, email: string, password: string) {
  const login = await openLogin(on, { prompt: 'login' }, browser);
  return { login, response: await submitPassword(login, { email, password }) };
}

async function signIn(browser: HeadlessBrowser, email: string) {
  const { login, response } = await attempt(world, browser, email, PASSWORD);
  expect(response.status).toBe(303);
  expect((await codeAfter(login, response)).code).toEqual(expect.any(String));
}

async function strangerLocksOut(email: string) {
  const stranger = new HeadlessBrowser();
  for (let i = 0; i < 5; i += 1) {
    expect((await attempt(world, stranger, email, `guess-${i}`)).response.status).toBe(303);
  }
  await expectLocked((await attempt(world, stranger, email, PASSWORD)).response, 'the stranger');
}

async function expectLocked(response: Response, who: string) {
  expect(response.status, who).toBe(429);
  expect(await response.text()).toContain('Too many attempts');
}

/** Changes the Console email of `email`'s user to `newEmail`, through the mailed link. */
async function changeEmail(email: string, newEmail: string) {
  const browser = await consoleBrowser(world, { email, password: PASSWORD });
  const asked = await submit(world, browser, '/settings/email', { new_email: newEmail, current_password: PASSWORD });
  expect(asked.response.status).toBe(303);
  const [link] = (await mailbox(world, newEmail)).links;
  expect((await browser.request(link!)).status).toBe(200);
  const { response } = await submit(world, browser, '/settings/email/verify', {
    token: new URL(link!).searchParams.get('token')!,
  });
  expect(response.headers.get('location')).toBe('/settings?done=email-changed');
}

describe('device cookies after an email change', () => {
  it('keeps protecting the owner from lockout under the new email', async () => {
    const { credentials } = await freshUser(world, 'renamer');
    const device = new HeadlessBrowser();
    await signIn(device, credentials.email);
    const renamed = `renamed-${Date.now()}@example.org`;
    await changeEmail(credentials.email, renamed);

    await strangerLocksOut(renamed);
    // The device the owner signed in on is still theirs: its cookie names the account, not the old address.
    await signIn(device, renamed);
  });

  it('never vouches for the account that takes the old address', async () => {
    const { credentials } = await freshUser(world, 'leaver');
    const device = new HeadlessBrowser();
    await signIn(device, credentials.email);
    const cookie = device.jar.value(loginHost, DEVICE_COOKIE);
    await changeEmail(credentials.email, `moved-${Date.now()}@example.org`);
    // Someone else now has the old address.
    world.users.create({ email: credentials.email, name: 'Next Owner', passwordHash: await hashPassword(PASSWORD) });

    await strangerLocksOut(credentials.email);
    // The old owner's device, cookie and all, is a stranger to the new owner's account.
    expect(device.jar.value(loginHost, DEVICE_COOKIE)).toBe(cookie);
    await expectLocked((await attempt(world, device, credentials.email, PASSWORD)).response, 'the old device');
  });
});
