/**
 * The Console's account settings pages: overview, change email (and confirm it from the mailbox link), change
 * password, and two-factor authentication (set up with a QR code, recovery codes, turn off). Plain forms with
 * labels, a CSRF token each, errors in a `role="alert"` box; light/dark through the shared layout.
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode-svg';
import type { User } from '../../accounts/users';
import { html, page, SafeHtml } from '../../html';
import type { RpSession } from '../../relying-party';
import { consoleNav } from '../nav';

/** Outcomes shown once on the overview after a change (`/settings?done=…`). */
export const DONE_MESSAGES = {
  'email-sent': 'Check your new inbox: we sent a link to confirm the new email. Nothing changes until you open it.',
  'email-changed': 'Your email is changed. Use the new one to sign in to the Console, Segment and SendGrid.',
  'password-changed': 'Your password is changed. You were signed out everywhere else.',
  'two-factor-off': 'Two-factor authentication is off.',
  timezone: 'Timezone saved.',
} as const;
export type DoneMessage = keyof typeof DONE_MESSAGES;

export interface SettingsView {
  session: RpSession;
  user: User;
  /** Signed in less than 5 minutes ago: the current password may be left empty. */
  recentLogin: boolean;
  /** The organization managing the user: their email is its to change, and with SSO enforced, their sign-in. */
  managed?: { organization: string; enforced: boolean } | undefined;
  error?: string | undefined;
}

function settingsPage(view: SettingsView, title: string, body: SafeHtml): string {
  return page({
    title: `${title} · Twilio Console`,
    header: consoleNav(view),
    body: html`<p><a href="/settings">← Settings</a></p>
<div class="card">
<h1>${title}</h1>
${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ''}
${body}
</div>`,
  });
}

const hidden = (session: RpSession) => html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;

/** `idPrefix` keeps the ids unique where two forms on one page ask for the password (renew codes, turn 2FA off). */
function currentPasswordField(view: SettingsView, idPrefix = '') {
  const id = `${idPrefix}current-password`;
  return html`<label for="${id}">Current password</label>
<input id="${id}" name="current_password" type="password" autocomplete="current-password" maxlength="1024"${view.recentLogin ? '' : ' required'} aria-describedby="${id}-hint">
<p class="muted" id="${id}-hint" style="margin:.25rem 0 0">${
    view.recentLogin
      ? 'You signed in less than 5 minutes ago, so you may leave this empty.'
      : 'To protect your account, confirm it is you.'
  }</p>`;
}

export function overviewPage(
  view: SettingsView & { done?: DoneMessage | undefined; twoFactorCodesLeft: number; timezone?: string },
) {
  const { user, timezone } = view;
  return page({
    title: 'Settings · Twilio Console',
    wide: true,
    header: consoleNav(view),
    body: html`<h1>Settings</h1>
${view.done ? html`<div class="card" role="status" style="margin-bottom:1rem">${DONE_MESSAGES[view.done]}</div>` : ''}
<section class="card" aria-labelledby="login-heading">
  <h2 id="login-heading" style="margin-top:0;font-size:1.1rem">Your Twilio login</h2>
  <p class="muted">Your email, password and two-factor authentication are the same for the Console, Segment and SendGrid, and are managed here.</p>
  <dl>
    <dt>Email</dt><dd data-testid="settings-email">${user.email} · ${view.managed ? `Managed by ${view.managed.organization}` : html`<a href="/settings/email">Change email</a>`}</dd>
    <dt>Password</dt><dd data-testid="settings-password">${view.managed?.enforced ? `None: you sign in with ${view.managed.organization}’s identity provider` : html`•••••••• · <a href="/settings/password">Change password</a>`}</dd>
    <dt>Two-factor authentication</dt><dd data-testid="settings-two-factor">${user.totpSecret ? `On (${view.twoFactorCodesLeft} recovery codes left)` : 'Off'} · <a href="/settings/two-factor">${user.totpSecret ? 'Manage two-factor authentication' : 'Set up two-factor authentication'}</a></dd>
  </dl>
  ${user.totpSecret ? recoveryCodesWarning(view, view.twoFactorCodesLeft) : ''}
</section>
<section class="card" aria-labelledby="timezone-heading" style="margin-top:1rem">
  <h2 id="timezone-heading" style="margin-top:0;font-size:1.1rem">Timezone</h2>
  ${view.error ? html`<div class="alert" role="alert">${view.error}</div>` : ''}
  <form method="post" action="/settings/timezone">
    ${hidden(view.session)}
    <label for="timezone">Timezone</label>
    <input id="timezone" name="timezone" type="text" required maxlength="64" value="${timezone ?? user.timezone}" aria-describedby="timezone-help">
    <p id="timezone-help" class="muted">Used by the Console only; Segment and SendGrid keep their own. An IANA time zone, e.g. Europe/Paris or America/New_York.</p>
    <button type="submit">Save timezone</button>
  </form>
</section>`,
  });
}

