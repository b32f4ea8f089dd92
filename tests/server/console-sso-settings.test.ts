/**
 * The single sign-on section of the Console's organization page, for an organization admin: Twilio's SP details,
 * connecting or replacing the IdP (metadata XML, or entity ID + SSO URL + certificate), enforcement and
 * IdP-initiated sign-in; a refused IdP form comes back inline with what was typed; 403 for others.
 */
import { describe, expect, it } from 'vitest';
import { createSigningIdentity } from '../../mock-server/saml/certificates';
import { DEMO_IDS } from '../../mock-server/seed';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser, expectInlineRefusal } from './organization-page';
import { expectRefusal } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
// These admins have Twilio passwords: SSO is not enforced while they sign in to the Console.
world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
async function acmeConsole(role: 'admin' | 'member') {
  const { browser } = await acmeConsoleUser(world, role, 'sso');
  const page = await browser.request(`${world.urls.console}/organization`);
  return { browser, page, html: page.status === 200 ? await page.text() : '' };
}

describe('single sign-on on the organization page', () => {
  it('shows an admin what to give the IdP and the IdP connected (the Acme IdP)', async () => {
    const { page, html } = await acmeConsole('admin');
    expect(page.status).toBe(200);
    const sp = serviceProviderUrls(world.urls.login, DEMO_IDS.acme);
    expect(html).toContain(`<code data-testid="sp-entity-id">${sp.entityId}</code>`);
    expect(html).toContain(`<code data-testid="sp-acs-url">${sp.acsUrl}</code>`);
    expect(html).toContain(`<dt>Entity ID</dt><dd>${world.acme.idp.entityId}</dd>`);
    expect(html).toContain('<label for="idp-metadata">IdP metadata XML</label>');
  });

  it('replaces the IdP from entity ID + SSO URL + certificate, then from metadata XML, and saves enforcement', async () => {
    const { browser, html } = await acmeConsole('admin');
    const csrf = csrfTokenIn(html);
    const other = await createSigningIdentity('idp.other.example');
    const byFields = await browser.request(`${world.urls.console}/organization/sso/idp`, {
      form: {
        csrf,
        metadata: '',
        entityId: 'https://idp.other.example/metadata',
        ssoUrl: 'https://idp.other.example/sso',
        certificate: other.certificatePem,
      },
    });
    expect({ status: byFields.status, location: byFields.headers.get('location') }).toEqual({
      status: 303,
      location: '/organization?done=idp-connected#sso',
    });
    const connected = world.sso.connections.find(DEMO_IDS.acme)!;
    expect(connected).toMatchObject({
      entityId: 'https://idp.other.example/metadata',
      ssoUrl: 'https://idp.other.example/sso',
    });
    const bare = (pem: string) => pem.replace(/\s/g, '');
    expect(connected.certificates.map(bare)).toEqual([bare(other.certificatePem)]);

    const byMetadata = await browser.request(`${world.urls.console}/organization/sso/idp`, {
      form: { csrf, metadata: world.acme.idp.metadata() },
    });
    expect(byMetadata.status).toBe(303);
    expect(world.sso.connections.find(DEMO_IDS.acme)?.entityId).toBe(world.acme.idp.entityId);

    const saved = await browser.request(`${world.urls.console}/organization/sso/settings`, {
      form: { csrf, allowIdpInitiated: 'on' },
    });
    expect(saved.headers.get('location')).toBe('/organization?done=sso-saved#sso');
    const shown = await (await browser.request(`${world.urls.console}/organization?done=sso-saved`)).text();
    expect(shown).toContain('<p role="status">SSO settings saved.</p>');
    const events = world.organizations.audit
      .latest(DEMO_IDS.acme, 3)
      .map(({ action, details }) => ({ action, details }));
    expect(events).toEqual([
      {
        action: 'sso_rules_changed',
        details: expect.stringMatching(/ set SSO enforcement off, IdP-initiated sign-in on$/),
      },
      { action: 'sso_connected', details: expect.stringMatching(/ connected the identity provider /) },
      {
        action: 'sso_connected',
        details: expect.stringMatching(/ connected the identity provider https:\/\/idp\.other\.example\/metadata$/),
      },
    ]);
    expect(world.sso.connections.find(DEMO_IDS.acme)).toMatchObject({ enforced: false, allowIdpInitiated: true });
    world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });
  });

  it('shows a refused IdP form again, inline: 400, the message beside the form, everything typed kept, nothing changed', async () => {
    const { browser, html } = await acmeConsole('admin');
    const csrf = csrfTokenIn(html);
    const before = world.sso.connections.find(DEMO_IDS.acme);
    const refusals: [Record<string, string>, string][] = [
      [{ metadata: '<EntityDescriptor/>' }, 'The metadata must be one SAML 2.0 &lt;EntityDescriptor&gt;.'],
      [{ metadata: '<x' }, 'The IdP metadata is not well-formed XML.'],
      [
        { metadata: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
        'The IdP metadata has a DOCTYPE; SAML messages must not.',
      ],
      [
        { entityId: 'https://idp.typed.example', ssoUrl: 'https://idp.example/sso', certificate: 'not a certificate' },
        'The signing certificate is not a valid X.509 certificate.',
      ],
      [
        {
          entityId: 'x',
          ssoUrl: 'javascript:alert(1)',
          certificate: (await createSigningIdentity('x')).certificatePem,
        },
        'The SSO URL must be an http(s) URL.',
      ],
      [{ entityId: '', ssoUrl: 'https://idp.example/sso', certificate: '' }, 'Enter the IdP entity ID.'],
    ];
    for (const [form, message] of refusals) {
      const response = await browser.request(`${world.urls.console}/organization/sso/idp`, { form: { csrf, ...form } });
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = await expectInlineRefusal(response, {
        status: 400,
        errorId: 'idp-error',
        code: 'idp_settings_invalid',
        message,
      });
      expect(page).toContain('<h1>Organization: Acme</h1>');
      for (const [field, value] of Object.entries(form)) {
        const escaped = value
          .replaceAll('&', '&amp;')
          .replaceAll('<', '&lt;')
          .replaceAll('>', '&gt;')
          .replaceAll('"', '&quot;');
        expect(page, field).toContain(
          field === 'metadata' || field === 'certificate' ? `>${escaped}</textarea>` : `value="${escaped}"`,
        );
      }
    }
    expect(world.sso.connections.find(DEMO_IDS.acme)).toEqual(before);
  });

  it('gives a member 403, on the page and on its forms', async () => {
    const { browser, page } = await acmeConsole('member');
    await expectRefusal(page, 403, 'forbidden');
    for (const form of ['settings', 'idp']) {
      const post = await browser.request(`${world.urls.console}/organization/sso/${form}`, {
        form: { csrf: 'whatever', enforced: 'on', entityId: 'https://evil.example' },
      });
      await expectRefusal(post, 403, 'forbidden');
    }
    expect(world.sso.connections.find(DEMO_IDS.acme)?.enforced).toBe(false);
  });

  it('leads the former SSO page, /organization/sso, to the section on the organization page', async () => {
    const { browser } = await acmeConsole('admin');
    const response = await browser.request(`${world.urls.console}/organization/sso`);
    expect({ status: response.status, location: response.headers.get('location') }).toEqual({
      status: 303,
      location: '/organization#sso',
    });
  });

  it('refuses an admin’s form without the CSRF token with 403', async () => {
    const { browser } = await acmeConsole('admin');
    const post = await browser.request(`${world.urls.console}/organization/sso/settings`, { form: { enforced: 'on' } });
    await expectRefusal(post, 403, 'csrf_token_invalid');
    expect(world.sso.connections.find(DEMO_IDS.acme)?.enforced).toBe(false);
  });
});
