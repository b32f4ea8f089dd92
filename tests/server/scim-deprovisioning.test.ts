import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { hashPassword } from '../../mock-server/accounts/passwords';
import { localhostFetch } from '../../mock-server/net';
import { DEMO_IDS } from '../../mock-server/seed';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { codeAfter, openLogin, submitPassword } from './login-page';
import { continueWithTwilio } from './products';
import { PATCH_OP, scimClient } from './scim';
import { consoleBrowser } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);
const { segment, sendgrid } = world.products;

let counter = 0;
/**
 * An Acme member signed in everywhere: the Console, Segment and SendGrid (linked product users with a workspace
 * and an account), and the extension. Acme's demo members sign in only by SSO; this one has a password of its own
 * so the test can sign in through the Twilio login's password step.
 */
async function memberSignedInEverywhere() {
  counter += 1;
  const credentials = { email: `leaver${counter}@acme.test`, password: 'leaver-pass-2026' };
  const user = world.users.create({
    email: credentials.email,
    name: 'Lee Leaver',
    passwordHash: await hashPassword(credentials.password),
  });
  world.organizations.organizations.addMember(DEMO_IDS.acme, user.id);
  const segmentUser = segment.users.create({ email: user.email, name: user.name, twilioSub: user.id });
  const workspace = segment.createWorkspace(`Leaver Workspace ${counter}`);
  segment.addMember(workspace.id, segmentUser.id, 'Owner');
  const sendgridUser = sendgrid.users.create({ email: user.email, name: user.name, twilioSub: user.id });
  const account = sendgrid.createAccount(`Leaver Mail ${counter}`);
  sendgrid.addTeammate(account.id, sendgridUser.id, 'Admin');

  const browser = await consoleBrowser(world, credentials);
  expect((await continueWithTwilio(world, 'segment', credentials, { browser })).response.status).toBe(303);
  expect((await continueWithTwilio(world, 'sendgrid', credentials, { browser })).response.status).toBe(303);
  const extension = await signInAsExtension(world, credentials);
  return { user, credentials, browser, extension, segmentUser, sendgridUser };
}

const me = (token: string) =>
  localhostFetch(`${world.urls.login}${API_PATHS.me}`, { headers: { authorization: `Bearer ${token}` } });
const count = (sql: string, ...params: string[]) => (world.db.prepare(sql).get(...params) as { n: number }).n;
const oidcModels = (model: string, userId: string) =>
  count(
    `SELECT COUNT(*) AS n FROM oidc_models WHERE model = ? AND json_extract(payload, '$.accountId') = ?`,
    model,
    userId,
  );
/** What is left of the user's sign-ins: IdP sessions, grants, Console sessions, Segment and SendGrid sessions. */
const sessionsOf = (userId: string) => ({
  idp: oidcModels('Session', userId),
  grants: oidcModels('Grant', userId),
  console: count(
    `SELECT COUNT(*) AS n FROM rp_sessions WHERE site = 'console' AND json_extract(data, '$.sub') = ?`,
    userId,
  ),
  products: count(
    `SELECT COUNT(*) AS n FROM product_sessions s WHERE s.user_id IN
      (SELECT id FROM segment_users WHERE twilio_sub = ? UNION SELECT id FROM sendgrid_users WHERE twilio_sub = ?)`,
    userId,
    userId,
  ),
});