/** What the email and password pages say instead of their form to an organization's member. */
export function managedEmailText(organization: string): string {
  return `Your email is managed by ${organization}: its administrator changes it.`;
}
export function managedPasswordText(organization: string): string {
  return `${organization} signs you in with its identity provider, so your Twilio login has no password to change.`;
}

export function emailPage(view: SettingsView, newEmail = '') {
  if (view.managed) {
    return settingsPage(view, 'Change email', html`<p>${managedEmailText(view.managed.organization)}</p>`);
  }
  return settingsPage(
    view,
    'Change email',
    html`<p>Your email is <strong>${view.user.email}</strong>. We send a link to the new address; the change takes effect when you open it.</p>
<form method="post" action="/settings/email">
  ${hidden(view.session)}
  <label for="new-email">New email</label>
  <input id="new-email" name="new_email" type="email" autocomplete="email" required maxlength="254" value="${newEmail}">
  ${currentPasswordField(view)}
  <button type="submit">Send verification link</button>
</form>`,
  );
}

export function confirmEmailPage(view: SettingsView, token: string, newEmail: string) {
  return settingsPage(
    view,
    'Confirm your new email',
    html`<p>Change the email of your Twilio login from <strong>${view.user.email}</strong> to <strong>${newEmail}</strong>?</p>
<form method="post" action="/settings/email/verify">
  ${hidden(view.session)}
  <input type="hidden" name="token" value="${token}">
  <button type="submit">Confirm new email</button>
</form>`,
  );
}

export function linkProblemPage(view: SettingsView) {
  return settingsPage(view, 'This link cannot be used', html`<p><a href="/settings/email">Change email</a></p>`);
}

export function passwordPage(view: SettingsView) {
  if (view.managed?.enforced) {
    return settingsPage(view, 'Change password', html`<p>${managedPasswordText(view.managed.organization)}</p>`);
  }
  return settingsPage(
    view,
    'Change password',
    html`<p class="muted">Changing your password signs you out everywhere else, including the browser extension.</p>
<form method="post" action="/settings/password">
  ${hidden(view.session)}
  ${currentPasswordField(view)}
  <label for="new-password">New password</label>
  <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024" aria-describedby="new-password-hint">
  <p class="muted" id="new-password-hint" style="margin:.25rem 0 0">At least 12 characters.</p>
  <label for="confirm-password">Confirm new password</label>
  <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024">
  <button type="submit">Change password</button>
</form>`,
  );
}

export function twoFactorOffPage(view: SettingsView) {
  return settingsPage(
    view,
    'Two-factor authentication',
    html`<p>Two-factor authentication is <strong>off</strong>. Turn it on to ask for a code from an authenticator app after your password, for the Console, Segment and SendGrid.</p>
<form method="post" action="/settings/two-factor/setup">
  ${hidden(view.session)}
  <button type="submit">Set up two-factor authentication</button>
</form>`,
  );
}

/** The otpauth:// URI as an inline SVG QR code (no script, no external image). */
export function qrCodeSvg(uri: string): SafeHtml {
  const svg = new QRCode({
    content: uri,
    padding: 2,
    width: 200,
    height: 200,
    ecl: 'M',
    join: true,
    pretty: false,
    xmlDeclaration: false,
    container: 'svg-viewbox',
    color: '#000000',
    background: '#ffffff',
  }).svg();
  // The library's own output (only our URI, which it encodes as modules, not text).
  return new SafeHtml(
    svg.replace('<svg ', '<svg role="img" aria-label="QR code for your authenticator app" width="200" height="200" '),
  );
}

/**
 * Names a 2FA set-up without its secret: the set-up form sends it back, so a form from a set-up started again since
 * (another tab, another window) is told apart from a wrong code.
 */
export function enrolmentTag(secret: string): string {
  return createHash('sha256').update(`two-factor-setup:${secret}`).digest('base64url').slice(0, 16);
}

export function twoFactorSetupPage(view: SettingsView, enrolment: { secret: string; uri: string }) {
  const grouped = enrolment.secret.replace(/(.{4})/g, '$1 ').trim();
  return settingsPage(
    view,
    'Set up two-factor authentication',
    html`<ol>
  <li>Scan this QR code with your authenticator app:
    <div style="margin:.75rem 0">${qrCodeSvg(enrolment.uri)}</div>
    Or enter this key by hand: <code data-testid="totp-secret" data-secret="${enrolment.secret}">${grouped}</code></li>
  <li>Enter the 6-digit code the app shows.</li>
</ol>
<form method="post" action="/settings/two-factor/enable">
  ${hidden(view.session)}
  <input type="hidden" name="setup" value="${enrolmentTag(enrolment.secret)}">
  <label for="code">Authentication code</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required>
  ${currentPasswordField(view)}
  <button type="submit">Turn on two-factor authentication</button>
</form>`,
  );
}

