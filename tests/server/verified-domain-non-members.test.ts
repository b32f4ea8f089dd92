/**
 * Twilio users who had an address on a domain before an organization verified it (Cleo moved to cleo@newco.test,
 * then Acme verified newco.test, with SSO enforced). She is no member: she keeps her password sign-in, and an
 * address of nobody on that domain gets the very same answer, so the email step is no oracle of who has a Twilio
 * login. Members still go to the IdP, at the email step and at the password POST alike. Acme's SCIM creating her
 * userName takes her in (the same user, her products and links untouched; audited, mailed) instead of a 409;
 * a member of another organization, or an address on a domain Acme only claimed, is refused as before.
 */
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { listMail } from '../../mock-server/mailbox/mailbox';
import { DomainVerification, txtRecordName, txtRecordValue } from '../../mock-server/organizations/domain-verification';
import { SCIM_BASE_PATH } from '../../mock-server/scim/routes';
import { DEMO_IDS } from '../../mock-server/seed';
import { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../../scripts/lib/oidc-clients';
import { completeSsoLogin } from '../../scripts/lib/saml-browser';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { PATCH_OP, scimClient, scimError, USER_SCHEMA } from './scim';
import { canLogIn, consoleBrowser, freshUser, mailbox, openPage, PASSWORD, submit } from './settings';
import { ACME_PASSWORD, SAM } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const { organizations, audit, dns } = world.organizations;
const domains = new DomainVerification(organizations, dns);
const ida = world.users.findByEmail('ida@acme.test')!;
const scimBase = `${world.issuer}${SCIM_BASE_PATH}`;

let domainCounter = 0;
/** A domain of its own for each test, so that one test's verification does not change another's. */
const newDomain = () => `newco${++domainCounter}-${Date.now().toString(36)}.test`;

/** Acme claims `domain`, publishes its TXT record on the demo DNS and verifies it, as ida does in the Console. */
function acmeVerifies(domain: string): void {
  const claimed = domains.claim(DEMO_IDS.acme, domain);
  dns.publish(txtRecordName(domain), txtRecordValue(claimed.verificationToken!));
  expect(domains.verify(DEMO_IDS.acme, domain, ida.id).verified).toBe(true);
}

/**
 * Cleo: a Twilio user of no organization who changed her email to `local@domain` in the Console settings (the link
 * sent to the new address opened and confirmed) while no organization had claimed that domain.
 */
async function userWhoMovedTo(local: string, domain: string) {
  const { user } = await freshUser(world, local);
  const browser = await consoleBrowser(world, { email: user.email, password: PASSWORD });
  const email = `${local}@${domain}`;
  const asked = await submit(world, browser, '/settings/email', { new_email: email, current_password: PASSWORD });
  expect(asked.response.status).toBe(303);
  const [link] = (await mailbox(world, email)).links;
  const from = new URL(link!).pathname + new URL(link!).search;
  const token = /name="token" value="([^"]+)"/.exec((await openPage(world, browser, from)).html)![1]!;
  const confirmed = await submit(world, browser, '/settings/email/verify', { token }, { from });
  expect(confirmed.response.status).toBe(303);
  expect(world.users.findById(user.id)).toMatchObject({ email, organizationId: undefined });
  return { user: world.users.findById(user.id)!, credentials: { email, password: PASSWORD }, browser };
}

/** The parts of a sign-in page that differ by sign-in (the interaction, its CSRF token) or by `email`, masked. */
function masked(text: string, login: { interactionUrl: URL; csrf: string }, email: string): string {
  const uid = login.interactionUrl.pathname.split('/').pop()!;
  return text.replaceAll(uid, '<uid>').replaceAll(login.csrf, '<csrf>').replaceAll(email, '<email>');
}

/** What the email step answers for `email`: status, redirect, content type and page, per-sign-in parts masked. */
async function emailStep(email: string) {
  const login = await openLogin(world);
  const response = await login.browser.request(`${login.interactionUrl.href}/identify`, {
    form: { csrf: login.csrf, email },
  });
  return {
    status: response.status,
    location: masked(response.headers.get('location') ?? '', login, email),
    contentType: response.headers.get('content-type'),
    page: masked(await response.text(), login, email),
  };
}

