/**
 * Verified domains on the Console's organization page: an admin claims a domain, publishes its DNS TXT record
 * (on the demo DNS page, the world's stand-in for a DNS provider) and verifies it; only then do SCIM and SSO
 * apply to its users. Refused forms come back inline; members and outsiders get 403.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_IDS } from '../../mock-server/seed';
import { csrfTokenIn, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser, expectInlineRefusal } from './organization-page';
import { oktaUser, scimClient, scimError } from './scim';
import { consoleBrowser } from './settings';
import { expectRefusal } from './sso';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
// These admins have Twilio passwords: Acme does not enforce SSO in this file.
world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
const scim = await scimClient(world);
const acmeBrowser = (role: 'admin' | 'member') => acmeConsoleUser(world, role, 'domains');

async function organizationPage(browser: HeadlessBrowser) {
  const response = await browser.request(`${world.urls.console}/organization`);
  return { status: response.status, html: await response.text() };
}

const post = (browser: HeadlessBrowser, path: string, form: Record<string, string>) =>
  browser.request(`${world.urls.console}${path}`, { form });

/** A SCIM user on `domain`, as Okta creates one. */
const userOn = (domain: string, local: string) => {
  const email = `${local}@${domain}`;
  return { ...oktaUser(local), userName: email, emails: [{ primary: true, value: email, type: 'work' }] };
};

/** Publishes a TXT record on the demo DNS page, as a tester does. */
async function publishTxt(name: string, value: string) {
  const response = await new HeadlessBrowser().request(`${world.urls.login}/dev/dns`, { form: { name, value } });
  expect({ status: response.status, location: response.headers.get('location') }).toEqual({
    status: 303,
    location: '/dev/dns',
  });
}

