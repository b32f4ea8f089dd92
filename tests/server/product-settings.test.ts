import { describe, expect, it } from 'vitest';
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import { verifyPassword } from '../../mock-server/accounts/passwords';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { productSettings } from './product-settings';
import {
  BEN,
  continueWithTwilio,
  FRANK_SENDGRID,
  newTwilioUser,
  productPasswordLogin,
  SEGMENT_PASSWORD,
} from './products';
import { consoleBrowser, decodeEntities, mailbox, openPage } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;
let counter = 0;

const { settingsOf, post, freshProductUser, confirmProductLink } = productSettings(world);
const freshSendGridUser = (prefix: string) => freshProductUser('sendgrid', prefix);

describe('product settings for a unified user (ada on Segment)', () => {
  const adaSub = () => world.users.findByEmail(ADA.email)!.id;

  it('shows email, password and 2FA as managed in the Twilio Console with links, and no forms to change them', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const { html, text } = await settingsOf(browser, 'segment');
    expect(html).toContain('data-testid="managed-by-twilio"');
    expect(text.match(/Managed in your Twilio Console/g)).toHaveLength(3);
    expect(html).toContain(`<a href="${world.urls.console}/settings/email">Change email in the Twilio Console</a>`);
    expect(html).toContain(
      `<a href="${world.urls.console}/settings/password">Change password in the Twilio Console</a>`,
    );
    expect(html).toContain(
      `<a href="${world.urls.console}/settings/two-factor">Manage two-factor authentication in the Twilio Console</a>`,
    );
    expect(html).toMatch(/data-testid="managed-email">ada@example\.com · /);
    for (const absent of ['action="/settings/email"', 'action="/settings/password"', 'name="new_password"']) {
      expect(html).not.toContain(absent);
    }
    // Still editable in Segment: the timezone, and the session history with this Twilio login at the top.
    expect(html).toContain('action="/settings/timezone"');
    expect(html).toContain('<label for="timezone">Timezone</label>');
    expect(html).toMatch(
      /data-testid="session-history">[\s\S]*?<tbody><tr><td><time datetime="[^"]+">[^<]+<\/time><\/td><td>Twilio login<\/td>/,
    );
  });

  it('refuses a hand-made email change with 403 pointing to the Console, and changes nothing', async () => {
    const before = segment.users.findByTwilioSub(adaSub())!;
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const { response, text } = await post(browser, 'segment', '/settings/email', {
      new_email: 'ada-elsewhere@example.com',
      current_password: ADA.password,
    });
    expect(response.status).toBe(403);
    expect(text).toMatch(/role="alert">Your email is your Twilio login's and is managed in your Twilio Console/);
    expect(text).toContain(`<a href="${world.urls.console}/settings/email">Change email in the Twilio Console</a>`);
    expect(segment.users.findByTwilioSub(adaSub())).toEqual(before);
    expect(segment.users.findByEmail('ada-elsewhere@example.com')).toBeUndefined();
  });

  it('refuses a hand-made password change with 403 pointing to the Console; the password stays retired', async () => {
    const before = segment.users.findByTwilioSub(adaSub())!;
    expect(before.passwordHash).toBeUndefined();
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const { response, text } = await post(browser, 'segment', '/settings/password', {
      current_password: ADA.password,
      new_password: 'a-segment-password-2026',
      confirm_password: 'a-segment-password-2026',
    });
    expect(response.status).toBe(403);
    expect(text).toMatch(/role="alert">Your password is your Twilio login's and is managed in your Twilio Console/);
    expect(text).toContain(`<a href="${world.urls.console}/settings/password">`);
    expect(segment.users.findByTwilioSub(adaSub())).toEqual(before);
  });
});