/** The email step, then a password POST for `email`: how the POST answers and the sign-in page it leads back to. */
async function passwordStep(email: string, password: string) {
  const login = await openLogin(world);
  await login.browser.request(`${login.interactionUrl.href}/identify`, { form: { csrf: login.csrf, email } });
  const response = await submitPassword(login, { email, password });
  const location = response.headers.get('location') ?? '';
  const next = location.startsWith(login.interactionUrl.pathname)
    ? masked(await (await login.browser.request(login.interactionUrl)).text(), login, email)
    : undefined;
  return { login, response, status: response.status, location: masked(location, login, email), next };
}

const SSO_LINK = '<a href="/interaction/<uid>/sso">Sign in with Acme single sign-on</a>';
const SSO_REQUIRED = 'Your organization signs you in with single sign-on';
const WRONG = 'Email or password is incorrect.';

/** A SCIM User body for `email`, as Okta would send it for Cleo. */
const cleoBody = (email: string, overrides: object = {}) => ({
  schemas: [USER_SCHEMA],
  userName: email,
  name: { givenName: 'Cleo', familyName: 'Park' },
  displayName: 'Cleo Park',
  emails: [{ primary: true, value: email, type: 'work' }],
  externalId: `okta-${email}`,
  active: true,
  ...overrides,
});

const byUserName = (email: string) => `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`;
const tookInMails = (email: string) =>
  listMail(world.db, { to: email }).filter((mail) => mail.kind === 'organization_took_in');
const eventsFor = (userId: string) => audit.latest(DEMO_IDS.acme, 500).filter((e) => e.targetUserId === userId);

describe('a Twilio user on a domain Acme verified (SSO enforced) after she took her address', () => {
  it('keeps her password sign-in; the password step offers Acme’s SSO beside it', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    expect(world.sso.connections.find(DEMO_IDS.acme)?.enforced).toBe(true);

    const step = await emailStep(cleo.user.email);
    expect({ status: step.status, location: step.location }).toEqual({ status: 200, location: '' });
    expect(step.page).toContain('value="<email>" readonly');
    expect(step.page).toContain('name="password"');
    expect(step.page).toContain(SSO_LINK);

    const signIn = await passwordStep(cleo.user.email, PASSWORD);
    const { code } = await codeAfter(signIn.login, signIn.response);
    expect(code).toEqual(expect.any(String));
    expect(await canLogIn(world, cleo.credentials)).toBe(true);
    // Her Console settings are hers: no organization manages her.
    const settings = (await openPage(world, cleo.browser, '/settings')).html;
    expect(settings).toContain('/settings/password">Change password</a>');
    expect(settings).not.toContain('Managed by Acme');
  });

  it('answers an address of nobody on that domain exactly as hers, at the email step and for a wrong password', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    const nobody = `nobody@${domain}`;

    expect(await emailStep(nobody)).toEqual(await emailStep(cleo.user.email));

    const hers = await passwordStep(cleo.user.email, 'not-her-password');
    const theirs = await passwordStep(nobody, 'not-her-password');
    expect({ status: theirs.status, location: theirs.location, next: theirs.next }).toEqual({
      status: hers.status,
      location: hers.location,
      next: hers.next,
    });
    expect(hers.status).toBe(303);
    expect(hers.next).toContain(WRONG);
    expect(hers.next).not.toContain(SSO_REQUIRED);
  });

  it('still sends a member to the IdP at the email step, and refuses a member’s password unchecked', async () => {
    const step = await emailStep(SAM.email);
    expect({ status: step.status, location: step.location }).toEqual({
      status: 303,
      location: '/interaction/<uid>/sso',
    });
    // sam has no Twilio password; even the right one of another user is not looked at.
    const password = await passwordStep(SAM.email, PASSWORD);
    expect(password.status).toBe(303);
    expect(password.next).toContain(SSO_REQUIRED);
    expect(password.next).not.toContain(WRONG);
  });

  it('decides the same at the email step and at the password POST for every kind of address on the domain', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    const deactivated = await scim.send('POST', '/Users', cleoBody(`off@${domain}`, { active: false }));
    const deleted = await scim.send('POST', '/Users', cleoBody(`gone@${domain}`));
    expect((await scim.send('DELETE', `/Users/${deleted.body.id}`)).status).toBe(204);
    const member = await scim.send('POST', '/Users', cleoBody(`member@${domain}`));
    expect([deactivated.status, member.status]).toEqual([201, 201]);

    const cases = {
      member: member.body.userName,
      'deactivated member': deactivated.body.userName,
      'user deleted by SCIM': deleted.body.userName,
      'Twilio user of no organization': cleo.user.email,
      'address of nobody': `nobody@${domain}`,
    };
    const decided: Record<string, { emailStep: string; passwordPost: string }> = {};
    for (const [who, email] of Object.entries(cases)) {
      const step = await emailStep(email);
      const password = await passwordStep(email, 'a-wrong-password');
      decided[who] = {
        emailStep: step.status === 303 && step.location.endsWith('/sso') ? 'idp' : 'password',
        passwordPost: password.next?.includes(SSO_REQUIRED) ? 'idp' : password.next?.includes(WRONG) ? 'refused' : '?',
      };
    }
    expect(decided).toEqual({
      member: { emailStep: 'idp', passwordPost: 'idp' },
      'deactivated member': { emailStep: 'idp', passwordPost: 'idp' },
      'user deleted by SCIM': { emailStep: 'password', passwordPost: 'refused' },
      'Twilio user of no organization': { emailStep: 'password', passwordPost: 'refused' },
      'address of nobody': { emailStep: 'password', passwordPost: 'refused' },
    });
  });
});