describe('verified domains on the organization page', () => {
  it('claims a domain, verifies it by its DNS TXT record, and only then provisions its users by SCIM', async () => {
    const { user, browser } = await acmeBrowser('admin');
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    const claimed = await post(browser, '/organization/domains', { csrf, domain: ' Acme-Labs.test ' });
    expect({ status: claimed.status, location: claimed.headers.get('location') }).toEqual({
      status: 303,
      location: '/organization?done=domain-claimed#domains',
    });
    const { html } = await organizationPage(browser);
    const row = /<tr data-testid="domain-acme-labs\.test">[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain('<td>Not verified</td>');
    const name = /data-testid="txt-name">([^<]+)</.exec(row)?.[1];
    const value = /data-testid="txt-value">([^<]+)</.exec(row)?.[1];
    expect(name).toBe('_twilio-verification.acme-labs.test');
    expect(value).toMatch(/^twilio-domain-verification=[0-9a-f]{32}$/);
    expect(html).toContain(`href="${world.urls.login}/dev/dns">demo DNS page (development only)</a>`);

    const early = await scim.send('POST', '/Users', userOn('acme-labs.test', 'early'));
    expect(early.body).toEqual(
      scimError(
        400,
        'invalidValue',
        'The email domain is unverified (Twilio error 25017): acme-labs.test is not a verified domain of this organization.',
      ),
    );

    // No record yet, then a record with another value: refused beside the domain, still unverified.
    await publishTxt(name!, 'twilio-domain-verification=not-the-token');
    const refused = await post(browser, '/organization/domains/acme-labs.test/verify', { csrf });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain(
      `data-error-code="domain_record_missing">No TXT record _twilio-verification.acme-labs.test with the value ${value} was found. Publish it, then verify again.</div>`,
    );
    expect(world.organizations.organizations.isVerifiedDomain(DEMO_IDS.acme, 'acme-labs.test')).toBe(false);

    await publishTxt(name!, value!);
    const verified = await post(browser, '/organization/domains/acme-labs.test/verify', { csrf });
    expect(verified.headers.get('location')).toBe('/organization?done=domain-verified#domains');
    expect(world.organizations.organizations.domain(DEMO_IDS.acme, 'acme-labs.test')).toMatchObject({
      verified: true,
      verifiedBy: user.id,
      verifiedAt: expect.any(Number),
    });
    const after = (await organizationPage(browser)).html;
    expect(after).toMatch(
      new RegExp(
        `<tr data-testid="domain-acme-labs\\.test">[\\s\\S]*?<td>Verified<br><small class="muted">by ${user.email}, <time`,
      ),
    );
    expect(
      world.organizations.audit.latest(DEMO_IDS.acme, 2).map(({ action, details }) => ({ action, details })),
    ).toEqual([
      { action: 'domain_verified', details: `${user.email} verified the domain acme-labs.test (DNS TXT record)` },
      { action: 'domain_claimed', details: `${user.email} added the domain acme-labs.test` },
    ]);
    expect((await scim.send('POST', '/Users', userOn('acme-labs.test', 'later'))).status).toBe(201);
  });

  it('shows a refused domain again inline with what was typed: not a domain name (400), or claimed already (409)', async () => {
    const { browser } = await acmeBrowser('admin');
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    const globex = world.organizations.organizations.create({ name: 'Globex' });
    world.organizations.organizations.addDomain(globex.id, 'globex-domains.test', { verified: true });
    const before = world.organizations.organizations.domains(DEMO_IDS.acme);
    const cases: [string, number, string, string][] = [
      ['', 400, 'domain_invalid', 'Enter a domain name, such as example.com (no @, no spaces, no URL).'],
      [
        'someone@example.com',
        400,
        'domain_invalid',
        'Enter a domain name, such as example.com (no @, no spaces, no URL).',
      ],
      [
        'https://example.com/',
        400,
        'domain_invalid',
        'Enter a domain name, such as example.com (no @, no spaces, no URL).',
      ],
      ['localhost', 400, 'domain_invalid', 'Enter a domain name, such as example.com (no @, no spaces, no URL).'],
      ['acme.test', 409, 'domain_claimed', 'acme.test is already claimed by an organization.'],
      ['GLOBEX-domains.test', 409, 'domain_claimed', 'globex-domains.test is already claimed by an organization.'],
    ];
    for (const [domain, status, code, message] of cases) {
      const response = await post(browser, '/organization/domains', { csrf, domain });
      await expectInlineRefusal(response, { status, errorId: 'domain-error', code, message, typed: domain });
    }
    expect(world.organizations.organizations.domains(DEMO_IDS.acme)).toEqual(before);
  });

  it('answers 404 to verifying a domain the organization never claimed', async () => {
    const { browser } = await acmeBrowser('admin');
    const csrf = csrfTokenIn((await organizationPage(browser)).html);
    await expectRefusal(
      await post(browser, '/organization/domains/globex-other.test/verify', { csrf }),
      404,
      'domain_not_claimed',
    );
  });

  it('gives members and users outside any organization 403 on the domain forms, and changes nothing', async () => {
    const { browser } = await acmeBrowser('member');
    world.organizations.organizations.addDomain(DEMO_IDS.acme, 'pending-domains.test');
    await expectRefusal(
      await post(browser, '/organization/domains', { csrf: 'x', domain: 'member.test' }),
      403,
      'forbidden',
    );
    await expectRefusal(
      await post(browser, '/organization/domains/pending-domains.test/verify', { csrf: 'x' }),
      403,
      'forbidden',
    );
    const outsider = await consoleBrowser(world, ADA);
    await expectRefusal(
      await post(outsider, '/organization/domains', { csrf: 'x', domain: 'ada.test' }),
      403,
      'forbidden',
    );
    expect(world.organizations.organizations.domain(DEMO_IDS.acme, 'member.test')).toBeUndefined();
    expect(world.organizations.organizations.isVerifiedDomain(DEMO_IDS.acme, 'pending-domains.test')).toBe(false);
  });

  it('refuses an admin’s domain form without the CSRF token with 403', async () => {
    const { browser } = await acmeBrowser('admin');
    await expectRefusal(
      await post(browser, '/organization/domains', { domain: 'no-csrf.test' }),
      403,
      'csrf_token_invalid',
    );
    expect(world.organizations.organizations.domain(DEMO_IDS.acme, 'no-csrf.test')).toBeUndefined();
  });
});

describe('the demo DNS page (development only)', () => {
  it('lists published records, and refuses a cross-site POST and a name that is not a DNS name', async () => {
    await publishTxt('_twilio-verification.listed.test', 'listed-value');
    const listing = await (await new HeadlessBrowser().request(`${world.urls.login}/dev/dns`)).text();
    expect(listing).toContain('<h1>Demo DNS (development only)</h1>');
    expect(listing).toContain(
      '<tr><td><code>_twilio-verification.listed.test</code></td><td><code>listed-value</code></td></tr>',
    );
    const crossSite = await new HeadlessBrowser().request(`${world.urls.login}/dev/dns`, {
      form: { name: '_twilio-verification.evil.test', value: 'x' },
      headers: { origin: 'http://evil.localhost' },
    });
    await expectRefusal(crossSite, 403, 'cross_site_request');
    const badName = await new HeadlessBrowser().request(`${world.urls.login}/dev/dns`, {
      form: { name: 'not a name', value: 'x' },
    });
    await expectRefusal(badName, 400, 'invalid_request');
    expect(world.organizations.dns.txt('_twilio-verification.evil.test')).toEqual([]);
  });
});
