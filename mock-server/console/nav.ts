/** The Console's navigation bar, shared by its pages (home, settings). */
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import { html } from '../html';
import type { RpSession } from '../relying-party';

export function consoleNav(session: RpSession) {
  return html`<nav class="top" aria-label="Console">
  <a href="/" style="color:inherit;text-decoration:none;font-weight:700">twilio <span style="font-weight:400">Console</span></a>
  <div id="${SWITCHER_SLOT_ID}"></div>
  <span class="spacer"></span>
  <a href="/account" style="color:inherit">Account</a>
  <a href="/settings" style="color:inherit">Settings</a>
  <span class="who">${session.name || session.email}</span>
  <form method="post" action="/sign-out">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</nav>`;
}
