/**
 * The SSO section of the Console's organization settings (organization admins only; others get 403):
 * what to give the IdP (Twilio's SP entity ID, ACS URL, metadata), connecting or replacing the IdP (its metadata
 * XML, or entity ID + SSO URL + signing certificate), enforcing SSO and allowing IdP-initiated sign-ins.
 *
 * Every POST is same-origin (middleware of the Console), carries the session's CSRF token, and answers 303.
 */
import { X509Certificate } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { RequestError, SsoRefusal } from '../../errors';
import { html, PRODUCT_PAGE_HEADERS, page, type SafeHtml } from '../../html';
import type { Organization, OrganizationStore } from '../../organizations/organizations';
import type { RelyingParty, RpSession } from '../../relying-party';
import { readForm, tokensMatch } from '../../security';
import type { SsoConnection, SsoConnections } from '../../sso/connections';
import { settingsFromFields, settingsFromMetadata } from '../../sso/idp-metadata';
import { type ServiceProviderUrls, serviceProviderUrls } from '../../sso/service-provider';
import { consoleNav } from '../nav';

type Env = { Bindings: HttpBindings };

export const SSO_SETTINGS_PATH = '/organization/sso';

export interface SsoSettingsDeps {
  rp: RelyingParty;
  organizations: OrganizationStore;
  connections: SsoConnections;
  loginOrigin: string;
}

const DONE: Record<string, string> = {
  connected: 'The identity provider is connected.',
  saved: 'SSO settings saved.',
};

function certificateSummary(pem: string): string {
  try {
    const certificate = new X509Certificate(pem);
    return `${certificate.subject.replace(/\n/g, ', ')} · valid until ${new Date(certificate.validTo).toISOString().slice(0, 10)} · SHA-256 ${certificate.fingerprint256.slice(0, 23)}…`;
  } catch {
    return 'unreadable certificate';
  }
}