describe('Acme’s SCIM creating her userName takes her in', () => {
  it('answers 201 with her resource as for a new user: the same id, the SCIM attributes, products and links untouched', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    const segmentUser = world.products.segment.users.create({
      email: cleo.user.email,
      name: 'Cleo',
      twilioSub: cleo.user.id,
    });
    const passwordHash = world.users.findCredentials(cleo.user.email)!.passwordHash;
    acmeVerifies(domain);
    expect((await scim.send('GET', byUserName(cleo.user.email))).body.totalResults).toBe(0);

    const created = await scim.send('POST', '/Users', cleoBody(cleo.user.email));
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${scimBase}/Users/${cleo.user.id}`);
    expect(created.headers.get('etag')).toBe(created.body.meta.version);
    expect(created.body).toEqual({
      schemas: [USER_SCHEMA],
      id: cleo.user.id,
      externalId: `okta-${cleo.user.email}`,
      userName: cleo.user.email,
      name: { formatted: 'Cleo Park', givenName: 'Cleo', familyName: 'Park' },
      displayName: 'Cleo Park',
      emails: [{ value: cleo.user.email, type: 'work', primary: true }],
      active: true,
      groups: [],
      meta: {
        resourceType: 'User',
        created: new Date(cleo.user.createdAt).toISOString(),
        lastModified: expect.any(String),
        location: `${scimBase}/Users/${cleo.user.id}`,
        version: expect.stringMatching(/^W\/"\d+"$/),
      },
    });
    // The same shape as a brand-new user's answer.
    const brandNew = await scim.send('POST', '/Users', cleoBody(`new@${domain}`));
    expect(brandNew.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(Object.keys(brandNew.body).sort());
    expect((await scim.send('GET', `/Users/${cleo.user.id}`)).body).toEqual(created.body);
    expect((await scim.send('GET', byUserName(cleo.user.email))).body.totalResults).toBe(1);

    // The same Twilio user, now Acme's member; her password, products and links are as they were.
    expect(world.users.findById(cleo.user.id)).toMatchObject({
      email: cleo.user.email,
      name: 'Cleo Park',
      organizationId: DEMO_IDS.acme,
      organizationRole: 'member',
      active: true,
      eligible: cleo.user.eligible,
      createdAt: cleo.user.createdAt,
    });
    expect(world.users.findCredentials(cleo.user.email)!.passwordHash).toBe(passwordHash);
    expect(world.products.segment.users.findByTwilioSub(cleo.user.id)).toMatchObject({
      id: segmentUser.id,
      email: cleo.user.email,
    });
    expect(organizations.members(DEMO_IDS.acme).map((m) => m.id)).toContain(cleo.user.id);

    expect(eventsFor(cleo.user.id)).toEqual([
      expect.objectContaining({
        actor: 'scim:scim_acme_demo',
        action: 'user_provisioned',
        details: `Took in existing Twilio user ${cleo.user.email}`,
      }),
    ]);
    const [mail] = tookInMails(cleo.user.email);
    expect(mail).toMatchObject({
      to: cleo.user.email,
      subject: 'Acme now manages your Twilio login',
      body: expect.stringContaining(`Acme verified the domain of ${cleo.user.email}`),
    });
    expect(mail!.body).toContain('Your Segment and SendGrid users, workspaces and settings stay as they are.');
    expect(tookInMails(cleo.user.email)).toHaveLength(1);
  });

  it('makes her a member from then on: the IdP at the email step, her password refused, signed in by SSO as herself', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    expect((await scim.send('POST', '/Users', cleoBody(cleo.user.email))).status).toBe(201);

    const step = await emailStep(cleo.user.email);
    expect({ status: step.status, location: step.location }).toEqual({
      status: 303,
      location: '/interaction/<uid>/sso',
    });
    const password = await passwordStep(cleo.user.email, PASSWORD);
    expect(password.next).toContain(SSO_REQUIRED);
    expect(await canLogIn(world, cleo.credentials)).toBe(false);
    const settings = (await openPage(world, cleo.browser, '/settings')).html;
    expect(settings).toContain('Managed by Acme');

    // Acme's IT adds her to its IdP: she signs in there, as the same Twilio user.
    world.db
      .prepare('INSERT INTO acme_idp_users (email, name, password_hash) VALUES (?, ?, ?)')
      .run(cleo.user.email, 'Cleo Park', await hashPassword(ACME_PASSWORD));
    const config = await extensionClient(world);
    const nonce = oidc.randomNonce();
    const { url, codeVerifier } = await extensionAuthorization(config, { state: 'cleo-sso', nonce });
    const callback = await completeSsoLogin(new HeadlessBrowser(), url, EXTENSION_REDIRECT_URI, {
      email: cleo.user.email,
      idpPassword: ACME_PASSWORD,
    });
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: codeVerifier,
      expectedState: 'cleo-sso',
      expectedNonce: nonce,
    });
    expect(tokens.claims()).toMatchObject({ sub: cleo.user.id, amr: ['fed'] });
  });

  it('takes her in inactive when SCIM says active: false, and signs her out everywhere', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    expect((await cleo.browser.request(`${world.urls.console}/settings`)).status).toBe(200);

    const created = await scim.send('POST', '/Users', cleoBody(cleo.user.email, { active: false }));
    expect({ status: created.status, id: created.body.id, active: created.body.active }).toEqual({
      status: 201,
      id: cleo.user.id,
      active: false,
    });
    expect(eventsFor(cleo.user.id)[0]?.details).toBe(`Took in existing Twilio user ${cleo.user.email} (inactive)`);
    const consoleHome = await cleo.browser.request(`${world.urls.console}/`);
    expect(consoleHome.status).toBe(303);
    expect(consoleHome.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/auth\\?`));
    expect(await canLogIn(world, cleo.credentials)).toBe(false);
  });

  it('is undone by nothing but SCIM: DELETE makes her a deleted user, creating her again brings the same user back', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    world.products.segment.users.create({ email: cleo.user.email, name: 'Cleo', twilioSub: cleo.user.id });
    acmeVerifies(domain);
    expect((await scim.send('POST', '/Users', cleoBody(cleo.user.email))).status).toBe(201);
    expect((await scim.send('DELETE', `/Users/${cleo.user.id}`)).status).toBe(204);

    // Deleted: no member, signed in nowhere, and answered as an address of nobody.
    expect(organizations.deletedUsers(DEMO_IDS.acme).map((user) => user.id)).toContain(cleo.user.id);
    expect(await canLogIn(world, cleo.credentials)).toBe(false);
    expect(await emailStep(cleo.user.email)).toEqual(await emailStep(`nobody@${domain}`));

    const again = await scim.send('POST', '/Users', cleoBody(cleo.user.email));
    expect({ status: again.status, id: again.body.id }).toEqual({ status: 201, id: cleo.user.id });
    expect(eventsFor(cleo.user.id)[0]?.details).toBe(`Provisioned again ${cleo.user.email}`);
    expect(tookInMails(cleo.user.email)).toHaveLength(1);
    expect(world.products.segment.users.findByTwilioSub(cleo.user.id)?.email).toBe(cleo.user.email);
  });

  it('gives her email up once deleted, as any deleted user does, to a live member who takes it', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    acmeVerifies(domain);
    expect((await scim.send('POST', '/Users', cleoBody(cleo.user.email))).status).toBe(201);
    expect((await scim.send('DELETE', `/Users/${cleo.user.id}`)).status).toBe(204);
    const taker = await scim.send('POST', '/Users', cleoBody(`taker@${domain}`));

    const patch = await scim.send('PATCH', `/Users/${taker.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Replace', path: 'userName', value: cleo.user.email },
        { op: 'Replace', path: 'emails[type eq "work"].value', value: cleo.user.email },
      ],
    });
    expect({ status: patch.status, userName: patch.body.userName }).toEqual({
      status: 200,
      userName: cleo.user.email,
    });
    expect(world.users.findById(cleo.user.id)?.email).toBe(`${cleo.user.id.toLowerCase()}@deleted.invalid`);
    // Her address is the live member's now: creating it is a clash the client can see.
    const again = await scim.send('POST', '/Users', cleoBody(cleo.user.email, { externalId: 'another' }));
    expect({ status: again.status, body: again.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', `A user with userName ${cleo.user.email} already exists.`),
    });
  });
});

describe('what SCIM still refuses', () => {
  it('answers 409 uniqueness for a member of another organization, and changes nothing', async () => {
    const domain = newDomain();
    const globex = organizations.create({ name: `Globex ${domain}` });
    const { user } = await freshUser(world, 'globex');
    const email = `hank@${domain}`;
    world.db.prepare('UPDATE users SET email = ? WHERE id = ?').run(email, user.id);
    organizations.addMember(globex.id, user.id);
    acmeVerifies(domain);
    const before = world.users.findById(user.id);
    const eventsBefore = audit.latest(DEMO_IDS.acme, 500).length;

    const response = await scim.send('POST', '/Users', cleoBody(email));
    expect({ status: response.status, body: response.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', `A user with userName ${email} already exists.`),
    });
    expect(world.users.findById(user.id)).toEqual(before);
    expect(world.users.findById(user.id)?.organizationId).toBe(globex.id);
    expect(audit.latest(DEMO_IDS.acme, 500)).toHaveLength(eventsBefore);
    expect(tookInMails(email)).toEqual([]);
  });

  it('answers a user on a domain Acme only claimed (not verified) as before: 400, Twilio error 25017', async () => {
    const domain = newDomain();
    const cleo = await userWhoMovedTo('cleo', domain);
    domains.claim(DEMO_IDS.acme, domain);
    const before = world.users.findById(cleo.user.id);

    const response = await scim.send('POST', '/Users', cleoBody(cleo.user.email));
    expect({ status: response.status, body: response.body }).toEqual({
      status: 400,
      body: scimError(
        400,
        'invalidValue',
        `The email domain is unverified (Twilio error 25017): ${domain} is not a verified domain of this organization.`,
      ),
    });
    expect(world.users.findById(cleo.user.id)).toEqual(before);
    expect(tookInMails(cleo.user.email)).toEqual([]);
    expect(await canLogIn(world, cleo.credentials)).toBe(true);
  });

  it('answers 409 uniqueness for Acme’s own live member, as before', async () => {
    const response = await scim.send('POST', '/Users', cleoBody(SAM.email));
    expect({ status: response.status, body: response.body }).toEqual({
      status: 409,
      body: scimError(409, 'uniqueness', `A user with userName ${SAM.email} already exists.`),
    });
    expect(tookInMails(SAM.email)).toEqual([]);
  });
});
