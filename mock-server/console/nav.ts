/** The Console's navigation bar, shared by its pages (home, account, settings, organization). */
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import type { User } from '../accounts/users';
import { html } from '../html';
import type { RpSession } from '../relying-party';

/** `user` is the signed-in user as the UserStore has them now, so a change by SCIM shows at once. */
export function consoleNav({ session, user }: { session: RpSession; user: User }) {
  return html`<nav class="top" aria-label="Console">
  <a href="/" style="color:inherit;text-decoration:none;font-weight:700">twilio <span style="font-weight:400">Console</span></a>
  <div id="${SWITCHER_SLOT_ID}"></div>
  <span class="spacer"></span>
  <a href="/account" style="color:inherit">Account</a>
  <a href="/settings" style="color:inherit">Settings</a>
  <span class="who">${user.name || user.email}</span>
  <form method="post" action="/sign-out">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</nav>`;
}
