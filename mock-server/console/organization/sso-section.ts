/**
 * The single sign-on section of the Console's organization page (identity provider, enforcement, IdP-initiated
 * sign-in). Its own module so the SSO settings can grow here without touching the rest of the page.
 */
import { html, type SafeHtml } from '../../html';
import type { Organization } from '../../organizations/organizations';

export interface SsoSectionContext {
  organization: Organization;
  /** The session's CSRF token, for the section's forms. */
  csrfToken: string;
}

export function ssoSettingsSection(_context: SsoSectionContext): SafeHtml {
  return html`<section class="card" id="sso-settings" aria-labelledby="sso-heading" style="margin-top:1rem">
  <h2 id="sso-heading" style="margin-top:0;font-size:1.1rem">Single sign-on</h2>
  <p class="muted">Your members sign in through your organization's identity provider.</p>
</section>`;
}