describe('product settings for users who are not unified', () => {
  let frank = { ...FRANK_SENDGRID };

  it("shows Ben's Segment settings (before linking) with email and password forms and no Console links", async () => {
    const { browser } = await productPasswordLogin(world, 'segment', { email: BEN.email, password: SEGMENT_PASSWORD });
    const { html } = await settingsOf(browser, 'segment');
    expect(html).not.toContain('managed-by-twilio');
    expect(html).not.toContain(world.urls.console);
    for (const label of ['New email', 'Current password', 'New password', 'Confirm new password', 'Timezone']) {
      expect(html).toContain(`">${label}</label>`);
    }
    for (const button of ['Change email', 'Change password', 'Save timezone']) {
      expect(html).toContain(`<button type="submit">${button}</button>`);
    }
  });

  it('lets frank change his SendGrid password: other sessions end, the old password is refused, the new one works', async () => {
    const other = await productPasswordLogin(world, 'sendgrid', frank);
    const { browser } = await productPasswordLogin(world, 'sendgrid', frank);
    const changed = await post(browser, 'sendgrid', '/settings/password', {
      current_password: frank.password,
      new_password: 'frank-new-pass-2026',
      confirm_password: 'frank-new-pass-2026',
    });
    expect(changed.response.status).toBe(303);
    expect(changed.response.headers.get('location')).toBe('/settings?done=password');
    const { html } = await settingsOf(browser, 'sendgrid', '?done=password');
    expect(html).toContain('role="status"');
    expect(html).toContain('Your password is changed. You were signed out everywhere else.');
    // The other browser's session ended.
    const elsewhere = await other.browser.request(`${world.urls.sendgrid}/settings`);
    expect(elsewhere.status).toBe(303);
    expect(elsewhere.headers.get('location')).toBe('/login?next=%2Fsettings');

    expect((await productPasswordLogin(world, 'sendgrid', frank)).response.status).toBe(401);
    frank = { ...frank, password: 'frank-new-pass-2026' };
    expect((await productPasswordLogin(world, 'sendgrid', frank)).response.status).toBe(303);
  });

  it('refuses a short new password and a confirmation that differs, with 400 and nothing changed', async () => {
    const { browser } = await productPasswordLogin(world, 'sendgrid', frank);
    const hash = sendgrid.users.findByEmail(frank.email)!.passwordHash;
    const short = await post(browser, 'sendgrid', '/settings/password', {
      current_password: frank.password,
      new_password: 'too-short',
      confirm_password: 'too-short',
    });
    expect(short.response.status).toBe(400);
    expect(short.text).toContain('role="alert">Choose a new password of at least 12 characters.');
    const long = await post(browser, 'sendgrid', '/settings/password', {
      current_password: frank.password,
      new_password: 'x'.repeat(1025),
      confirm_password: 'x'.repeat(1025),
    });
    expect(long.response.status).toBe(400);
    expect(long.text).toContain('role="alert">Choose a new password of at most 1024 characters.');
    const differ = await post(browser, 'sendgrid', '/settings/password', {
      current_password: frank.password,
      new_password: 'frank-other-pass-2026',
      confirm_password: 'frank-other-pass-2027',
    });
    expect(differ.response.status).toBe(400);
    expect(differ.text).toContain('role="alert">The new password and its confirmation are different.');
    expect(sendgrid.users.findByEmail(frank.email)!.passwordHash).toBe(hash);
  });

  it('lets frank change his SendGrid email (normalised); he signs in with the new one, not the old', async () => {
    const { browser } = await productPasswordLogin(world, 'sendgrid', frank);
    const id = sendgrid.users.findByEmail(frank.email)!.id;
    const changed = await post(browser, 'sendgrid', '/settings/email', {
      new_email: '  Frank.Mail@Example.NET ',
      current_password: frank.password,
    });
    expect(changed.response.status).toBe(303);
    expect(changed.response.headers.get('location')).toBe('/settings?done=email-sent');
    // Nothing changes until the link sent to the new address is opened and confirmed.
    expect(sendgrid.users.findById(id)!.email).toBe(frank.email);
    const [link] = (await mailbox(world, 'frank.mail@example.net')).links;
    const confirmed = await confirmProductLink(browser, link!);
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/settings?done=email');
    expect(sendgrid.users.findById(id)!.email).toBe('frank.mail@example.net');
    const { html } = await settingsOf(browser, 'sendgrid', '?done=email');
    expect(html).toContain('role="status"');
    expect(html).toContain('data-testid="user-email">frank.mail@example.net<');

    expect((await productPasswordLogin(world, 'sendgrid', frank)).response.status).toBe(401);
    frank = { ...frank, email: 'frank.mail@example.net' };
    expect((await productPasswordLogin(world, 'sendgrid', frank)).response.status).toBe(303);
  });

  it('refuses an email another SendGrid user has with 409 and a clear message; nothing changes', async () => {
    const taken = await freshSendGridUser('taken');
    const { browser } = await productPasswordLogin(world, 'sendgrid', frank);
    const { response, text } = await post(browser, 'sendgrid', '/settings/email', {
      new_email: taken.credentials.email.toUpperCase(),
      current_password: frank.password,
    });
    expect(response.status).toBe(409);
    expect(text).toContain(
      `role="alert">${taken.credentials.email} is already used by another SendGrid user. Use another email.`,
    );
    expect(sendgrid.users.findByEmail(frank.email)).toBeDefined();
    expect(sendgrid.users.findById(taken.user.id)!.email).toBe(taken.credentials.email);
  });

  it('uses a verification link once, refuses it after 30 minutes or for another user, and changes nothing then', async () => {
    const mover = await freshSendGridUser('mover');
    const first = `verified-once-${Date.now()}@example.org`;
    await post(mover.browser, 'sendgrid', '/settings/email', {
      new_email: first,
      current_password: mover.credentials.password,
    });
    const [link] = (await mailbox(world, first)).links;
    expect(link!.startsWith(`${world.urls.sendgrid}/settings/email/verify?token=`)).toBe(true);
    const intruder = await freshSendGridUser('intruder');
    const stolen = await confirmProductLink(intruder.browser, link!);
    expect(stolen.status).toBe(400);
    expect(stolen.html).toContain('This verification link belongs to another SendGrid user.');
    expect((await confirmProductLink(mover.browser, link!)).status).toBe(303);
    const again = await confirmProductLink(mover.browser, link!);
    expect(again.status).toBe(400);
    expect(again.html).toContain('role="alert">This verification link has already been used.');

    const late = `verified-late-${Date.now()}@example.org`;
    await post(intruder.browser, 'sendgrid', '/settings/email', {
      new_email: late,
      current_password: intruder.credentials.password,
    });
    const [lateLink] = (await mailbox(world, late)).links;
    world.advance(31 * 60_000);
    const expired = await confirmProductLink(intruder.browser, lateLink!);
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('This verification link has expired. Request the change again.');
    expect(sendgrid.users.findById(intruder.user.id)!.email).toBe(intruder.credentials.email);
    expect(sendgrid.users.findById(mover.user.id)!.email).toBe(first);
  });

  it("answers a Twilio user's email as any address, mails its owner a notice without a link, and changes nothing", async () => {
    const squatter = await freshSendGridUser('squatter');
    const free = `squatter-free-${Date.now()}@example.org`;
    const asked = await post(squatter.browser, 'sendgrid', '/settings/email', {
      new_email: free,
      current_password: squatter.credentials.password,
    });
    for (const wanted of ['Eve@Example.com', ADA.email]) {
      const { response } = await post(squatter.browser, 'sendgrid', '/settings/email', {
        new_email: wanted,
        current_password: squatter.credentials.password,
      });
      // The same answer as for the free address: the page does not tell that this is a Twilio login.
      expect(response.status).toBe(asked.response.status);
      expect(response.headers.get('location')).toBe('/settings?done=email-sent');
      const { html, links } = await mailbox(world, wanted.toLowerCase());
      expect(links).toEqual([]);
      expect(decodeEntities(html)).toContain(
        "Someone signed in to SendGrid asked to use this address for their SendGrid login. It is your Twilio login's email, so it cannot be used for another login, and nothing changed.",
      );
      expect(sendgrid.users.findById(squatter.user.id)!.email).toBe(squatter.credentials.email);
    }
    // The request for a Twilio login's email replaced the earlier pending change: its link no longer works.
    const [earlier] = (await mailbox(world, free)).links;
    const stale = await confirmProductLink(squatter.browser, earlier!);
    expect(stale.status).toBe(400);
    expect(stale.html).toContain('role="alert">This verification link is not valid. Request a new one.');

    const { browser } = await productPasswordLogin(world, 'segment', {
      email: 'nia@benco.example',
      password: SEGMENT_PASSWORD,
    });
    const nia = await post(browser, 'segment', '/settings/email', {
      new_email: 'eve@example.com',
      current_password: SEGMENT_PASSWORD,
    });
    expect(nia.response.status).toBe(303);
    expect(nia.response.headers.get('location')).toBe('/settings?done=email-sent');
    expect(segment.users.findByEmail('nia@benco.example')).toBeDefined();
    expect(segment.users.findByEmail('eve@example.com')).toBeUndefined();
  });

  it("limits requests for a Twilio login's email exactly like any other: 429 + Retry-After past 3 mails an hour", async () => {
    const first = await freshSendGridUser('limited');
    const ask = (who: typeof first, email: string) =>
      post(who.browser, 'sendgrid', '/settings/email', {
        new_email: email,
        current_password: who.credentials.password,
      });
    for (let i = 0; i < 3; i += 1) expect((await ask(first, 'cleo@example.com')).response.status).toBe(303);
    const tooManyMails = 'Too many verification emails were sent for this change. Wait a little before asking again.';
    // Per user: a fourth mail within the hour is refused, whether the address is a Twilio login or free.
    for (const email of ['cleo@example.com', `limited-free-${Date.now()}@example.org`]) {
      const { response, text } = await ask(first, email);
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(text).toContain(`role="alert">${tooManyMails}`);
    }
    // Per address: cleo's address has had its 3 mails this hour, whoever asks next.
    const second = await freshSendGridUser('limited');
    const { response, text } = await ask(second, 'cleo@example.com');
    expect(response.status).toBe(429);
    expect(text).toContain(`role="alert">${tooManyMails}`);
    expect((await mailbox(world, 'cleo@example.com')).html.match(/not added to a SendGrid login/g)).toHaveLength(3);
  });

  it('refuses at confirmation, without saying whose it is, an email that became a Twilio login after the link was sent', async () => {
    const mover = await freshSendGridUser('late-twilio');
    const wanted = `becomes-twilio-${Date.now()}@example.org`;
    await post(mover.browser, 'sendgrid', '/settings/email', {
      new_email: wanted,
      current_password: mover.credentials.password,
    });
    const [link] = (await mailbox(world, wanted)).links;
    await newTwilioUser(world, wanted);
    const refused = await confirmProductLink(mover.browser, link!);
    expect(refused.status).toBe(409);
    expect(refused.html).toContain(
      'role="alert">This email cannot be used for your SendGrid login. Use another email.',
    );
    expect(refused.html).not.toContain('Twilio login');
    expect(sendgrid.users.findById(mover.user.id)!.email).toBe(mover.credentials.email);
  });

  it("shows the confirm page with SendGrid's own navigation and switcher slot", async () => {
    const mover = await freshSendGridUser('chrome');
    const wanted = `chrome-${Date.now()}@example.org`;
    await post(mover.browser, 'sendgrid', '/settings/email', {
      new_email: wanted,
      current_password: mover.credentials.password,
    });
    const [link] = (await mailbox(world, wanted)).links;
    const shown = await mover.browser.request(link!);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    const settings = await settingsOf(mover.browser, 'sendgrid');
    const navOf = (page: string) => page.match(/<nav class="top"[\s\S]*?<\/nav>/)?.[0];
    expect(navOf(html)).toBeDefined();
    expect(navOf(html)).toBe(navOf(settings.html));
    expect(html).toContain(`id="${SWITCHER_SLOT_ID}"`);
    expect(html).toContain('<title>Confirm your new email · SendGrid</title>');
  });

  it('refuses a wrong current password with 401, then 429 + Retry-After, sharing the login throttle', async () => {
    const { user, credentials, browser } = await freshSendGridUser('throttled');
    const wrong = 'not-my-password-2026';
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const { response, text } = await post(browser, 'sendgrid', '/settings/password', {
        current_password: wrong,
        new_password: 'throttled-new-pass-2026',
        confirm_password: 'throttled-new-pass-2026',
      });
      expect(response.status).toBe(401);
      expect(text).toContain('role="alert">Your current password is not correct.');
    }
    for (let attempt = 4; attempt <= 5; attempt += 1) {
      const { response, text } = await post(browser, 'sendgrid', '/settings/email', {
        new_email: `throttled-new-${attempt}@example.org`,
        current_password: wrong,
      });
      expect(response.status).toBe(401);
      expect(text).toContain('role="alert">Your current password is not correct.');
    }
    // Five failures: the next attempt waits, even with the right password, here and at the login form.
    const throttled = await post(browser, 'sendgrid', '/settings/password', {
      current_password: credentials.password,
      new_password: 'throttled-new-pass-2026',
      confirm_password: 'throttled-new-pass-2026',
    });
    expect(throttled.response.status).toBe(429);
    expect(throttled.response.headers.get('retry-after')).toBe('30');
    expect(throttled.text).toContain('too_many_attempts');
    const login = await productPasswordLogin(world, 'sendgrid', credentials);
    expect(login.response.status).toBe(429);

    const after = sendgrid.users.findById(user.id)!;
    expect(after.email).toBe(credentials.email);
    expect(await verifyPassword(after.passwordHash, credentials.password)).toBe(true);
  });

  it('refuses a POST without the CSRF token, or marked cross-site, with 403 and changes nothing', async () => {
    const { user, credentials, browser } = await freshSendGridUser('csrf');
    const { csrf } = await settingsOf(browser, 'sendgrid');
    const missing = await post(browser, 'sendgrid', '/settings/timezone', { timezone: 'Europe/Paris' }, { csrf: '' });
    expect(missing.response.status).toBe(403);
    expect(missing.text).toContain('csrf_token_invalid');
    const wrongToken = await post(
      browser,
      'sendgrid',
      '/settings/email',
      { new_email: 'csrf-elsewhere@example.org', current_password: credentials.password },
      { csrf: `${csrf.slice(0, -2)}xx` },
    );
    expect(wrongToken.response.status).toBe(403);
    expect(wrongToken.text).toContain('csrf_token_invalid');
    const crossSite = await post(
      browser,
      'sendgrid',
      '/settings/password',
      {
        current_password: credentials.password,
        new_password: 'csrf-new-pass-2026',
        confirm_password: 'csrf-new-pass-2026',
      },
      { csrf, headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(crossSite.response.status).toBe(403);
    expect(crossSite.text).toContain('cross_site_request');
    const otherOrigin = await post(
      browser,
      'sendgrid',
      '/settings/email',
      { new_email: 'csrf-elsewhere@example.org', current_password: credentials.password },
      { csrf, headers: { origin: 'http://evil.localhost' } },
    );
    expect(otherOrigin.response.status).toBe(403);
    expect(otherOrigin.text).toContain('cross_site_request');

    const after = sendgrid.users.findById(user.id)!;
    expect(after).toEqual(user);
    expect(await verifyPassword(after.passwordHash, credentials.password)).toBe(true);
  });
});

describe('timezone', () => {
  it('keeps the Console, Segment and SendGrid timezones of one person independent', async () => {
    counter += 1;
    const { user, credentials } = await newTwilioUser(world, `tz-${counter}@example.org`);
    const segmentUser = segment.users.create({ email: user.email, name: user.name, twilioSub: user.id });
    const sendgridUser = sendgrid.users.create({ email: user.email, name: user.name, twilioSub: user.id });

    const consoleSession = await consoleBrowser(world, credentials);
    const { csrf } = await openPage(world, consoleSession, '/settings');
    const consoleSaved = await consoleSession.request(`${world.urls.console}/settings/timezone`, {
      form: { csrf, timezone: 'Asia/Tokyo' },
    });
    expect(consoleSaved.status).toBe(303);
    expect(consoleSaved.headers.get('location')).toBe('/settings?done=timezone');

    for (const [product, zone] of [
      ['segment', 'Europe/Paris'],
      ['sendgrid', 'America/New_York'],
    ] as const) {
      const { browser, response } = await continueWithTwilio(world, product, credentials);
      expect(response.status).toBe(303);
      const saved = await post(browser, product, '/settings/timezone', { timezone: zone });
      expect(saved.response.status).toBe(303);
      expect(saved.response.headers.get('location')).toBe('/settings?done=timezone');
      const { html } = await settingsOf(browser, product, '?done=timezone');
      expect(html).toContain('role="status" style="margin-bottom:1rem">Timezone saved.</div>');
      expect(html).toContain(`value="${zone}"`);
    }

    expect(world.users.findById(user.id)!.timezone).toBe('Asia/Tokyo');
    expect(segment.users.findById(segmentUser.id)!.timezone).toBe('Europe/Paris');
    expect(sendgrid.users.findById(sendgridUser.id)!.timezone).toBe('America/New_York');
    const consolePage = await openPage(world, consoleSession, '/settings?done=timezone');
    expect(consolePage.html).toContain('Timezone saved.');
    expect(consolePage.html).toContain('value="Asia/Tokyo"');

    // A change in one place stays there; an unknown zone is refused with 400 in the Console too.
    const again = await consoleSession.request(`${world.urls.console}/settings/timezone`, {
      form: { csrf, timezone: 'Australia/Sydney' },
    });
    expect(again.status).toBe(303);
    const unknown = await consoleSession.request(`${world.urls.console}/settings/timezone`, {
      form: { csrf, timezone: 'Mars/Olympus_Mons' },
    });
    expect(unknown.status).toBe(400);
    expect(decodeEntities(await unknown.text())).toContain(
      'role="alert">"Mars/Olympus_Mons" is not a time zone we know.',
    );
    expect(world.users.findById(user.id)!.timezone).toBe('Australia/Sydney');
    expect(segment.users.findById(segmentUser.id)!.timezone).toBe('Europe/Paris');
    expect(sendgrid.users.findById(sendgridUser.id)!.timezone).toBe('America/New_York');
  });

  it('refuses an unknown product timezone with 400 on the settings page, keeping the old one', async () => {
    const { user, browser } = await freshSendGridUser('zone');
    const { response, text } = await post(browser, 'sendgrid', '/settings/timezone', { timezone: 'Nowhere/Land' });
    expect(response.status).toBe(400);
    expect(text).toContain('role="alert">"Nowhere/Land" is not a time zone we know.');
    expect(text).toContain('value="Nowhere/Land"');
    expect(sendgrid.users.findById(user.id)!.timezone).toBe('UTC');
  });
});

describe('signed out', () => {
  it('sends a signed-out settings POST to the login page', async () => {
    const response = await new HeadlessBrowser().request(`${world.urls.segment}/settings/password`, {
      form: { csrf: 'x', current_password: 'x', new_password: 'x', confirm_password: 'x' },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?next=%2Fsettings');
  });
});

describe('verification mails to one address, from every site', () => {
  it('are counted together: three an hour, whichever site asks (SendGrid, then the Console)', async () => {
    const target = 'one-inbox@example.org';
    const sendgridUser = await freshSendGridUser('mailer');
    const first = await post(sendgridUser.browser, 'sendgrid', '/settings/email', {
      new_email: target,
      current_password: sendgridUser.credentials.password,
    });
    expect(first.response.status).toBe(303);
    const twilio = await newTwilioUser(world, 'mailer-twilio@example.org');
    const console = await consoleBrowser(world, twilio.credentials);
    const { csrf } = await openPage(world, console, '/settings/email');
    for (const expected of [303, 303, 429]) {
      const asked = await console.request(`${world.urls.console}/settings/email`, {
        form: { csrf, new_email: target, current_password: twilio.credentials.password },
      });
      expect(asked.status).toBe(expected);
      if (expected === 429) {
        expect(Number(asked.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(decodeEntities(await asked.text())).toContain(
          'Too many verification emails were sent for this change. Wait a little before asking again.',
        );
      }
    }
    const other = await freshSendGridUser('mailer-two');
    const fourth = await post(other.browser, 'sendgrid', '/settings/email', {
      new_email: target,
      current_password: other.credentials.password,
    });
    expect(fourth.response.status).toBe(429);
    expect((await mailbox(world, target)).links).toHaveLength(3);
  });
});
