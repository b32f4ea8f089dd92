import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_PATHS, ProductsResponseSchema } from '../../contract/api';
import { SUPPORT_INBOX } from '../../mock-server/access/access-requests';
import { listMail } from '../../mock-server/mailbox/mailbox';
import { localhostFetch } from '../../mock-server/net';
import { completeLogin, csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { newTwilioUser } from './products';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const SOL = { email: 'sol@example.com', password: 'demo-pass-2026' };
const SUPPORT = '/support/access-requests';

const requestAccess = (token: string | undefined) =>
  localhostFetch(`${world.urls.login}${API_PATHS.accessRequest}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

async function products(token: string) {
  const response = await localhostFetch(`${world.urls.login}${API_PATHS.products}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const { products } = v.parse(ProductsResponseSchema, await response.json());
  return Object.fromEntries(products.map((product) => [product.id, product]));
}

/** A new Twilio user outside the limited release, signed in to the extension. */
async function ineligibleUser(name: string) {
  const { user, credentials } = await newTwilioUser(world, `${name}@access.example`, { eligible: false });
  const { tokens } = await signInAsExtension(world, credentials);
  return { user, credentials, token: tokens.access_token };
}

/** A browser signed in to Twilio (through the Console) on the login host. */
async function twilioBrowser(credentials: { email: string; password: string }) {
  const browser = new HeadlessBrowser();
  const callbackUrl = await completeLogin(
    browser,
    `${world.urls.console}/`,
    `${world.urls.console}/callback`,
    credentials,
  );
  await browser.request(callbackUrl);
  return browser;
}

/** A browser signed in as the support operator, looking at the queue. */
async function operatorBrowser() {
  const browser = new HeadlessBrowser();
  const callbackUrl = await completeLogin(
    browser,
    `${world.urls.login}${SUPPORT}`,
    `${world.urls.login}/support/callback`,
    SOL,
  );
  const afterCallback = await browser.request(callbackUrl);
  expect(afterCallback.status).toBe(303);
  expect(afterCallback.headers.get('location')).toBe(SUPPORT);
  return browser;
}

async function decide(browser: HeadlessBrowser, id: string, decision: 'grant' | 'decline') {
  const page = await browser.request(`${world.urls.login}${SUPPORT}`);
  const csrf = csrfTokenIn(await page.text());
  return browser.request(`${world.urls.login}${SUPPORT}/${id}/${decision}`, { form: { csrf } });
}

describe('POST /api/access-request', () => {
  it('needs the extension access token', async () => {
    const response = await requestAccess(undefined);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_token',
      error_description: 'An access token is required.',
    });
    expect((await requestAccess('not-a-token')).status).toBe(401);
  });

  it('records one request however often it is sent, tells support once, and reports "Access requested"', async () => {
    const { user, token } = await ineligibleUser('ivy');
    const before = listMail(world.db, { to: SUPPORT_INBOX }).length;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await requestAccess(token);
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ status: 'access_requested' });
    }
    const rows = world.db.prepare('SELECT status FROM access_requests WHERE twilio_sub = ?').all(user.id);
    expect(rows).toEqual([{ status: 'pending' }]);
    const notices = listMail(world.db, { to: SUPPORT_INBOX });
    expect(notices.length).toBe(before + 1);
    expect(notices[0]).toMatchObject({
      kind: 'access_requested',
      subject: 'Access request: Ivy Tester (ivy@access.example)',
    });
    const listed = await products(token);
    for (const id of ['segment', 'sendgrid'] as const) {
      expect(listed[id]).toEqual({
        id,
        name: id === 'segment' ? 'Segment' : 'SendGrid',
        status: 'access_requested',
        note: 'Access requested',
        workspaces: [],
      });
    }
  });

  it('answers 409 already_eligible for a user who has unified login', async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    const response = await requestAccess(tokens.access_token);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: 'already_eligible',
      error_description: 'You already have unified login: set up your products instead.',
    });
  });

  it('allows POST from the extension in CORS preflight', async () => {
    const response = await localhostFetch(`${world.urls.login}${API_PATHS.accessRequest}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'chrome-extension://ahnjchalgogoggmfhdchclcelfebfphd',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
  });
});

describe('the set-up page for a user outside the limited release', () => {
  it('offers "Request access", records it with the CSRF token, then says it was asked', async () => {
    const { user, credentials } = await newTwilioUser(world, 'jay@access.example', { eligible: false });
    const browser = await twilioBrowser(credentials);
    const page = await browser.request(`${world.urls.login}/setup/segment`);
    expect(page.status).toBe(403);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/setup/segment/request-access">');
    expect(html).toContain('>Request access</button>');

    const forged = await browser.request(`${world.urls.login}/setup/segment/request-access`, {
      form: { csrf: 'forged' },
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('The form has expired. Reload the page and try again.');
    expect(world.accessRequests.latestOf(user.id)).toBeUndefined();

    const crossSite = await browser.request(`${world.urls.login}/setup/segment/request-access`, {
      form: { csrf: csrfTokenIn(html) },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(world.accessRequests.latestOf(user.id)).toBeUndefined();

    for (let attempt = 0; attempt < 2; attempt += 1) {
      const asked = await browser.request(`${world.urls.login}/setup/segment/request-access`, {
        form: { csrf: csrfTokenIn(html) },
      });
      expect(asked.status).toBe(303);
      expect(asked.headers.get('location')).toBe('/setup/segment');
    }
    expect(world.db.prepare('SELECT COUNT(*) AS n FROM access_requests WHERE twilio_sub = ?').get(user.id)).toEqual({
      n: 1,
    });
    const after = await (await browser.request(`${world.urls.login}/setup/sendgrid`)).text();
    expect(after).toContain('data-testid="access-requested"');
    expect(after).toContain("you don't need to ask again");
    expect(after).not.toContain('request-access');
  });
});

describe('the support page', () => {
  it('signs the operator in through the Twilio login as its own client', async () => {
    const browser = new HeadlessBrowser();
    const first = await browser.request(`${world.urls.login}${SUPPORT}`);
    expect(first.status).toBe(303);
    const location = new URL(first.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(`${world.urls.login}/auth`);
    expect(location.searchParams.get('client_id')).toBe('support');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('refuses Twilio users who are not support operators with 403, on GET and POST', async () => {
    const browser = await twilioBrowser(ADA);
    const page = await browser.request(`${world.urls.login}${SUPPORT}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('This page is for Twilio support');
    const { token } = await ineligibleUser('kai');
    await requestAccess(token);
    const id = world.accessRequests.list().find((request) => request.status === 'pending')!.id;
    const post = await browser.request(`${world.urls.login}${SUPPORT}/${id}/grant`, { form: { csrf: 'x' } });
    expect(post.status).toBe(403);
    expect(world.accessRequests.find(id)?.status).toBe('pending');
  });

  it('grants a request: the same access token then sees the products as not set up, and the user is told', async () => {
    const { user, token } = await ineligibleUser('lee');
    await requestAccess(token);
    const id = world.accessRequests.latestOf(user.id)!.id;
    const operator = await operatorBrowser();
    const queue = await (await operator.request(`${world.urls.login}${SUPPORT}`)).text();
    expect(queue).toContain('Lee Tester (lee@access.example)');
    expect(queue).toContain(`action="${SUPPORT}/${id}/grant"`);

    const granted = await decide(operator, id, 'grant');
    expect(granted.status).toBe(303);
    expect(granted.headers.get('location')).toBe(`${SUPPORT}?decided=${id}`);
    const after = await (await operator.request(`${world.urls.login}${SUPPORT}?decided=${id}`)).text();
    expect(after).toContain('Granted: Lee Tester can now set up Segment and SendGrid.');

    expect(world.users.findById(user.id)?.eligible).toBe(true);
    const listed = await products(token);
    expect(listed.segment).toMatchObject({ status: 'not_set_up', url: `${world.urls.login}/setup/segment` });
    expect(listed.sendgrid).toMatchObject({ status: 'not_set_up', url: `${world.urls.login}/setup/sendgrid` });
    expect(listMail(world.db, { to: user.email })[0]).toMatchObject({ kind: 'access_granted' });

    // Deciding again is refused, and says why.
    const again = await decide(operator, id, 'decline');
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('This request was already decided. Reload the list.');
    expect(world.accessRequests.find(id)?.status).toBe('granted');
  });

  it('declines a request: the user sees it plainly and may ask again', async () => {
    const { user, credentials, token } = await ineligibleUser('mo');
    await requestAccess(token);
    const id = world.accessRequests.latestOf(user.id)!.id;
    const operator = await operatorBrowser();
    expect((await decide(operator, id, 'decline')).status).toBe(303);

    expect(world.users.findById(user.id)?.eligible).toBe(false);
    expect((await products(token)).segment).toMatchObject({
      status: 'unavailable',
      note: 'Your request for access was declined; you can ask again',
    });
    expect(listMail(world.db, { to: user.email })[0]).toMatchObject({ kind: 'access_declined' });
    const page = await (await (await twilioBrowser(credentials)).request(`${world.urls.login}/setup/segment`)).text();
    expect(page).toContain('data-testid="access-declined"');
    expect(page).toContain('>Request access again</button>');

    expect((await requestAccess(token)).status).toBe(202);
    expect(world.accessRequests.latestOf(user.id)?.status).toBe('pending');
  });

  it('refuses a decision without the CSRF token, from another site, or for a request that does not exist', async () => {
    const { user, token } = await ineligibleUser('noa');
    await requestAccess(token);
    const id = world.accessRequests.latestOf(user.id)!.id;
    const operator = await operatorBrowser();
    const forged = await operator.request(`${world.urls.login}${SUPPORT}/${id}/grant`, { form: { csrf: 'forged' } });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('The form has expired. Reload the page and try again.');
    const page = await (await operator.request(`${world.urls.login}${SUPPORT}`)).text();
    const crossSite = await operator.request(`${world.urls.login}${SUPPORT}/${id}/grant`, {
      form: { csrf: csrfTokenIn(page) },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.status).toBe(403);
    expect(world.accessRequests.find(id)?.status).toBe('pending');
    const unknown = await operator.request(`${world.urls.login}${SUPPORT}/ar_${'0'.repeat(32)}/grant`, {
      form: { csrf: csrfTokenIn(page) },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('There is no such access request to decide.');
  });
});
