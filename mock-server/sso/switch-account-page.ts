/**
 * The page an IdP-initiated sign-in shows when this browser is already signed in to Twilio as someone else:
 * nothing changes until the person chooses. Continuing signs the current user out of Twilio (and so of the
 * Console, Segment, SendGrid and the extension in this browser) and then signs in the one the IdP named;
 * staying keeps the current session and drops the SSO sign-in.
 */
import { html, page } from '../html';

export interface SwitchAccountView {
  signedInEmail: string;
  ssoEmail: string;
  organization: string;
  ticket: string;
  csrfToken: string;
  consoleHome: string;
}

export function switchAccountPage(view: SwitchAccountView): string {
  return page({
    title: 'Switch Twilio login? · Twilio',
    body: html`<div class="card"><div class="brand" aria-hidden="true">twilio</div>
<h1>Switch to ${view.ssoEmail}?</h1>
<p>This browser is signed in to Twilio as <strong data-testid="signed-in-as">${view.signedInEmail}</strong>.
${view.organization}’s identity provider has just signed you in as <strong data-testid="sso-as">${view.ssoEmail}</strong>.</p>
<p>To continue as ${view.ssoEmail}, ${view.signedInEmail} is signed out first: of the Console, Segment, SendGrid and
the extension in this browser.</p>
<form method="post" action="/saml/complete">
  <input type="hidden" name="ticket" value="${view.ticket}">
  <input type="hidden" name="csrf" value="${view.csrfToken}">
  <button type="submit">Sign out ${view.signedInEmail} and continue as ${view.ssoEmail}</button>
</form>
<p style="margin-top:1rem"><a href="${view.consoleHome}">Stay signed in as ${view.signedInEmail}</a></p>
</div>`,
  });
}
