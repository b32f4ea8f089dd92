/** The Acme IdP's pages: Acme's own look, not Twilio's. Labelled forms; one hashed script (the auto-POST). */
import { createHash } from 'node:crypto';
import { html, PAGE_HEADERS, page, SafeHtml } from '../html';
import type { TrustedServiceProvider } from './identity-provider';

const AUTO_POST = 'document.getElementById("saml-post").submit();';
const AUTO_POST_HASH = createHash('sha256').update(AUTO_POST).digest('base64');

/** The response page may run exactly its one auto-POST script. */
export const POST_PAGE_HEADERS: Record<string, string> = {
  ...PAGE_HEADERS,
  'Content-Security-Policy': `${PAGE_HEADERS['Content-Security-Policy']}; script-src 'sha256-${AUTO_POST_HASH}'`,
};

function card(content: SafeHtml): SafeHtml {
  return html`<div class="card"><div class="brand" aria-hidden="true">ACME CORP · Single sign-on</div>${content}</div>`;
}

export interface AcmeLoginInput {
  pendingId: string;
  csrfToken: string;
  appName: string | undefined;
  email: string;
  failed: boolean;
}

export function acmeLoginPage({ pendingId, csrfToken, appName, email, failed }: AcmeLoginInput): string {
  return page({
    title: 'Sign in · Acme',
    body: card(html`
<h1>Sign in to Acme</h1>
<p class="muted">${appName ? `to continue to ${appName}` : 'with your Acme account'}</p>
${failed ? html`<div class="alert" role="alert">Email or password is incorrect.</div>` : ''}
<form method="post" action="/login">
  <input type="hidden" name="pending" value="${pendingId}">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="email">Acme email</label>
  <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}"${email ? '' : ' autofocus'}>
  <label for="password">Acme password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${email ? ' autofocus' : ''}>
  <button type="submit">Sign in</button>
</form>`),
  });
}

/** The HTTP-POST binding: a form the page submits to the SP's ACS at once (or the person does, without script). */
export function postToServiceProviderPage(
  sp: TrustedServiceProvider,
  samlResponse: string,
  relayState?: string,
): string {
  return page({
    title: `Continuing to ${sp.name} · Acme`,
    body: card(html`
<h1>Continuing to ${sp.name}…</h1>
<form id="saml-post" method="post" action="${sp.acsUrl}">
  <input type="hidden" name="SAMLResponse" value="${samlResponse}">
  ${relayState ? html`<input type="hidden" name="RelayState" value="${relayState}">` : ''}
  <button type="submit">Continue to ${sp.name}</button>
</form>
<script>${new SafeHtml(AUTO_POST)}</script>`),
  });
}

export function acmeHomePage(
  person: { email: string; name: string } | undefined,
  apps: readonly TrustedServiceProvider[],
): string {
  return page({
    title: 'Acme sign-on',
    body: card(html`
<h1>Acme sign-on</h1>
${
  person
    ? html`<p>Signed in as <strong>${person.name}</strong> (${person.email}).</p>
<h2>Your apps</h2>
<ul>${apps.map((app) => html`<li><a href="/start/${encodeURIComponent(app.name.toLowerCase())}">${app.name}</a></li>`)}</ul>
<form method="post" action="/sign-out"><button type="submit" class="secondary">Sign out of Acme</button></form>`
    : html`<p>You are not signed in. <a href="/start">Sign in to Acme</a>.</p>`
}`),
  });
}
