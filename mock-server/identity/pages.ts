/** The Twilio login's server-rendered pages: sign in, 2FA code, errors, sign out. Plain, labelled, no script. */
import { html, page, SafeHtml } from '../html';

export type LoginNotice = 'credentials' | 'totp' | 'totp_reused' | 'recovery_code' | 'expired' | 'sso_required';

const NOTICES: Record<LoginNotice, string> = {
  credentials: 'Email or password is incorrect.',
  totp: 'That code is not valid. Enter the current code from your authenticator app.',
  totp_reused: 'That code was just used. Wait for the next code in your authenticator app and enter it.',
  recovery_code:
    'That recovery code is not valid or was already used. Each recovery code works once: enter another one.',
  expired: 'Your sign-in took too long. Enter your email and password again.',
  sso_required:
    'Your organization signs you in with single sign-on: continue at its sign-in page instead of using a password.',
};

function card(content: SafeHtml): SafeHtml {
  return html`<div class="card"><div class="brand" aria-hidden="true">twilio</div>${content}</div>`;
}

function alert(notice: LoginNotice | undefined): SafeHtml {
  return notice ? html`<div class="alert" role="alert">${NOTICES[notice]}</div>` : html``;
}

function cancelForm(uid: string, csrfToken: string): SafeHtml {
  return html`<form method="post" action="/interaction/${uid}/abort">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <button type="submit" class="secondary">Cancel</button>
</form>`;
}

function otherEmailForm(uid: string, csrfToken: string): SafeHtml {
  return html`<form method="post" action="/interaction/${uid}/other-email">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <button type="submit" class="secondary">Use another email</button>
</form>`;
}

export interface EmailPageInput {
  uid: string;
  csrfToken: string;
  clientName: string;
  notice: LoginNotice | undefined;
}

/** Identifier first: the email decides whether the next step is a password or the organization's IdP. */
export function emailPage({ uid, csrfToken, clientName, notice }: EmailPageInput): string {
  return page({
    title: 'Sign in · Twilio',
    body: card(html`
<h1>Sign in</h1>
<p class="muted">to continue to ${clientName}</p>
${alert(notice)}
<form method="post" action="/interaction/${uid}/identify">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" autofocus>
  <button type="submit">Continue</button>
</form>
${cancelForm(uid, csrfToken)}`),
  });
}

/**
 * The authorization parameter a product adds to say why it sent the user here. `product_password_retired`: the
 * user typed a product password for a product user that now signs in with the Twilio login (redirect on detected
 * email already revealed that much, so the line says no more).
 */
export const LOGIN_NOTICE_PARAM = 'twilio_notice';
export const PASSWORD_RETIRED_NOTICE = 'product_password_retired';

/** The line shown above the form for a product's `twilio_notice`, or nothing for any other value. */
export function productNotice(value: unknown, clientName: string, email: string): string | undefined {
  if (value !== PASSWORD_RETIRED_NOTICE || !email) return undefined;
  return `Your ${clientName} user ${email} now signs in with your Twilio login, so its ${clientName} password no longer works. Enter your Twilio password instead.`;
}

export interface LoginPageInput {
  uid: string;
  csrfToken: string;
  clientName: string;
  email: string;
  notice: LoginNotice | undefined;
  /**
   * The organization whose IdP may also sign this email in: SSO connected for its verified domain, and not
   * enforced for this email (its members never see this page when it is enforced).
   */
  ssoOrganization?: string | undefined;
  /** Why the product sent the user here (see `productNotice`). */
  explanation?: string | undefined;
}

/** The password step, for the email given first (shown, not editable: "Use another email" goes back). */
export function loginPage({
  uid,
  csrfToken,
  clientName,
  email,
  notice,
  ssoOrganization,
  explanation,
}: LoginPageInput): string {
  return page({
    title: 'Sign in · Twilio',
    body: card(html`
<h1>Sign in</h1>
<p class="muted">to continue to ${clientName}</p>
${explanation ? html`<p class="notice" role="status" data-testid="product-notice">${explanation}</p>` : ''}
${alert(notice)}
<form method="post" action="/interaction/${uid}/login">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required maxlength="254" value="${email}" readonly>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024" autofocus>
  <button type="submit">Continue</button>
</form>
${ssoOrganization ? html`<p><a href="/interaction/${uid}/sso">Sign in with ${ssoOrganization} single sign-on</a></p>` : ''}
${otherEmailForm(uid, csrfToken)}
${cancelForm(uid, csrfToken)}`),
  });
}