/** At or below this many unused recovery codes, the settings warn and offer new ones. */
export const FEW_RECOVERY_CODES = 3;

/** The codes as a plain text file: what "Download" saves. */
function recoveryCodesFile(codes: readonly string[]): string {
  return `Twilio recovery codes (each works once)\n\n${codes.join('\n')}\n`;
}

export function recoveryCodesPage(view: SettingsView, codes: readonly string[] | undefined) {
  const file = codes ? `data:text/plain;charset=utf-8,${encodeURIComponent(recoveryCodesFile(codes))}` : '';
  return settingsPage(
    view,
    codes ? 'Save your recovery codes' : 'Recovery codes',
    codes
      ? html`<p>Two-factor authentication is <strong>on</strong>. If you lose your authenticator app, sign in with one of these codes instead of a 6-digit code. Each code works once. Keep them somewhere safe: they are shown only now.</p>
<ol aria-label="Recovery codes" data-testid="recovery-codes" style="font-family:ui-monospace,monospace;columns:2">${codes.map((code) => html`<li>${code}</li>`)}</ol>
<label for="recovery-codes-text">Recovery codes as text, to copy</label>
<textarea id="recovery-codes-text" readonly rows="5" style="width:100%;font-family:ui-monospace,monospace">${codes.join('\n')}</textarea>
<p style="display:flex;gap:.75rem;flex-wrap:wrap">
  <button type="button" class="inline" id="copy-recovery-codes" data-copy="recovery-codes-text">Copy codes</button>
  <a href="${file}" download="twilio-recovery-codes.txt" data-testid="download-recovery-codes">Download codes (.txt)</a>
</p>
<p role="status" id="copy-status" class="muted"></p>
<script>${new SafeHtml(COPY_SCRIPT)}</script>
<p><a href="/settings">Done</a></p>`
      : html`<p>Your recovery codes are shown only once, when they are made, and cannot be shown again. If you have lost them, make new ones on the <a href="/settings/two-factor">two-factor authentication</a> page.</p>
<p><a href="/settings">Back to settings</a></p>`,
  );
}

/** Copies the codes with the Clipboard API; the text stays selectable in the field when that is not allowed. */
const COPY_SCRIPT = `document.getElementById('copy-recovery-codes').addEventListener('click', async (event) => {
  const field = document.getElementById(event.currentTarget.dataset.copy);
  const status = document.getElementById('copy-status');
  try { await navigator.clipboard.writeText(field.value); status.textContent = 'Copied to the clipboard.'; }
  catch { field.select(); status.textContent = 'Select the codes above and copy them.'; }
});`;

/** The warning for few (or no) recovery codes left, with the way to make new ones. */
export function recoveryCodesWarning(view: SettingsView, codesLeft: number) {
  if (codesLeft > FEW_RECOVERY_CODES) return html``;
  const form = html`<form method="post" action="/settings/two-factor/recovery-codes/renew">
  ${hidden(view.session)}
  ${currentPasswordField(view, 'renew-')}
  <button type="submit" class="inline" style="margin-top:.75rem">Make new recovery codes</button>
</form>`;
  return codesLeft === 0
    ? html`<div class="alert" role="alert" data-testid="recovery-codes-warning"><strong>You have no recovery codes left.</strong>
If you lose your authenticator app you won't be able to sign in. Make new ones now (the old ones are all used).${form}</div>`
    : html`<div class="notice" role="status" data-testid="recovery-codes-warning">Only ${codesLeft} recovery
code${codesLeft === 1 ? '' : 's'} left. Make new ones before you run out (the unused ones stop working).${form}</div>`;
}

export function twoFactorOnPage(view: SettingsView, codesLeft: number) {
  return settingsPage(
    view,
    'Two-factor authentication',
    html`<p>Two-factor authentication is <strong>on</strong>. You have ${codesLeft} unused recovery codes.</p>
${recoveryCodesWarning(view, codesLeft)}
<h2 style="font-size:1.05rem">Turn off two-factor authentication</h2>
<form method="post" action="/settings/two-factor/disable">
  ${hidden(view.session)}
  <label for="code">Authentication code</label>
  <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]{6,7}"
    maxlength="7" aria-describedby="code-hint">
  <p class="muted" id="code-hint" style="margin:.25rem 0 0">The 6-digit code from your authenticator app.</p>
  <details style="margin-top:.75rem">
    <summary>Lost your device? Use a recovery code instead</summary>
    <label for="recovery-code">Recovery code</label>
    <input id="recovery-code" name="recovery_code" type="text" autocomplete="off" autocapitalize="none"
      spellcheck="false" maxlength="32">
  </details>
  ${currentPasswordField(view)}
  <button type="submit">Turn off two-factor authentication</button>
</form>`,
  );
}
