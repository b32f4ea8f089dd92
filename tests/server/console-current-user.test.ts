/**
 * The Console shows the signed-in user as they are now, not as the ID token described them at sign-in: a SCIM change
 * of name or email shows at once on the home page, the Account page and the navigation bar (the settings' and the
 * organization page's too), and in what the audit trail records of the admin; so does an email changed in the
 * Console's settings. A user the organization deletes is signed out of the Console.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { csrfTokenIn, type HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser } from './organization-page';
import { PATCH_OP, scimClient } from './scim';
import { consoleBrowser, freshUser, mailbox, PASSWORD, submit } from './settings';
import { SAM, ssoConsoleBrowser } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const scim = await scimClient(world);

async function consolePage(browser: HeadlessBrowser, path: string): Promise<string> {
  const response = await browser.request(`${world.urls.console}${path}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Who a Console page says is signed in: its navigation bar, and the name and email it lists (home, Account). */
async function shownOn(browser: HeadlessBrowser, path: string) {
  const html = await consolePage(browser, path);
  return {
    nav: /<span class="who">([^<]*)<\/span>/.exec(html)?.[1],
    name: /<dt>Name<\/dt><dd[^>]*>([^<]*)<\/dd>/.exec(html)?.[1],
    email: /<dt>Email<\/dt><dd[^>]*>([^<]*)<\/dd>/.exec(html)?.[1],
  };
}

/** A SCIM PATCH of the user's name and email, as Entra sends one. */
async function scimRename(id: string, name: string, email: string) {
  const patched = await scim.send('PATCH', `/Users/${id}`, {
    schemas: [PATCH_OP],
    Operations: [
      { op: 'Replace', path: 'displayName', value: name },
      { op: 'Replace', path: 'emails[type eq "work"].value', value: email },
      { op: 'Replace', path: 'userName', value: email },
    ],
  });
  expect(patched.status).toBe(200);
}

describe('a change by SCIM, while the user is signed in to the Console', () => {
  it('shows sam’s new name and email at once on the home page, the Account page and every navigation bar', async () => {
    const sam = world.users.findByEmail(SAM.email)!;
    const browser = await ssoConsoleBrowser(world, SAM);
    expect(await shownOn(browser, '/')).toEqual({ nav: 'Sam Rivera', name: 'Sam Rivera', email: 'sam@acme.test' });

    await scimRename(sam.id, 'Samuel Renamed', 'samuel@acme.test');

    const renamed = { nav: 'Samuel Renamed', name: 'Samuel Renamed', email: 'samuel@acme.test' };
    expect(await shownOn(browser, '/')).toEqual(renamed);
    expect(await consolePage(browser, '/')).toContain('<h1>Welcome, Samuel</h1>');
    expect(await shownOn(browser, '/account')).toEqual(renamed);
    expect((await shownOn(browser, '/settings')).nav).toBe('Samuel Renamed');
  });
});

describe('an Acme admin with a Twilio password', () => {
  // These sign in with their Twilio passwords: Acme does not enforce SSO from here on.
  beforeAll(() => world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false }));

  it('renamed by SCIM, is named so on the organization page and recorded at the new email in its audit trail', async () => {
    const { user, browser } = await acmeConsoleUser(world, 'admin', 'renamed');
    await scimRename(user.id, 'Renamed Admin', `renamed.${user.email}`);
    const page = await consolePage(browser, '/organization');
    expect(/<span class="who">([^<]*)<\/span>/.exec(page)?.[1]).toBe('Renamed Admin');

    const claimed = await browser.request(`${world.urls.console}/organization/domains`, {
      form: { csrf: csrfTokenIn(page), domain: 'renamed-admin.test' },
    });
    expect(claimed.status).toBe(303);
    const audit = world.organizations.audit.latest(DEMO_IDS.acme, 1)[0];
    expect(audit?.details).toBe(`renamed.${user.email} added the domain renamed-admin.test`);
  });

  it('deleted by SCIM, is signed out of the Console: its pages send the browser to the Twilio login', async () => {
    const { user, browser } = await acmeConsoleUser(world, 'member', 'deleted');
    expect((await shownOn(browser, '/')).email).toBe(user.email);
    expect((await scim.send('DELETE', `/Users/${user.id}`)).status).toBe(204);
    for (const path of ['/', '/account']) {
      const response = await browser.request(`${world.urls.console}${path}`);
      expect({ status: response.status, origin: new URL(response.headers.get('location') ?? '').origin }).toEqual({
        status: 303,
        origin: world.urls.login,
      });
    }
  });
});

describe('an email changed in the Console’s settings', () => {
  it('shows at once on the home page, the Account page and the navigation bar', async () => {
    const { user, credentials } = await freshUser(world, 'own-change');
    const browser = await consoleBrowser(world, credentials);
    const newEmail = `changed-${Date.now()}@example.org`;
    const requested = await submit(world, browser, '/settings/email', {
      new_email: newEmail,
      current_password: PASSWORD,
    });
    expect(requested.response.status).toBe(303);
    const [link] = (await mailbox(world, newEmail)).links;
    const token = new URL(link!).searchParams.get('token')!;
    const confirmPage = await consolePage(browser, `/settings/email/verify?token=${encodeURIComponent(token)}`);
    const confirmed = await browser.request(`${world.urls.console}/settings/email/verify`, {
      form: { csrf: csrfTokenIn(confirmPage), token },
    });
    expect(confirmed.status).toBe(303);

    const shown = { nav: user.name, name: user.name, email: newEmail };
    expect(await shownOn(browser, '/')).toEqual(shown);
    expect(await shownOn(browser, '/account')).toEqual(shown);
  });
});
