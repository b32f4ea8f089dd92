/**
 * The organization page's single sign-on: what to give the identity provider (Twilio's SP entity ID, ACS URL,
 * metadata), the IdP connected, the form to connect or replace it (its metadata XML, or entity ID + SSO URL +
 * signing certificate) and the sign-in rules (enforce SSO, allow IdP-initiated sign-in). A refused IdP form comes
 * back with the message beside it and everything the admin typed.
 */
import { X509Certificate } from 'node:crypto';
import { html, type SafeHtml } from '../../html';
import type { RefusedForm, SectionContext } from './view';

const DONE: Record<string, string> = {
  'idp-connected': 'The identity provider is connected.',
  'sso-saved': 'SSO settings saved.',
};

function certificateSummary(pem: string): string {
  try {
    const certificate = new X509Certificate(pem);
    return `${certificate.subject.replace(/\n/g, ', ')} · valid until ${new Date(certificate.validTo).toISOString().slice(0, 10)} · SHA-256 ${certificate.fingerprint256.slice(0, 23)}…`;
  } catch {
    return 'unreadable certificate';
  }
}

function idpForm(csrf: SafeHtml, connected: boolean, refused: RefusedForm | undefined): SafeHtml {
  const values = refused?.values ?? {};
  const invalid = refused ? html` aria-invalid="true"` : '';
  const described = (hint: string) => html` aria-describedby="${refused ? `idp-error ${hint}` : hint}"`;
  return html`<form method="post" action="/organization/sso/idp" aria-labelledby="idp-form-heading">
  ${csrf}
  <h3 id="idp-form-heading" style="font-size:1rem">${connected ? 'Replace the identity provider' : 'Connect an identity provider'}</h3>
  ${refused ? html`<div class="alert" role="alert" id="idp-error" data-error-code="${refused.code}">${refused.message}</div>` : ''}
  <label for="idp-metadata">IdP metadata XML</label>
  <textarea id="idp-metadata" name="metadata" rows="5" style="width:100%;font-family:monospace"${described('idp-metadata-hint')}${invalid}>${values.metadata ?? ''}</textarea>
  <p class="muted" id="idp-metadata-hint">Paste the metadata, or leave it empty and fill in the three fields below.</p>
  <label for="idp-entity-id">IdP entity ID</label>
  <input id="idp-entity-id" name="entityId" maxlength="2048" value="${values.entityId ?? ''}"${invalid}>
  <label for="idp-sso-url">IdP SSO URL (HTTP-Redirect)</label>
  <input id="idp-sso-url" name="ssoUrl" type="url" maxlength="2048" value="${values.ssoUrl ?? ''}"${invalid}>
  <label for="idp-certificate">IdP signing certificate (PEM)</label>
  <textarea id="idp-certificate" name="certificate" rows="4" style="width:100%;font-family:monospace"${invalid}>${values.certificate ?? ''}</textarea>
  <button type="submit">${connected ? 'Replace identity provider' : 'Connect identity provider'}</button>
</form>`;
}

export function ssoSection({ view, csrf }: SectionContext): SafeHtml {
  const { sp, connection, done, refused } = view;
  return html`<section class="card" id="sso" aria-labelledby="sso-heading" style="margin-top:1rem">
<h2 id="sso-heading" style="margin-top:0;font-size:1.1rem">Single sign-on (SAML 2.0)</h2>
${done && DONE[done] ? html`<p role="status">${DONE[done]}</p>` : ''}
<h3 style="font-size:1rem">Give your identity provider these details</h3>
<dl>
  <dt>SP entity ID</dt><dd><code data-testid="sp-entity-id">${sp.entityId}</code></dd>
  <dt>ACS URL (HTTP-POST)</dt><dd><code data-testid="sp-acs-url">${sp.acsUrl}</code></dd>
  <dt>NameID</dt><dd>Email address (<code>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</code>)</dd>
  <dt>Signing</dt><dd>Sign the assertion (RSA-SHA256); the response may be signed too. No encryption. Twilio signs its
  AuthnRequests (RSA-SHA256, certificate in the metadata).</dd>
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
${idpForm(csrf, connection !== undefined, refused?.form === 'idp' ? refused : undefined)}
${
  connection
    ? html`<form method="post" action="/organization/sso/settings">
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