/** The section's markup, for the organization page. */
export function ssoSection(input: {
  session: RpSession;
  sp: ServiceProviderUrls;
  connection: SsoConnection | undefined;
  done?: string | undefined;
}): SafeHtml {
  const { session, sp, connection, done } = input;
  const csrf = html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;
  return html`<section class="card" id="sso" aria-labelledby="sso-heading">
<h2 id="sso-heading" style="margin-top:0;font-size:1.1rem">Single sign-on (SAML 2.0)</h2>
${done && DONE[done] ? html`<p role="status">${DONE[done]}</p>` : ''}
<h3 style="font-size:1rem">Give your identity provider these details</h3>
<dl>
  <dt>SP entity ID</dt><dd><code data-testid="sp-entity-id">${sp.entityId}</code></dd>
  <dt>ACS URL (HTTP-POST)</dt><dd><code data-testid="sp-acs-url">${sp.acsUrl}</code></dd>
  <dt>NameID</dt><dd>Email address (<code>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</code>)</dd>
  <dt>Signing</dt><dd>Sign the assertion (RSA-SHA256); the response may be signed too. No encryption.</dd>
  <dt>Metadata</dt><dd><a href="${sp.metadataUrl}">${sp.metadataUrl}</a></dd>
</dl>
<h3 style="font-size:1rem">Identity provider</h3>
${
  connection
    ? html`<dl data-testid="idp">
  <dt>Entity ID</dt><dd>${connection.entityId}</dd>
  <dt>SSO URL</dt><dd>${connection.ssoUrl}</dd>
  <dt>Signing certificate${connection.certificates.length > 1 ? 's' : ''}</dt><dd>${connection.certificates.map((pem) => html`<div>${certificateSummary(pem)}</div>`)}</dd>
</dl>`
    : html`<p class="muted">No identity provider is connected.</p>`
}
<form method="post" action="${SSO_SETTINGS_PATH}/idp">
  ${csrf}
  <label for="idp-metadata">IdP metadata XML</label>
  <textarea id="idp-metadata" name="metadata" rows="5" style="width:100%;font-family:monospace" aria-describedby="idp-metadata-hint"></textarea>
  <p class="muted" id="idp-metadata-hint">Paste the metadata, or leave it empty and fill in the three fields below.</p>
  <label for="idp-entity-id">IdP entity ID</label>
  <input id="idp-entity-id" name="entityId" maxlength="2048">
  <label for="idp-sso-url">IdP SSO URL (HTTP-Redirect)</label>
  <input id="idp-sso-url" name="ssoUrl" type="url" maxlength="2048">
  <label for="idp-certificate">IdP signing certificate (PEM)</label>
  <textarea id="idp-certificate" name="certificate" rows="4" style="width:100%;font-family:monospace"></textarea>
  <button type="submit">${connection ? 'Replace identity provider' : 'Connect identity provider'}</button>
</form>
${
  connection
    ? html`<form method="post" action="${SSO_SETTINGS_PATH}/settings">
  ${csrf}
  <fieldset style="border:0;padding:0;margin:1rem 0 0">
    <legend style="font-weight:600">Sign-in rules</legend>
    <label style="font-weight:400"><input type="checkbox" name="enforced" value="on" style="width:auto"${connection.enforced ? ' checked' : ''}> Enforce SSO: members cannot sign in with a password</label>
    <label style="font-weight:400"><input type="checkbox" name="allowIdpInitiated" value="on" style="width:auto"${connection.allowIdpInitiated ? ' checked' : ''}> Allow IdP-initiated sign-in (from your IdP's app launcher)</label>
  </fieldset>
  <button type="submit">Save SSO settings</button>
</form>`
    : ''
}
</section>`;
}

export function ssoSettingsRoutes({ rp, organizations, connections, loginOrigin }: SsoSettingsDeps): Hono<Env> {
  const app = new Hono<Env>();

  /** The organization the signed-in user administers; 403 for everyone else. */
  function administered(session: RpSession): Organization {
    const membership = organizations.ofUser(session.sub);
    if (membership?.role !== 'admin') {
      throw new RequestError('forbidden', 'Only an organization administrator can change single sign-on.');
    }
    return membership.organization;
  }

  async function checkedPost(c: Context<Env>) {
    const session = rp.currentSession(c);
    if (!session) return { session: undefined, form: {} as Record<string, string> };
    const form = await readForm(c.req.raw);
    if (!tokensMatch(session.csrfToken, form.csrf)) {
      throw new RequestError('csrf_token_invalid', 'The form has expired. Reload the page and try again.');
    }
    return { session, form };
  }

  const done = (c: Context<Env>, what: string) =>
    c.body(null, 303, { Location: `${SSO_SETTINGS_PATH}?done=${what}`, 'Cache-Control': 'no-store' });

  app.get(SSO_SETTINGS_PATH, (c) => {
    const session = rp.currentSession(c);
    if (!session) return rp.startSignIn(c, { returnTo: SSO_SETTINGS_PATH });
    const organization = administered(session);
    const body = ssoSection({
      session,
      sp: serviceProviderUrls(loginOrigin, organization.id),
      connection: connections.find(organization.id),
      done: c.req.query('done'),
    });
    return c.body(
      page({
        title: `Single sign-on · ${organization.name} · Twilio Console`,
        wide: true,
        header: consoleNav(session),
        body: html`<h1>${organization.name}: single sign-on</h1>${body}`,
      }),
      200,
      PRODUCT_PAGE_HEADERS,
    );
  });

  app.post(`${SSO_SETTINGS_PATH}/idp`, async (c) => {
    const { session, form } = await checkedPost(c);
    if (!session) return c.redirect('/', 303);
    const organization = administered(session);
    const idp = form.metadata?.trim()
      ? settingsFromMetadata(form.metadata)
      : settingsFromFields({
          entityId: form.entityId ?? '',
          ssoUrl: form.ssoUrl ?? '',
          certificate: form.certificate ?? '',
        });
    connections.connect(organization.id, idp, session.sub);
    return done(c, 'connected');
  });

  app.post(`${SSO_SETTINGS_PATH}/settings`, async (c) => {
    const { session, form } = await checkedPost(c);
    if (!session) return c.redirect('/', 303);
    const organization = administered(session);
    const settings = { enforced: form.enforced === 'on', allowIdpInitiated: form.allowIdpInitiated === 'on' };
    if (!connections.configure(organization.id, settings, session.sub)) {
      throw new SsoRefusal('sso_not_configured', 'Connect an identity provider first.');
    }
    return done(c, 'saved');
  });

  return app;
}
