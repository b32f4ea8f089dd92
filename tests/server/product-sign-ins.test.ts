import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { land, newTwilioUser, openSetup, productPasswordLogin, SEGMENT_PASSWORD } from './products';
import { decodeEntities, mailbox } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;

describe('a Segment password session after its user is linked', () => {
  it('ends the sessions opened with the retired password in other browsers', async () => {
    const { credentials } = await newTwilioUser(world, 'pia@example.com');
    const pia = segment.users.create({
      email: credentials.email,
      name: 'Pia',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const workspace = segment.createWorkspace('Pia Co');
    segment.addMember(workspace.id, pia.id, 'Owner');

    // Another browser (a shared computer, or whoever knew the Segment password) signs in with that password.
    const { browser: elsewhere, response: login } = await productPasswordLogin(world, 'segment', {
      email: credentials.email,
      password: SEGMENT_PASSWORD,
    });
    expect(login.status).toBe(303);
    expect((await elsewhere.request(`${world.urls.segment}/settings`)).status).toBe(200);

    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    const linked = await browser.request(`${world.urls.login}/setup/segment/link`, {
      form: { csrf, password: SEGMENT_PASSWORD },
    });
    expect(linked.status).toBe(303);
    expect(segment.users.findById(pia.id)!.twilioSub).toBe(world.users.findByEmail(credentials.email)!.id);

    // The password is retired: the session it opened is signed out too.
    const settings = await elsewhere.request(`${world.urls.segment}/settings`);
    expect(settings.status).toBe(303);
    expect(settings.headers.get('location')).toBe('/login?next=%2Fsettings');
    const home = await elsewhere.request(`${world.urls.segment}/workspaces/${workspace.id}`);
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toBe(`/login?next=%2Fworkspaces%2F${workspace.id}`);

    // The linking browser itself goes on with its Twilio login.
    const landed = await land(browser, linked.headers.get('location'), world.urls.login);
    expect(landed.url.href).toBe(`${world.urls.segment}/workspaces/${workspace.id}`);
    expect(landed.html).toContain('Pia Co');
  });
});

describe('a product email verification link opened while signed out', () => {
  it('comes back to the link after signing in, and the change can be confirmed there', async () => {
    const credentials = { email: 'quin@example.org', password: 'quin-pass-2026!' };
    const quin = sendgrid.users.create({
      email: credentials.email,
      name: 'Quin',
      passwordHash: await hashPassword(credentials.password),
    });
    const { browser, response } = await productPasswordLogin(world, 'sendgrid', credentials);
    expect(response.status).toBe(303);
    const settings = await browser.request(`${world.urls.sendgrid}/settings`);
    const requested = await browser.request(`${world.urls.sendgrid}/settings/email`, {
      form: {
        csrf: csrfTokenIn(await settings.text()),
        new_email: 'quin-new@example.org',
        current_password: credentials.password,
      },
    });
    expect(requested.status).toBe(303);
    const [link] = (await mailbox(world, 'quin-new@example.org')).links;
    const path = `${new URL(link!).pathname}${new URL(link!).search}`;

    // The link is opened in a browser that is not signed in to SendGrid.
    const other = new HeadlessBrowser();
    const opened = await other.request(link!);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(`/login?${new URLSearchParams({ next: path })}`);

    const loginPage = await other.request(new URL(opened.headers.get('location')!, world.urls.sendgrid));
    expect(loginPage.status).toBe(200);
    const loginHtml = await loginPage.text();
    const signedIn = await other.request(`${world.urls.sendgrid}/login`, {
      form: {
        csrf: csrfTokenIn(loginHtml),
        next: new URLSearchParams(opened.headers.get('location')!.split('?')[1]).get('next')!,
        email: credentials.email,
        password: credentials.password,
      },
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(path);

    const confirmPage = await other.request(new URL(path, world.urls.sendgrid));
    expect(confirmPage.status).toBe(200);
    const confirmHtml = decodeEntities(await confirmPage.text());
    expect(confirmHtml).toContain('Use <strong>quin-new@example.org</strong> for your SendGrid login from now on?');
    const confirmed = await other.request(`${world.urls.sendgrid}/settings/email/verify`, {
      form: { csrf: csrfTokenIn(confirmHtml), token: new URL(link!).searchParams.get('token')! },
    });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('/settings?done=email');
    expect(sendgrid.users.findById(quin.id)!.email).toBe('quin-new@example.org');
  });
});

describe('sign-ins under way at once in one browser (two tabs of "Continue with Twilio")', () => {
  const callback = () => `${world.urls.segment}/callback`;

  it('lets each finish at its own callback, landing on its own next', async () => {
    const browser = new HeadlessBrowser();
    const first = await completeLogin(browser, `${world.urls.segment}/login/twilio?next=%2Fsettings`, callback(), ADA);
    const second = await completeLogin(browser, `${world.urls.segment}/login/twilio?next=%2F`, callback(), ADA);

    const firstDone = await browser.request(first);
    expect(firstDone.status).toBe(303);
    expect(firstDone.headers.get('location')).toBe('/settings');
    const secondDone = await browser.request(second);
    expect(secondDone.status).toBe(303);
    expect(secondDone.headers.get('location')).toBe('/');
    expect((await browser.request(`${world.urls.segment}/settings`)).status).toBe(200);

    // Each was used once.
    const replay = await browser.request(first);
    expect(replay.status).toBe(400);
    expect(decodeEntities(await replay.text())).toContain(
      'This sign-in was not started here or has expired. Try again.',
    );
  });

  it('keeps a sign-in under way when a response that names no sign-in of it arrives first', async () => {
    const browser = new HeadlessBrowser();
    const real = await completeLogin(browser, `${world.urls.segment}/login/twilio?next=%2Fsettings`, callback(), ADA);
    const forged = await browser.request(`${callback()}?${new URLSearchParams({ code: 'forged', state: 'forged' })}`);
    expect(forged.status).toBe(400);
    expect(decodeEntities(await forged.text())).toContain('The sign-in response was not valid. Try again.');

    const done = await browser.request(real);
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/settings');
  });
});