async function expectSignedOutEverywhere(signedIn: Awaited<ReturnType<typeof memberSignedInEverywhere>>) {
  const { user, browser, extension } = signedIn;
  expect(sessionsOf(user.id)).toEqual({ idp: 0, grants: 0, console: 0, products: 0 });
  const consoleHome = await browser.request(`${world.urls.console}/`);
  expect(consoleHome.status).toBe(303);
  expect(consoleHome.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/auth\\?`));
  for (const product of ['segment', 'sendgrid'] as const) {
    const home = await browser.request(`${world.urls[product]}/settings`);
    expect(home.status).toBe(303);
    expect(home.headers.get('location')).toMatch(/^\/login/);
  }
  expect((await me(extension.tokens.access_token)).status).toBe(401);
  await expect(oidc.refreshTokenGrant(extension.config, extension.tokens.refresh_token!)).rejects.toMatchObject({
    error: 'invalid_grant',
  });
}

async function passwordLoginCode(credentials: { email: string; password: string }) {
  const login = await openLogin(world);
  return (await codeAfter(login, await submitPassword(login, credentials))).code;
}

describe('deprovisioning by SCIM', () => {
  it('active:false signs the user out of the Console, Segment, SendGrid and the extension; reactivation restores access', async () => {
    const signedIn = await memberSignedInEverywhere();
    const { user, credentials, segmentUser, sendgridUser } = signedIn;
    expect(sessionsOf(user.id)).toMatchObject({ console: 1, products: 2 });

    const response = await scim.send('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(response.status).toBe(200);
    await expectSignedOutEverywhere(signedIn);

    // Cannot sign in again anywhere; the product users keep their workspaces and roles.
    const login = await openLogin(world);
    const refused = await submitPassword(login, credentials);
    expect(refused.headers.get('location')).toBe(login.interactionUrl.pathname);
    await expect(signInAsExtension(world, credentials)).rejects.toThrow();
    expect(segment.workspacesOf(segmentUser.id).map(({ role }) => role)).toEqual(['Owner']);
    expect(sendgrid.accountsOf(sendgridUser.id).map(({ role }) => role)).toEqual(['Admin']);

    await scim.send('PATCH', `/Users/${user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(await passwordLoginCode(credentials)).toEqual(expect.any(String));
    const back = await continueWithTwilio(world, 'segment', credentials);
    expect(back.response.status).toBe(303);
    expect((await back.browser.request(`${world.urls.segment}/settings`)).status).toBe(200);
  });

  it('DELETE signs the user out everywhere too, and a new SCIM create brings the same user back', async () => {
    const signedIn = await memberSignedInEverywhere();
    expect((await scim.send('DELETE', `/Users/${signedIn.user.id}`)).status).toBe(204);
    await expectSignedOutEverywhere(signedIn);
    expect(await passwordLoginCode(signedIn.credentials)).toBeNull();

    const again = await scim.send('POST', '/Users', {
      userName: signedIn.user.email,
      emails: [{ value: signedIn.user.email, primary: true }],
    });
    expect(again.body).toMatchObject({ id: signedIn.user.id, active: true });
    expect(await passwordLoginCode(signedIn.credentials)).toEqual(expect.any(String));
  });

  it('records who provisioned, changed, deactivated, reactivated and deleted a user in the audit trail', async () => {
    const email = 'audited@acme.test';
    const created = (await scim.send('POST', '/Users', { userName: email, emails: [{ value: email, primary: true }] }))
      .body;
    const replace = (value: object) =>
      scim.send('PATCH', `/Users/${created.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value }] });
    await replace({ displayName: 'Audited Person' });
    await replace({ active: false });
    await replace({ active: true });
    await scim.send('DELETE', `/Users/${created.id}`);
    const events = world.organizations.audit
      .latest(DEMO_IDS.acme)
      .filter((event) => event.targetUserId === created.id)
      .reverse();
    expect(events.map(({ actor, action, details }) => ({ actor, action, details }))).toEqual([
      { actor: 'scim:scim_acme_demo', action: 'user_provisioned', details: 'Provisioned audited@acme.test' },
      { actor: 'scim:scim_acme_demo', action: 'user_updated', details: 'Updated audited@acme.test (name)' },
      { actor: 'scim:scim_acme_demo', action: 'user_deactivated', details: 'Deactivated audited@acme.test' },
      { actor: 'scim:scim_acme_demo', action: 'user_reactivated', details: 'Reactivated audited@acme.test' },
      { actor: 'scim:scim_acme_demo', action: 'user_deleted', details: 'Deleted audited@acme.test (deprovisioned)' },
    ]);
  });
});
