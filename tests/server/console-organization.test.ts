import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser, expectInlineRefusal } from './organization-page';
import { PATCH_OP, scimClient, scimToken } from './scim';
import { consoleBrowser } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
// The admins and members made here have Twilio passwords: Acme does not enforce SSO in this file.
world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
const acmeBrowser = (role: 'admin' | 'member') => acmeConsoleUser(world, role, 'org');

const organizationPage = async (browser: HeadlessBrowser) => {
  const response = await browser.request(`${world.urls.console}/organization`);
  return { status: response.status, html: await response.text() };
};

describe("the Console's organization page", () => {
  it("shows an admin Acme's verified domain, the SSO section, SCIM apps and members with their status", async () => {
    const { browser } = await acmeBrowser('admin');
    const home = await (await browser.request(`${world.urls.console}/`)).text();
    expect(home).toContain('<a href="/organization">Manage your organization</a>');
    const { status, html } = await organizationPage(browser);
    expect(status).toBe(200);
    expect(html).toContain('<h1>Organization: Acme</h1>');
    expect(html).toMatch(/<tr data-testid="domain-acme\.test"><th scope="row">acme\.test<\/th><td>Verified<\/td>/);
    expect(html).toContain('<section class="card" id="sso" aria-labelledby="sso-heading"');
    expect(html).toContain('action="/organization/sso/idp"');
    expect(html).toContain('<code>scim_acme_demo</code>');
    expect(html).not.toContain('acme-scim-demo-secret-2026');
    expect(html).toMatch(
      /<tr data-testid="member-sam@acme\.test"><th scope="row">sam@acme\.test<\/th><td>Sam Rivera<\/td>\s*<td>Member<\/td><td>Active<\/td>\s*<td>SSO only<\/td><\/tr>/,
    );
    expect(html).toMatch(/<tr data-testid="member-ida@acme\.test">[\s\S]*?<td>Admin<\/td><td>Active<\/td>/);
  });

  it('creates a SCIM app whose secret is shown once and works at once, and deletes it', async () => {
    const { browser } = await acmeBrowser('admin');
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    const created = await browser.request(`${world.urls.console}/organization/scim-apps`, {
      form: { csrf, name: 'Okta <prod>' },
    });
    expect(created.status).toBe(303);
    expect(created.headers.get('location')).toBe('/organization#scim');
    const shown = (await organizationPage(browser)).html;
    const secret = /Client secret<\/dt><dd><code>([^<]+)<\/code>/.exec(shown)?.[1];
    const clientId = /Client id<\/dt><dd><code>([^<]+)<\/code>/.exec(shown)?.[1];
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(shown).toContain('<th scope="row">Okta &lt;prod&gt;</th>');
    // Revoking asks first: the button that posts is inside a disclosure that says what revoking does.
    expect(shown).toContain(
      `<td><details class="confirm"><summary aria-label="Revoke Okta &lt;prod&gt;">Revoke</summary>
<p>Revoke Okta &lt;prod&gt;? Its secret and every token it was given stop working at once; provisioning through it stops.</p>
<form method="post" action="/organization/scim-apps/${clientId}/delete">`,
    );
    expect((await organizationPage(browser)).html).not.toContain(secret!);

    const scim = await scimClient(world, await scimToken(world, { clientId: clientId!, clientSecret: secret! }));
    expect((await scim.send('GET', '/Users?count=1')).status).toBe(200);

    const deleted = await browser.request(`${world.urls.console}/organization/scim-apps/${clientId}/delete`, {
      form: { csrf },
    });
    expect(deleted.status).toBe(303);
    const appsTable = /<table data-testid="scim-apps">[\s\S]*?<\/table>/.exec(
      (await organizationPage(browser)).html,
    )?.[0];
    expect(appsTable).toContain('scim_acme_demo');
    expect(appsTable).not.toContain(clientId!);
    expect((await scim.send('GET', '/Users?count=1')).status).toBe(401);
    const events = world.organizations.audit.latest(DEMO_IDS.acme, 5).map((event) => event.action);
    expect(events.slice(0, 2)).toEqual(['scim_app_deleted', 'scim_app_created']);
  });

  it('shows a refused SCIM app name again inline (400), keeping what was typed, and creates nothing', async () => {
    const { browser } = await acmeBrowser('admin');
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    const before = world.organizations.scimApps.list(DEMO_IDS.acme).length;
    const long = 'x'.repeat(81);
    for (const [name, message] of [
      ['   ', 'Give the SCIM app a name.'],
      [long, 'Use a name of at most 80 characters on one line.'],
      ['Provisioning\u202E ppa', 'Use a name without invisible or text-direction characters.'],
    ] as const) {
      const response = await browser.request(`${world.urls.console}/organization/scim-apps`, { form: { csrf, name } });
      await expectInlineRefusal(response, {
        status: 400,
        errorId: 'scim-app-error',
        code: 'invalid_request',
        message,
        typed: name.trim(),
      });
    }
    expect(world.organizations.scimApps.list(DEMO_IDS.acme)).toHaveLength(before);
  });

  it('shows a member deactivated by SCIM as deactivated', async () => {
    const { browser } = await acmeBrowser('admin');
    const leaver = await acmeBrowser('member');
    const scim = await scimClient(world);
    await scim.send('PATCH', `/Users/${leaver.user.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect((await organizationPage(browser)).html).toMatch(
      new RegExp(`<tr data-testid="member-${leaver.user.email}">[\\s\\S]*?<td>Member</td><td>Deactivated</td>`),
    );
    // The audit trail names who did it: Acme's SCIM app.
    expect((await organizationPage(browser)).html).toMatch(
      new RegExp(`<td>SCIM app Acme provisioning \\(demo\\)</td><td>Deactivated ${leaver.user.email}</td>`),
    );
  });

  it('refuses SCIM app forms without the CSRF token, and app ids of another organization', async () => {
    const { browser } = await acmeBrowser('admin');
    const before = world.organizations.scimApps.list(DEMO_IDS.acme).length;
    const forged = await browser.request(`${world.urls.console}/organization/scim-apps`, { form: { name: 'Forged' } });
    expect(forged.status).toBe(403);
    expect(world.organizations.scimApps.list(DEMO_IDS.acme)).toHaveLength(before);
    const globex = world.organizations.organizations.create({ name: 'Globex' });
    const theirs = world.organizations.scimApps.create(globex.id, { name: 'Globex app' });
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    const response = await browser.request(`${world.urls.console}/organization/scim-apps/${theirs.clientId}/delete`, {
      form: { csrf },
    });
    expect(response.status).toBe(404);
    expect(world.organizations.scimApps.organizationOf(theirs.clientId)).toBe(globex.id);
  });

  it('gives a member 403 on the SCIM app forms: nothing is created or revoked', async () => {
    const { browser } = await acmeBrowser('member');
    const before = world.organizations.scimApps.list(DEMO_IDS.acme).map(({ clientId }) => clientId);
    const create = await browser.request(`${world.urls.console}/organization/scim-apps`, {
      form: { csrf: 'x', name: 'Member app' },
    });
    const revoke = await browser.request(`${world.urls.console}/organization/scim-apps/scim_acme_demo/delete`, {
      form: { csrf: 'x' },
    });
    expect([create.status, revoke.status]).toEqual([403, 403]);
    expect(world.organizations.scimApps.list(DEMO_IDS.acme).map(({ clientId }) => clientId)).toEqual(before);
  });

  it('gives members and users outside any organization 403, and sends the signed-out to the login', async () => {
    const { browser } = await acmeBrowser('member');
    const member = await organizationPage(browser);
    expect(member.status).toBe(403);
    expect(member.html).toContain('Only your organization&#39;s administrators can open the organization page.');
    expect(await (await browser.request(`${world.urls.console}/`)).text()).not.toContain('Manage your organization');
    const outsider = await organizationPage(await consoleBrowser(world, ADA));
    expect(outsider.status).toBe(403);
    const signedOut = await new HeadlessBrowser().request(`${world.urls.console}/organization`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/auth\\?`));
  });
});
