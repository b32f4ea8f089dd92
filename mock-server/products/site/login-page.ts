/** A product's own sign-in page: email and password, or "continue with Twilio". */

import { CONTINUE_WITH_TWILIO_PATH, PRODUCT_LOGIN_PATH } from '../../../contract/api';
import { MAX_EMAIL_LENGTH } from '../../../contract/email';
import { MAX_PASSWORD_LENGTH } from '../../accounts/passwords';
import { html, page } from '../../html';
import { RETURN_NOTICES, type ReturnNotice } from '../../relying-party';

export type LoginNotice =
  | { kind: 'credentials' }
  | { kind: 'password_needed' }
  | { kind: 'signed_out' }
  /** Back from the Twilio login: the person cancelled there, or signed out of Twilio. */
  | { kind: ReturnNotice };

export interface LoginPageInput {
  productName: string;
  csrf: string;
  /** Where to land after signing in (a safe relative path). */
  next: string;
  email?: string;
  notice?: LoginNotice;
}

export function loginPage({ productName, csrf, next, email, notice }: LoginPageInput): string {
  const twilioHref = `${CONTINUE_WITH_TWILIO_PATH}?${new URLSearchParams({ next })}`;
  const alert =
    notice?.kind === 'credentials'
      ? html`<div class="alert" role="alert">Email or password is incorrect.</div>`
      : notice?.kind === 'password_needed'
        ? html`<div class="alert" role="alert">Enter your password.</div>`
        : notice?.kind === 'signed_out'
          ? html`<p class="muted" role="status">You have signed out of ${productName}.</p>`
          : notice
            ? html`<p class="muted" role="status">${RETURN_NOTICES[notice.kind]}</p>`
            : '';
  return page({
    title: `Sign in · ${productName}`,
    body: html`<div class="card"><div class="brand" aria-hidden="true">${productName}</div>
<h1>Sign in to ${productName}</h1>
${alert}
<form method="post" action="${PRODUCT_LOGIN_PATH}">
  <input type="hidden" name="csrf" value="${csrf}">
  <input type="hidden" name="next" value="${next}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required maxlength="${MAX_EMAIL_LENGTH}" value="${email ?? ''}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password"${
    notice?.kind === 'password_needed' ? html` autofocus` : ''
  } maxlength="${MAX_PASSWORD_LENGTH}">
  <button type="submit">Sign in</button>
</form>
<p class="muted">Have a Twilio login? <a href="${twilioHref}">Continue with Twilio</a></p></div>`,
  });
}
