/**
 * Lockout by strangers on the set-up page: proving a Segment password while signed in to Twilio is limited by the
 * Twilio user's own counter, so wrong passwords typed by anyone on Segment's public login cannot keep the real user
 * from linking.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTINUE_WITH_TWILIO_PATH } from '../../contract/api';
import { ACCOUNT_POLICY } from '../../mock-server/accounts/login-throttle';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { expectLocked } from './lockout';
import { BEN, land, newTwilioUser, openSetup, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { worldForFile } from './world';

const world = await worldForFile();
let counter = 0;

// Every test starts with the loopback address's failures long gone.
beforeEach(() => world.advance(24 * 60 * 60_000));

/** A new eligible Twilio user with an unlinked Segment user of the same email and its own password. */
async function twilioAndSegmentUser(prefix: string) {
  counter += 1;
  const { credentials } = await newTwilioUser(world, `${prefix}-${counter}@example.org`);
  world.products.segment.users.create({
    email: credentials.email,
    name: `${prefix} Segment`,
    passwordHash: await hashPassword(SEGMENT_PASSWORD),
  });
  return credentials;
}

/** Five wrong passwords for `email` on Segment's public login, then the stranger is refused with Retry-After. */
async function strangerLocksOut(email: string) {
  for (let i = 0; i < ACCOUNT_POLICY.freeFailures; i += 1) {
    const { response } = await productPasswordLogin(world, 'segment', { email, password: `guess-${i}` });
    expect(response.status).toBe(401);
  }
  await expectLocked((await productPasswordLogin(world, 'segment', { email, password: 'guess-again' })).response);
}

async function link(credentials: { email: string; password: string }) {
  const { browser, csrf } = await openSetup(world, 'segment', credentials);
  const response = await browser.request(`${world.urls.login}/setup/segment/link`, {
    form: { csrf, password: SEGMENT_PASSWORD },
  });
  return { browser, response };
}

describe("a stranger's wrong passwords on Segment's login and the set-up page", () => {
  it('do not keep Ben, signed in to Twilio, from linking his Segment user with its password', async () => {
    await strangerLocksOut(BEN.email);

    const { browser, response } = await link(BEN);
    expect(response.status).toBe(303);
    expect(world.products.segment.users.findByEmail(BEN.email)!.twilioSub).toBe(world.users.findByEmail(BEN.email)!.id);
    const home = await land(browser, response.headers.get('location'), world.urls.login);
    expect(home.html).toContain('Ben Co');
  });

  it("send the email's password submits on Segment's login to the Twilio login once it is linked, though the stranger filled its counter", async () => {
    const credentials = await twilioAndSegmentUser('linker');
    await strangerLocksOut(credentials.email);
    expect((await link(credentials)).response.status).toBe(303);

    // The password is retired and not checked: the Twilio login, with its own throttling, is where to sign in now.
    const retired = new URLSearchParams({ login_hint: credentials.email, next: '/', notice: 'password_retired' });
    for (const password of [SEGMENT_PASSWORD, 'guess-after-link']) {
      const { response } = await productPasswordLogin(world, 'segment', { email: credentials.email, password });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`${CONTINUE_WITH_TWILIO_PATH}?${retired}`);
    }
  });
});
