import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_PATHS, ProductsResponseSchema } from '../../contract/api';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { completeLogin, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import {
  BEN,
  CLEO,
  continueWithTwilio,
  land,
  newTwilioUser,
  openSetup,
  productPasswordLogin,
  SEGMENT_PASSWORD,
} from './products';
import { ADA, DAN, worldForFile } from './world';

const world = await worldForFile();
const { segment, sendgrid } = world.products;
const sub = (email: string) => world.users.findByEmail(email)!.id;

async function productsFor(credentials: { email: string; password: string }) {
  const { tokens } = await signInAsExtension(world, credentials);
  const response = await localhostFetch(`${world.urls.login}${API_PATHS.products}`, {
    headers: { authorization: `Bearer ${tokens.access_token}` },
  });
  expect(response.status).toBe(200);
  const { products } = v.parse(ProductsResponseSchema, await response.json());
  return Object.fromEntries(products.map((product) => [product.id, product]));
}

function post(browser: HeadlessBrowser, path: string, form: Record<string, string>, headers = {}) {
  return browser.request(`${world.urls.login}${path}`, { form, headers });
}

describe('linking an existing Segment user', () => {
  it("links Ben's Segment user with its password, lands him in Ben Co as Member and retires the password", async () => {
    const benSegment = segment.users.findByEmail(BEN.email)!;
    const rolesBefore = segment.workspacesOf(benSegment.id).map(({ id, name, role }) => ({ id, name, role }));
    const invitesBefore = segment.invitationsFor('ws_ben_co');
    expect(invitesBefore).toHaveLength(1);

    const { browser, html, csrf } = await openSetup(world, 'segment', BEN);
    expect(html).toContain('Link your existing Segment user');
    expect(html).toContain('<label for="segment-password">Segment password</label>');
    expect(html).toContain('>Link Segment user</button>');
    // No duplicate: creating is not offered while an unlinked Segment user has the email.
    expect(html).not.toContain('>Create Segment user</button>');

    const linked = await post(browser, '/setup/segment/link', { csrf, password: SEGMENT_PASSWORD });
    expect(linked.status).toBe(303);
    expect(linked.headers.get('location')).toBe(`${world.urls.segment}/login/twilio?next=%2F`);
    const home = await land(browser, linked.headers.get('location'), world.urls.login);
    expect(home.url.href).toBe(`${world.urls.segment}/workspaces/ws_ben_co`);
    expect(home.html).toContain('Ben Co');
    expect(home.html).toMatch(/data-testid="workspace-role">Member</);

    const after = segment.users.findById(benSegment.id)!;
    expect(after.twilioSub).toBe(sub(BEN.email));
    expect(after.passwordHash).toBeUndefined();
    expect(segment.workspacesOf(benSegment.id).map(({ id, name, role }) => ({ id, name, role }))).toEqual(rolesBefore);
    expect(segment.invitationsFor('ws_ben_co')).toEqual(invitesBefore);
    expect(segment.sessionHistory(benSegment.id)[0]).toMatchObject({ method: 'twilio' });
    expect(world.setups.setupsOf(sub(BEN.email))).toEqual([
      expect.objectContaining({ product: 'segment', action: 'linked', method: 'product_password' }),
    ]);
  });

  it("refuses Ben's old Segment password afterwards and sends him to the Twilio login", async () => {
    const { response } = await productPasswordLogin(world, 'segment', { email: BEN.email, password: SEGMENT_PASSWORD });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(
      '/login/twilio?login_hint=ben%40example.com&next=%2F&notice=password_retired',
    );
    expect(response.headers.getSetCookie().join()).not.toContain('segment_session=');
  });

  it('lists Ben Co as his linked Segment workspace in the products API', async () => {
    const products = await productsFor(BEN);
    expect(products.segment).toMatchObject({
      status: 'linked',
      url: `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_ben_co`,
      workspaces: [{ id: 'ws_ben_co', name: 'Ben Co', role: 'Member' }],
    });
    expect(products.sendgrid).toMatchObject({ status: 'not_set_up', url: `${world.urls.login}/setup/sendgrid` });
  });

  it('sends a user whose Segment is already set up straight into Segment', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    const response = await browser.request(`${world.urls.login}/setup/segment`);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${world.urls.segment}/login/twilio?next=%2F`);
  });

  it('refuses linking when no Segment user has the email, and says what to do', async () => {
    const { credentials } = await newTwilioUser(world, 'mo@example.com');
    const { browser, html, csrf } = await openSetup(world, 'segment', credentials);
    expect(html).toContain('No Segment user has the email mo@example.com');
    const response = await post(browser, '/setup/segment/link', { csrf, password: 'whatever-it-is' });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('change its email to mo@example.com first');
    expect(segment.users.findByTwilioSub(sub('mo@example.com'))).toBeUndefined();
  });

  it('refuses with 409 a Segment user already linked to another Twilio user', async () => {
    const { user: other } = await newTwilioUser(world, 'hal@example.com');
    const { credentials } = await newTwilioUser(world, 'gil@example.com');
    segment.users.create({ email: 'gil@example.com', name: 'Gil', twilioSub: other.id });
    const { browser, html, csrf } = await openSetup(world, 'segment', credentials);
    expect(html).toContain('already linked to a different Twilio login');
    const link = await post(browser, '/setup/segment/link', { csrf, password: 'anything-here' });
    expect(link.status).toBe(409);
    const create = await post(browser, '/setup/segment/create', { csrf, workspace: 'Gil Inc' });
    expect(create.status).toBe(409);
    expect(segment.users.findByEmail('gil@example.com')!.twilioSub).toBe(other.id);
  });

  it('offers linking instead of creating a duplicate when an unlinked Segment user has the email', async () => {
    const { credentials } = await newTwilioUser(world, 'ivy@example.com');
    const ivy = segment.users.create({
      email: 'ivy@example.com',
      name: 'Ivy',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    const response = await post(browser, '/setup/segment/create', { csrf, workspace: 'Ivy Two' });
    expect(response.status).toBe(409);
    const page = await response.text();
    expect(page).toContain('Link it instead');
    expect(page).toContain('>Link Segment user</button>');
    expect(segment.users.findByTwilioSub(sub('ivy@example.com'))).toBeUndefined();
    expect(segment.workspacesOf(ivy.id)).toEqual([]);
  });

  it('links exactly once when the same link is submitted twice at once', async () => {
    const { credentials } = await newTwilioUser(world, 'jo@example.com');
    const jo = segment.users.create({
      email: 'jo@example.com',
      name: 'Jo',
      passwordHash: await hashPassword(SEGMENT_PASSWORD),
    });
    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    const responses = await Promise.all([
      post(browser, '/setup/segment/link', { csrf, password: SEGMENT_PASSWORD }),
      post(browser, '/setup/segment/link', { csrf, password: SEGMENT_PASSWORD }),
    ]);
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    expect(segment.users.findById(jo.id)!.twilioSub).toBe(sub('jo@example.com'));
    expect(world.setups.setupsOf(sub('jo@example.com'))).toHaveLength(1);
  });
});

describe('creating new product users', () => {
  it('creates a free Segment user for Cleo with a new workspace she owns', async () => {
    const { browser, html, csrf } = await openSetup(world, 'segment', CLEO);
    expect(html).toContain('Create a new Segment user');
    expect(html).toContain('<label for="workspace-name">Workspace name</label>');
    expect(html).toContain('value="Cleo&#39;s workspace"');
    const response = await post(browser, '/setup/segment/create', { csrf, workspace: 'Cleo Labs' });
    expect(response.status).toBe(303);
    const home = await land(browser, response.headers.get('location'), world.urls.login);
    expect(home.url.pathname).toMatch(/^\/workspaces\/ws_/);
    expect(home.html).toContain('Cleo Labs');
    expect(home.html).toMatch(/data-testid="workspace-role">Owner</);
    expect(home.html).toMatch(/data-testid="workspace-plan">free</);
    const cleoSegment = segment.users.findByTwilioSub(sub(CLEO.email))!;
    expect(cleoSegment).toMatchObject({ email: CLEO.email, createdVia: 'twilio', passwordHash: undefined });
  });

  it('creates a free SendGrid user for Cleo, and says linking existing SendGrid users is not available', async () => {
    const { browser, html, csrf } = await openSetup(world, 'sendgrid', CLEO);
    expect(html).toContain('Linking an existing SendGrid user is not available.');
    expect(html).toContain('<label for="account-name">Account name</label>');
    expect(html).toContain('>Create SendGrid user</button>');
    const response = await post(browser, '/setup/sendgrid/create', { csrf, account: '' });
    expect(response.status).toBe(303);
    const home = await land(browser, response.headers.get('location'), world.urls.login);
    expect(home.url.pathname).toMatch(/^\/accounts\/acct_/);
    expect(home.html).toContain('Cleo&#39;s account');
    expect(home.html).toMatch(/data-testid="account-role">Admin</);
    expect(home.html).toMatch(/data-testid="account-plan">free</);
    const link = await post(browser, '/setup/sendgrid/link', { csrf, password: 'x' });
    expect(link.status).toBe(400);
    expect(await link.text()).toContain(
      '<div class="alert" role="alert">Existing SendGrid users can&#39;t be linked to a Twilio login. Create a new SendGrid user here instead; your existing one keeps signing in with its own email and password.</div>',
    );
  });

  it("records Cleo's set-ups in the audit trail and shows them on her Console account page", async () => {
    expect(world.setups.setupsOf(sub(CLEO.email))).toEqual([
      expect.objectContaining({ product: 'segment', action: 'created', method: 'new_user' }),
      expect.objectContaining({ product: 'sendgrid', action: 'created', method: 'new_user' }),
    ]);
    const browser = new HeadlessBrowser();
    const callbackUrl = await completeLogin(
      browser,
      `${world.urls.console}/account`,
      `${world.urls.console}/callback`,
      CLEO,
    );
    const account = await land(
      browser,
      (await browser.request(callbackUrl)).headers.get('location'),
      world.urls.console,
    );
    expect(account.url.pathname).toBe('/account');
    expect(account.html).toContain('Linked products');
    expect(account.html).toMatch(/data-testid="setup-segment"[\s\S]*Created new user[\s\S]*Cleo Labs/);
    expect(account.html).toMatch(/data-testid="setup-sendgrid"[\s\S]*Created new user[\s\S]*free plan/);
    expect(account.html).toContain('<a href="/account"');
  });

  it('lists both of Cleo’s products as linked, with her workspace and account', async () => {
    const products = await productsFor(CLEO);
    expect(products.segment).toMatchObject({ status: 'linked', workspaces: [{ name: 'Cleo Labs', role: 'Owner' }] });
    expect(products.sendgrid).toMatchObject({
      status: 'linked',
      workspaces: [{ name: "Cleo's account", role: 'Admin' }],
    });
    expect(products.sendgrid!.url).toBe(products.sendgrid!.workspaces[0]!.url);
    expect(products.sendgrid!.url).toMatch(
      new RegExp(`^${world.urls.sendgrid}/login/twilio\\?next=%2Faccounts%2F[\\w-]+$`),
    );
  });

  it('creates one Segment user and one workspace when the same create is submitted twice at once', async () => {
    const { credentials } = await newTwilioUser(world, 'kit@example.com');
    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    const responses = await Promise.all([
      post(browser, '/setup/segment/create', { csrf, workspace: 'Kit Works' }),
      post(browser, '/setup/segment/create', { csrf, workspace: 'Kit Works' }),
    ]);
    expect(responses.map((response) => response.status)).toEqual([303, 303]);
    const kit = segment.users.findByTwilioSub(sub('kit@example.com'))!;
    expect(segment.workspacesOf(kit.id)).toHaveLength(1);
    expect(world.setups.setupsOf(sub('kit@example.com'))).toHaveLength(1);
  });

  it('explains an existing SendGrid user with the same email instead of failing', async () => {
    const { credentials } = await newTwilioUser(world, 'frank@example.net');
    const { browser, html, csrf } = await openSetup(world, 'sendgrid', credentials);
    expect(html).toContain('A SendGrid user with the email frank@example.net already exists');
    const response = await post(browser, '/setup/sendgrid/create', { csrf, account: 'Frank Two' });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("existing SendGrid users can't be linked");
    expect(sendgrid.users.findByTwilioSub(sub('frank@example.net'))).toBeUndefined();
  });
});

describe('set-up refusals', () => {
  it('refuses a set-up POST without the CSRF token or from another site with 403', async () => {
    const { credentials } = await newTwilioUser(world, 'lea@example.com');
    const { browser, csrf } = await openSetup(world, 'segment', credentials);
    expect((await post(browser, '/setup/segment/create', { workspace: 'X' })).status).toBe(403);
    expect((await post(browser, '/setup/segment/create', { csrf: 'forged', workspace: 'X' })).status).toBe(403);
    const crossSite = await post(
      browser,
      '/setup/segment/create',
      { csrf, workspace: 'X' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await post(
      browser,
      '/setup/segment/create',
      { csrf, workspace: 'X' },
      { origin: 'http://evil.localhost' },
    );
    expect(foreignOrigin.status).toBe(403);
    expect(segment.users.findByTwilioSub(sub('lea@example.com'))).toBeUndefined();
  });

  it('answers a product that does not exist with 404', async () => {
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    expect((await browser.request(`${world.urls.login}/setup/twilio-video`)).status).toBe(404);
    expect((await post(browser, '/setup/flex/create', { csrf: 'x', workspace: 'X' })).status).toBe(404);
  });

  it('refuses Dan, who is not in the limited release, with 403 on GET and POST', async () => {
    const browser = new HeadlessBrowser();
    const callbackUrl = await completeLogin(browser, `${world.urls.console}/`, `${world.urls.console}/callback`, DAN);
    await browser.request(callbackUrl);
    const page = await browser.request(`${world.urls.login}/setup/segment`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('>Request access</button>');
    for (const path of ['/setup/segment/create', '/setup/segment/link', '/setup/sendgrid/create']) {
      const response = await post(browser, path, { csrf: 'whatever', workspace: 'Dan Co', password: 'x' });
      expect(response.status).toBe(403);
    }
    expect(segment.users.findByTwilioSub(sub(DAN.email))).toBeUndefined();
    expect(sendgrid.users.findByTwilioSub(sub(DAN.email))).toBeUndefined();
  });

  it('sends a browser without a Twilio session through the Twilio login first, and refuses its POSTs', async () => {
    const browser = new HeadlessBrowser();
    const page = await browser.request(`${world.urls.login}/setup/segment`);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe(`${world.urls.segment}/login/twilio?next=%2F`);
    expect((await post(browser, '/setup/segment/create', { csrf: 'x', workspace: 'X' })).status).toBe(403);
  });
});

describe('the products API', () => {
  it('reports statuses for Ada, Dan and a new user, and orders workspaces by last visit', async () => {
    const ada = await productsFor(ADA);
    expect(ada.segment).toMatchObject({ status: 'linked', workspaces: [{ id: 'ws_ada_analytics', role: 'Owner' }] });
    expect(ada.sendgrid).toMatchObject({ status: 'not_set_up' });

    const dan = await productsFor(DAN);
    expect(dan.segment).toMatchObject({ status: 'unavailable', note: 'Contact support to request access' });
    expect(dan.sendgrid).toMatchObject({ status: 'unavailable', workspaces: [] });

    // Ada joins a second workspace and visits it: it comes first; visiting Ada Analytics again puts that first.
    const adaSegment = segment.users.findByTwilioSub(sub(ADA.email))!;
    segment.createWorkspace('Second Lab', { id: 'ws_second_lab' });
    segment.addMember('ws_second_lab', adaSegment.id, 'Read-only');
    const { browser } = await continueWithTwilio(world, 'segment', ADA);
    await browser.request(`${world.urls.segment}/workspaces/ws_second_lab`);
    world.advance(1_000);
    expect((await productsFor(ADA)).segment!.workspaces.map((workspace) => workspace.id)).toEqual([
      'ws_second_lab',
      'ws_ada_analytics',
    ]);
    // Choosing Segment itself leads straight to the workspace visited last.
    expect((await productsFor(ADA)).segment!.url).toBe(
      `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_second_lab`,
    );
    await browser.request(`${world.urls.segment}/workspaces/ws_ada_analytics`);
    expect((await productsFor(ADA)).segment!.workspaces).toEqual([
      {
        id: 'ws_ada_analytics',
        name: 'Ada Analytics',
        role: 'Owner',
        url: `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_ada_analytics`,
      },
      {
        id: 'ws_second_lab',
        name: 'Second Lab',
        role: 'Read-only',
        url: `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_second_lab`,
      },
    ]);
  });
});