/** The organization's IdP signed in someone Twilio cannot sign in: say why, plainly, and offer another email. */
export function ssoRefusedPage({ uid, csrfToken, message }: { uid: string; csrfToken: string; message: string }) {
  return page({
    title: 'No access · Twilio',
    body: card(html`
<h1>You can’t sign in to Twilio yet</h1>
<div class="alert" role="alert">${message}</div>
${otherEmailForm(uid, csrfToken)}
${cancelForm(uid, csrfToken)}`),
  });
}

export interface SsoRequiredPageInput {
  uid: string;
  csrfToken: string;
  email: string;
  organization: string;
}

/** A member's email of an organization that enforces SSO, after a password attempt: only its IdP signs it in. */
export function ssoRequiredPage({ uid, csrfToken, email, organization }: SsoRequiredPageInput): string {
  return page({
    title: 'Single sign-on · Twilio',
    body: card(html`
<h1>Sign in with single sign-on</h1>
${alert('sso_required')}
<p>${email} signs in at ${organization}’s sign-in page.</p>
<p><a href="/interaction/${uid}/sso">Continue with ${organization} single sign-on</a></p>
${otherEmailForm(uid, csrfToken)}
${cancelForm(uid, csrfToken)}`),
  });
}

export interface TotpPageInput {
  uid: string;
  csrfToken: string;
  notice: LoginNotice | undefined;
}

export function totpPage({ uid, csrfToken, notice }: TotpPageInput): string {
  return page({
    title: 'Two-factor authentication · Twilio',
    body: card(html`
<h1>Two-factor authentication</h1>
<p class="muted">Enter the 6-digit code from your authenticator app.</p>
${alert(notice)}
<form method="post" action="/interaction/${uid}/totp">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <label for="code">Authentication code</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}"
    maxlength="7" required autofocus>
  <button type="submit">Verify</button>
</form>
<details style="margin-top:1rem"${notice === 'recovery_code' ? ' open' : ''}>
  <summary>Lost your device? Use a recovery code</summary>
  <form method="post" action="/interaction/${uid}/totp">
    <input type="hidden" name="csrf" value="${csrfToken}">
    <label for="recovery-code">Recovery code</label>
    <input id="recovery-code" name="code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false"
      maxlength="16" required>
    <button type="submit" class="secondary">Use recovery code</button>
  </form>
</details>
<form method="post" action="/interaction/${uid}/abort">
  <input type="hidden" name="csrf" value="${csrfToken}">
  <button type="submit" class="secondary">Cancel</button>
</form>`),
  });
}

export function messagePage(title: string, message: string, details?: SafeHtml): string {
  return page({ title: `${title} · Twilio`, body: card(html`<h1>${title}</h1><p>${message}</p>${details}`) });
}

export function tooManyAttemptsPage(uid: string, retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return messagePage(
    'Too many attempts',
    `For your security, wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} before trying again.`,
    html`<p><a href="/interaction/${uid}">Back to sign in</a></p>`,
  );
}

/**
 * oidc-provider's logout confirmation, with its form (already escaped by the library) placed in our layout. Only
 * "Yes" submits it; "No, stay signed in" is a way back to `stayHref`, where nothing has changed.
 */
export function logoutPage(form: string, stayHref: string): string {
  return page({
    title: 'Sign out · Twilio',
    body: card(html`
<h1>Sign out of Twilio?</h1>
<p class="muted">You will be signed out of Twilio and every product that uses your Twilio login.</p>
${new SafeHtml(form)}
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
<p><a href="${stayHref}">No, stay signed in</a></p>`),
  });
}

export function signedOutPage(clientName: string | undefined): string {
  return messagePage(
    'Signed out',
    clientName ? `You have signed out of ${clientName}.` : 'You have signed out of Twilio.',
  );
}
