import { describe, expect, it } from 'vitest';
import { findEmailCollision } from '../../mock-server/accounts/email-collision';
import type { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { canLogIn, consoleBrowser, decodeEntities, freshUser, mailbox, openPage, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

async function requestChange(prefix: string, newEmail: string) {
  const { user, credentials } = await freshUser(world, prefix);
  const browser = await consoleBrowser(world, credentials);
  const result = await submit(world, browser, '/settings/email', { new_email: newEmail, current_password: PASSWORD });
  return { user, credentials, browser, ...result };
}

async function confirmLink(browser: HeadlessBrowser, link: string) {
  const page = await browser.request(link);
  const html = await page.text();
  if (page.status !== 200) return { status: page.status, html };
  const token = new URL(link).searchParams.get('token')!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const response = await browser.request(`${world.urls.console}/settings/email/verify`, { form: { csrf, token } });
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: decodeEntities(await response.text()),
  };
}

describe('changing the email in the Console', () => {
  it('changes the email only when the link sent to the new address is opened', async () => {
    const newEmail = `renamed-${Date.now()}@example.org`;
    const { user, credentials, browser, response } = await requestChange('mover', newEmail);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/settings?done=email-sent');
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);
    expect(await canLogIn(world, credentials)).toBe(true);
    expect((await mailbox(world, credentials.email)).html).toContain('A change of your Twilio email was requested');

    const { links } = await mailbox(world, newEmail);
    expect(links).toHaveLength(1);
    const confirmed = await confirmLink(browser, links[0]!);
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/settings?done=email-changed');

    expect(world.users.findById(user.id)!.email).toBe(newEmail);
    expect(await canLogIn(world, credentials)).toBe(false);
    expect(await canLogIn(world, { email: newEmail, password: PASSWORD })).toBe(true);
    expect((await mailbox(world, credentials.email)).html).toContain('Your Twilio email was changed');
    expect((await openPage(world, browser, '/settings')).html).toContain(newEmail);
  });

  it('refuses a link used twice, an expired link and a link opened by another user', async () => {
    const first = `twice-${Date.now()}@example.org`;
    const { browser } = await requestChange('twice', first);
    const [link] = (await mailbox(world, first)).links;
    expect((await confirmLink(browser, link!)).status).toBe(303);
    const again = await confirmLink(browser, link!);
    expect(again.status).toBe(400);
    expect(again.html).toContain('already been used');

    const second = `late-${Date.now()}@example.org`;
    const late = await requestChange('late', second);
    const [lateLink] = (await mailbox(world, second)).links;
    world.advance(31 * 60_000);
    const expired = await confirmLink(late.browser, lateLink!);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('has expired');
    expect(world.users.findById(late.user.id)!.email).not.toBe(second);

    const third = `other-${Date.now()}@example.org`;
    const owner = await requestChange('owner', third);
    const [ownerLink] = (await mailbox(world, third)).links;
    const intruder = await freshUser(world, 'intruder');
    const intruderBrowser = await consoleBrowser(world, intruder.credentials);
    const refused = await confirmLink(intruderBrowser, ownerLink!);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('belongs to another Twilio login');
    expect(world.users.findById(intruder.user.id)!.email).toBe(intruder.credentials.email);
    expect(world.users.findById(owner.user.id)!.email).toBe(owner.credentials.email);
    // The owner can still use it.
    expect((await confirmLink(owner.browser, ownerLink!)).status).toBe(303);
  });

  it("refuses another Twilio user's email before saving anything", async () => {
    const { user, credentials, response, html } = await requestChange('copycat', 'ada@example.com');
    expect(response.status).toBe(409);
    expect(html).toContain('ada@example.com is already used by another Twilio login. Use another email.');
    expect(html).toContain('role="alert"');
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM email_changes WHERE user_id = ?').get(user.id)).toEqual({
      n: 0,
    });
  });

  it("refuses frank's email: he is a SendGrid user not linked to Twilio", async () => {
    const before = (await mailbox(world, 'frank@example.net')).html;
    const { user, credentials, response, html } = await requestChange('frankly', 'Frank@Example.net');
    expect(response.status).toBe(409);
    expect(html).toContain(
      "frank@example.net is already a SendGrid user that isn't linked to Twilio. Use another email, or ask that user to change theirs.",
    );
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);
    expect((await mailbox(world, 'frank@example.net')).html).toBe(before);
  });

  it("refuses the email of an unlinked Segment user (Ben's, and Ben Co's owner's)", async () => {
    const ben = await requestChange('benny', 'ben@example.com');
    expect(ben.response.status).toBe(409);
    expect(world.users.findById(ben.user.id)!.email).toBe(ben.credentials.email);

    const owner = await requestChange('nia', 'nia@benco.example');
    expect(owner.response.status).toBe(409);
    expect(owner.html).toContain("nia@benco.example is already a Segment user that isn't linked to Twilio.");
    expect(world.users.findById(owner.user.id)!.email).toBe(owner.credentials.email);
  });

  it('finds collisions by the stable subject: a linked product user is not a collision for its own Twilio user', async () => {
    const ada = world.users.findByEmail('ada@example.com')!;
    expect(findEmailCollision(world.db, 'ada@example.com', ada.id)).toBeUndefined();
    expect(findEmailCollision(world.db, 'ada@example.com', 'someone-else')).toEqual({
      product: 'twilio',
      kind: 'twilio_user',
    });
    expect(findEmailCollision(world.db, 'frank@example.net', ada.id)).toEqual({
      product: 'sendgrid',
      kind: 'unlinked_product_user',
    });
    expect(findEmailCollision(world.db, 'free@example.org', ada.id)).toBeUndefined();
  });

  it('checks again when the link is opened: an email taken by a SendGrid user in between is refused', async () => {
    const wanted = `contested-${Date.now()}@example.org`;
    const { user, credentials, browser } = await requestChange('slow', wanted);
    world.products.sendgrid.users.create({ email: wanted, name: 'Quick SendGrid', passwordHash: 'x' });
    const [link] = (await mailbox(world, wanted)).links;
    const refused = await confirmLink(browser, link!);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain('SendGrid user');
    expect(world.users.findById(user.id)!.email).toBe(credentials.email);
  });

  it('lets at most one of two users take the same new email at once', async () => {
    const wanted = `race-${Date.now()}@example.org`;
    const one = await requestChange('racer-a', wanted);
    const two = await requestChange('racer-b', wanted);
    expect(one.response.status).toBe(303);
    expect(two.response.status).toBe(303);
    const links = (await mailbox(world, wanted)).links;
    expect(links).toHaveLength(2);
    // Newest first: the second user's link, then the first's.
    const results = await Promise.all([confirmLink(two.browser, links[0]!), confirmLink(one.browser, links[1]!)]);
    expect(results.map((result) => result.status).sort()).toEqual([303, 409]);
    const owners = [one.user.id, two.user.id].filter((id) => world.users.findById(id)!.email === wanted);
    expect(owners).toHaveLength(1);
  });

  it('refuses an invalid or unchanged email with a readable message', async () => {
    const { response, html } = await requestChange('typo', 'not-an-email');
    expect(response.status).toBe(400);
    expect(html).toContain('Enter a valid email address');
  });
  it("moves a linked Segment user's email along with the Twilio email (found by subject)", async () => {
    const newEmail = `linked-moved-${Date.now()}@example.org`;
    const { user, credentials } = await freshUser(world, 'linked');
    const segmentUser = world.products.segment.users.create({
      email: credentials.email,
      name: 'Linked Tester',
      twilioSub: user.id,
    });
    const browser = await consoleBrowser(world, credentials);
    await submit(world, browser, '/settings/email', { new_email: newEmail, current_password: PASSWORD });
    const [link] = (await mailbox(world, newEmail)).links;
    expect((await confirmLink(browser, link!)).status).toBe(303);
    expect(world.products.segment.users.findById(segmentUser.id)!.email).toBe(newEmail);
    expect(world.products.segment.users.findByTwilioSub(user.id)!.id).toBe(segmentUser.id);
  });

  describe('rate limits on collision checks and verification mails', () => {
    const ask = (browser: HeadlessBrowser, newEmail: string) =>
      submit(world, browser, '/settings/email', { new_email: newEmail, current_password: PASSWORD });
    const CHECKS = 'You have tried too many new emails. Wait a little before trying again.';
    const MAILS = 'Too many verification emails were sent for this change. Wait a little before asking again.';

    /** The Retry-After of a refusal, between the window opened at `openedAt` and its end (world clock). */
    function expectRetryAfter(response: Response, openedAt: number, windowMs: number) {
      const retryAfter = Number(response.headers.get('retry-after'));
      expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
      expect(retryAfter).toBeGreaterThanOrEqual(Math.ceil((openedAt + windowMs - world.clock()) / 1000));
    }

    it('refuses the 11th collision check of one user in 15 minutes with 429 + Retry-After, before checking', async () => {
      const { user, credentials } = await freshUser(world, 'prober');
      const browser = await consoleBrowser(world, credentials);
      const openedAt = world.clock();
      // Ten probes of the seeded users' addresses are answered (the collision message is a feature)…
      const probes = [
        'ada@example.com',
        'frank@example.net',
        'ben@example.com',
        'nia@benco.example',
        'dan@example.com',
      ];
      for (const probe of [...probes, ...probes]) expect((await ask(browser, probe)).response.status).toBe(409);
      // …the 11th is refused without saying anything about the address, even a free one.
      const refused = await ask(browser, 'eve@example.com');
      expect(refused.response.status).toBe(429);
      expectRetryAfter(refused.response, openedAt, 15 * 60_000);
      expect(refused.html).toContain(CHECKS);
      expect(refused.html).toContain('role="alert"');
      expect(refused.html).not.toContain('already');
      const free = `free-after-probes-${Date.now()}@example.org`;
      expect((await ask(browser, free)).response.status).toBe(429);
      expect((await mailbox(world, free)).links).toHaveLength(0);
      expect(world.users.findById(user.id)!.email).toBe(credentials.email);

      // The window passes: the user may ask again.
      world.advance(15 * 60_000);
      expect((await ask(browser, free)).response.status).toBe(303);
      expect((await mailbox(world, free)).links).toHaveLength(1);
    });

    it('refuses the 6th check of one address in 15 minutes, from any user', async () => {
      const probed = `probed-${Date.now()}@example.org`;
      world.products.sendgrid.users.create({ email: probed, name: 'Probed SendGrid', passwordHash: 'x' });
      const one = await freshUser(world, 'probe-a');
      const oneBrowser = await consoleBrowser(world, one.credentials);
      const openedAt = world.clock();
      for (let i = 0; i < 5; i += 1) expect((await ask(oneBrowser, probed)).response.status).toBe(409);
      const refused = await ask(oneBrowser, probed);
      expect(refused.response.status).toBe(429);
      expectRetryAfter(refused.response, openedAt, 15 * 60_000);
      expect(refused.html).toContain(CHECKS);

      // Another user asking about the same address is refused too; other addresses are still answered.
      const two = await freshUser(world, 'probe-b');
      const twoBrowser = await consoleBrowser(world, two.credentials);
      const other = await ask(twoBrowser, probed.toUpperCase());
      expect(other.response.status).toBe(429);
      expect(other.html).toContain(CHECKS);
      expect((await ask(twoBrowser, 'frank@example.net')).response.status).toBe(409);
    });

    it('sends at most 3 verification mails per user per hour: the 4th is 429 and sends nothing', async () => {
      const { credentials } = await freshUser(world, 'mailer');
      const browser = await consoleBrowser(world, credentials);
      const openedAt = world.clock();
      const stamp = Date.now();
      for (let i = 1; i <= 3; i += 1)
        expect((await ask(browser, `burst-${i}-${stamp}@example.org`)).response.status).toBe(303);
      const fourth = `burst-4-${stamp}@example.org`;
      const refused = await ask(browser, fourth);
      expect(refused.response.status).toBe(429);
      expectRetryAfter(refused.response, openedAt, 60 * 60_000);
      expect(refused.html).toContain(MAILS);
      expect((await mailbox(world, fourth)).links).toHaveLength(0);
      // The pending change is still the last one that was mailed.
      expect((await mailbox(world, `burst-3-${stamp}@example.org`)).links).toHaveLength(1);
    });

    it('sends at most 3 verification mails to one address per hour, from any users', async () => {
      const target = `flooded-${Date.now()}@example.org`;
      let openedAt = 0;
      for (let i = 1; i <= 3; i += 1) {
        const { credentials } = await freshUser(world, `flooder-${i}`);
        const browser = await consoleBrowser(world, credentials);
        if (i === 1) openedAt = world.clock();
        expect((await ask(browser, target)).response.status).toBe(303);
      }
      const last = await freshUser(world, 'flooder-4');
      const refused = await ask(await consoleBrowser(world, last.credentials), target);
      expect(refused.response.status).toBe(429);
      expectRetryAfter(refused.response, openedAt, 60 * 60_000);
      expect(refused.html).toContain(MAILS);
      expect((await mailbox(world, target)).links).toHaveLength(3);
    });
  });
});
