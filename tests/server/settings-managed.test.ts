/**
 * An organization's members and addresses in the Console's settings: a member's email is the organization's to
 * change (by SCIM), a member of an organization that enforces SSO has no Twilio password to set, and nobody takes
 * an address on an organization's verified domain — each of these let someone sign in around the organization's
 * identity provider, or as another person (a user who took tom@acme.test was Tom at the next SSO sign-in).
 */
import { describe, expect, it } from 'vitest';
import { UNUSABLE_PASSWORD_HASH } from '../../mock-server/accounts/passwords';
import { DEMO_IDS } from '../../mock-server/seed';
import { acmeConsoleUser } from './organization-page';
import { consoleBrowser, decodeEntities, freshUser, mailbox, openPage, PASSWORD, submit } from './settings';
import { SAM, SUE, ssoConsoleBrowser } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();

const MANAGED_EMAIL = 'Your email is managed by Acme: its administrator changes it.';
const NO_PASSWORD = 'Acme signs you in with its identity provider, so your Twilio login has no password to change.';
const ACME_ADDRESSES =
  'Addresses at acme.test are managed by Acme: its administrator gives them out. Use another email.';

const passwordHashOf = (email: string) => world.users.findCredentials(email)!.passwordHash;
const emailOf = (id: string) => world.users.findById(id)!.email;

describe('a member of an organization that enforces SSO', () => {
  it('sees that Acme manages the email and that there is no password', async () => {
    const browser = await ssoConsoleBrowser(world, SAM);
    const overview = decodeEntities((await openPage(world, browser, '/settings')).html);
    expect(overview).toContain('sam@acme.test · Managed by Acme</dd>');
    expect(overview).toContain('None: you sign in with Acme’s identity provider</dd>');
    expect(overview).not.toContain('href="/settings/password"');
    expect(overview).not.toContain('href="/settings/email"');
    const emailPage = decodeEntities((await openPage(world, browser, '/settings/email')).html);
    expect(emailPage).toContain(`<p>${MANAGED_EMAIL}</p>`);
    expect(emailPage).not.toContain('name="new_email"');
    const passwordPage = decodeEntities((await openPage(world, browser, '/settings/password')).html);
    expect(passwordPage).toContain(`<p>${NO_PASSWORD}</p>`);
    expect(passwordPage).not.toContain('name="new_password"');
  });

  it('cannot give themselves a Twilio password, even right after signing in', async () => {
    const browser = await ssoConsoleBrowser(world, SAM);
    const { response, html } = await submit(world, browser, '/settings/password', {
      new_password: 'my-own-pass-2026',
      confirm_password: 'my-own-pass-2026',
    });
    expect(response.status).toBe(403);
    expect(html).toContain(`role="alert">${NO_PASSWORD}`);
    expect(passwordHashOf(SAM.email)).toBe(UNUSABLE_PASSWORD_HASH);
  });

  it('cannot move their email off the organization, and no mail goes out', async () => {
    const browser = await ssoConsoleBrowser(world, SUE);
    const sue = world.users.findByEmail(SUE.email)!;
    const { response, html } = await submit(world, browser, '/settings/email', { new_email: 'tom@acme.test' });
    expect(response.status).toBe(403);
    expect(html).toContain(`role="alert">${MANAGED_EMAIL}`);
    expect(emailOf(sue.id)).toBe(SUE.email);
    expect((await mailbox(world, 'tom@acme.test')).links).toEqual([]);
  });
});

describe('a member of an organization that does not enforce SSO', () => {
  it('keeps a password of their own, but the email is still the organization’s', async () => {
    world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
    try {
      const { user, browser } = await acmeConsoleUser(world, 'member', 'managed');
      const password = await submit(world, browser, '/settings/password', {
        new_password: 'another-pass-2026',
        confirm_password: 'another-pass-2026',
      });
      expect(password.response.status).toBe(303);
      const email = await submit(world, browser, '/settings/email', { new_email: 'me@example.org' });
      expect(email.response.status).toBe(403);
      expect(email.html).toContain(`role="alert">${MANAGED_EMAIL}`);
      expect(emailOf(user.id)).toBe(user.email);
    } finally {
      world.sso.connections.configure(DEMO_IDS.acme, { enforced: true, allowIdpInitiated: false });
    }
  });
});

describe("an address on an organization's verified domain", () => {
  it('is refused to a user outside the organization, and no mail goes out', async () => {
    const { user, credentials } = await freshUser(world, 'outsider');
    const browser = await consoleBrowser(world, credentials);
    const { response, html } = await submit(world, browser, '/settings/email', {
      new_email: 'tom@acme.test',
      current_password: PASSWORD,
    });
    expect(response.status).toBe(409);
    expect(html).toContain(`role="alert">${ACME_ADDRESSES}`);
    expect(emailOf(user.id)).toBe(credentials.email);
    expect((await mailbox(world, 'tom@acme.test')).links).toEqual([]);
  });

  it('is refused at the confirmation when the domain was verified after the link was sent', async () => {
    const { user, credentials } = await freshUser(world, 'early');
    const browser = await consoleBrowser(world, credentials);
    const asked = await submit(world, browser, '/settings/email', {
      new_email: 'early@newcorp.test',
      current_password: PASSWORD,
    });
    expect(asked.response.status).toBe(303);
    const [link] = (await mailbox(world, 'early@newcorp.test')).links;
    const newcorp = world.organizations.organizations.create({ name: 'Newcorp' });
    world.organizations.organizations.addDomain(newcorp.id, 'newcorp.test', { verified: true });
    const confirmPage = await openPage(world, browser, new URL(link!).pathname + new URL(link!).search);
    const token = /name="token" value="([^"]+)"/.exec(confirmPage.html)![1]!;
    const confirmed = await submit(
      world,
      browser,
      '/settings/email/verify',
      { token },
      { from: new URL(link!).pathname + new URL(link!).search },
    );
    expect(confirmed.response.status).toBe(409);
    expect(confirmed.html).toContain(
      'role="alert">Addresses at newcorp.test are managed by Newcorp: its administrator gives them out. Use another email.',
    );
    expect(emailOf(user.id)).toBe(credentials.email);
  });
});
