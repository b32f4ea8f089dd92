/**
 * A set-up on the login host while the Twilio user's email change is confirmed in the Console: the set-up never
 * attaches a product user with the old address to the renamed Twilio user.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import type { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { newTwilioUser, openSetup, type ProductSite, SEGMENT_PASSWORD } from './products';
import { consoleBrowser, decodeEntities, mailbox, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;
let counter = 0;

afterEach(() => {
  vi.restoreAllMocks();
});

/** A Twilio user and its Console browser, with a change of email asked for and its link mailed (not yet opened). */
async function renameAsked(prefix: string) {
  counter += 1;
  const email = `${prefix}-${counter}-${Date.now().toString(36)}@example.org`;
  const { user, credentials } = await newTwilioUser(world, email);
  const consoleTab = await consoleBrowser(world, credentials);
  const newEmail = `renamed-${email}`;
  const asked = await submit(world, consoleTab, '/settings/email', { new_email: newEmail, current_password: PASSWORD });
  expect(asked.response.status).toBe(303);
  const [link] = (await mailbox(world, newEmail)).links;
  expect((await consoleTab.request(link!)).status).toBe(200);
  const confirm = async () => {
    const { response } = await submit(world, consoleTab, '/settings/email/verify', {
      token: new URL(link!).searchParams.get('token')!,
    });
    expect(response.headers.get('location')).toBe('/settings?done=email-changed');
    expect(world.users.findById(user.id)!.email).toBe(newEmail);
  };
  return { user, credentials, email, newEmail, confirm };
}

/**
 * POSTs a set-up form whose body arrives only after `meanwhile` ran, once the route has read the Twilio user of the
 * request: the email change lands between that read and the set-up itself.
 */
async function postDuring(
  browser: HeadlessBrowser,
  product: ProductSite,
  action: 'link' | 'create',
  form: Record<string, string>,
  userId: string,
  meanwhile: () => Promise<void>,
): Promise<{ status: number; location: string | null; html: string }> {
  const url = new URL(`${world.urls.login}/setup/${product}/${action}`);
  let resolve!: () => void;
  const userRead = new Promise<void>((done) => {
    resolve = done;
  });
  const findById = world.users.findById.bind(world.users);
  vi.spyOn(world.users, 'findById').mockImplementation((id) => {
    if (id === userId) resolve();
    return findById(id);
  });
  // undici sends the headers with the first chunk of the body: the form's first field, the rest after `meanwhile`.
  const [first, ...rest] = new URLSearchParams(form).toString().split('&');
  const encoder = new TextEncoder();
  let send!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({
    start: (controller) => {
      send = controller;
      controller.enqueue(encoder.encode(`${first}&`));
    },
  });
  const answered = localhostFetch(url, {
    method: 'POST',
    headers: {
      cookie: browser.jar.header(url)!,
      'content-type': 'application/x-www-form-urlencoded',
      origin: url.origin,
    },
    body,
    duplex: 'half',
    redirect: 'manual',
  } as RequestInit);
  await userRead;
  vi.restoreAllMocks();
  await meanwhile();
  send.enqueue(encoder.encode(rest.join('&')));
  send.close();
  const response = await answered;
  return {
    status: response.status,
    location: response.headers.get('location'),
    html: decodeEntities(await response.text()),
  };
}

describe('a set-up while an email changes', () => {
  it('refuses to link the Segment user of the old email, and says why', async () => {
    const { user, credentials, email, newEmail, confirm } = await renameAsked('linker');
    const oldSegment = segment.users.create({
      email,
      name: 'Old Segment',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const { browser, html, csrf } = await openSetup(world, 'segment', credentials);
    expect(html).toContain('Link your existing Segment user');

    const linked = await postDuring(browser, 'segment', 'link', { csrf, password: SEGMENT_PASSWORD }, user.id, confirm);
    expect(linked.status).toBe(409);
    expect(linked.location).toBeNull();
    expect(linked.html).toContain(
      `Your Twilio email changed to ${newEmail} while the Segment user ${email} was being linked, so it was not linked. Set up Segment again for ${newEmail}.`,
    );
    // The page shown again is the one for the new email.
    expect(linked.html).toContain(`No Segment user has the email ${newEmail}`);
    expect(segment.users.findByTwilioSub(user.id)).toBeUndefined();
    expect(segment.users.findById(oldSegment.id)).toMatchObject({ email, twilioSub: undefined });
    expect(world.setups.setupsOf(user.id)).toEqual([]);
  });

  it('refuses to link a Segment user whose own email changed meanwhile', async () => {
    counter += 1;
    const email = `kept-${counter}-${Date.now().toString(36)}@example.org`;
    const { user, credentials } = await newTwilioUser(world, email);
    const moving = segment.users.create({ email, name: 'Moving', passwordHash: await hashPassword(SEGMENT_PASSWORD) });
    const { browser, csrf } = await openSetup(world, 'segment', credentials);

    // The change lands while the Segment password is being checked (after the user was found by its email).
    const moved = `moved-${email}`;
    const findByEmail = segment.users.findByEmail.bind(segment.users);
    vi.spyOn(segment.users, 'findByEmail').mockImplementation((wanted) => {
      const found = findByEmail(wanted);
      if (found?.id === moving.id) queueMicrotask(() => void segment.users.setEmail(moving.id, moved));
      return found;
    });
    const response = await browser.request(`${world.urls.login}/setup/segment/link`, {
      form: { csrf, password: SEGMENT_PASSWORD },
    });
    vi.restoreAllMocks();
    const linked = { status: response.status, html: decodeEntities(await response.text()) };
    expect(linked.status).toBe(409);
    expect(linked.html).toContain(
      `The Segment user ${email} changed its email while it was being linked, so it was not linked. Set up Segment again.`,
    );
    expect(segment.users.findById(moving.id)).toMatchObject({ email: moved, twilioSub: undefined });
    expect(segment.users.findByTwilioSub(user.id)).toBeUndefined();
  });

  it('creates the SendGrid user with the new email', async () => {
    const { user, credentials, newEmail, confirm } = await renameAsked('creator');
    const { browser, csrf } = await openSetup(world, 'sendgrid', credentials);

    const created = await postDuring(browser, 'sendgrid', 'create', { csrf, account: 'Renamed Co' }, user.id, confirm);
    expect(created.status).toBe(303);
    expect(created.location).toBe(`${world.urls.sendgrid}/login/twilio?next=%2F`);
    expect(sendgrid.users.findByTwilioSub(user.id)).toMatchObject({ email: newEmail, twilioSub: user.id });
  });
});
