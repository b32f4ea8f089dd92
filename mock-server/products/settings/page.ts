/**
 * A product's settings page (Segment, SendGrid): profile; email and password for a user who is not linked, or
 * "managed in your Twilio Console" with links for a linked one; the product's own timezone; extras of the product
 * (Segment's session history). A refusal shows its alert in the section it belongs to.
 */

import { PRODUCTS, siteOrigin } from '../../../contract/catalogue';
import { MAX_EMAIL_LENGTH } from '../../../contract/email';
import { MIN_PASSWORD_LENGTH } from '../../../contract/passwords';
import { MAX_PASSWORD_LENGTH } from '../../accounts/passwords';
import type { ProductSettingsError, ProductSettingsSection } from '../../errors';
import { html, page, type SafeHtml } from '../../html';
import type { ProductSession } from '../product-sessions';
import type { ProductUser } from '../product-users';
import type { ProductSiteSpec } from '../site/spec';

/** Outcomes shown once at the top of the page after a change (`/settings?done=…`). */
export const DONE = {
  timezone: 'Timezone saved.',
  'email-sent': 'We sent a link to your new email. Open it within 30 minutes to make the change.',
  email: 'Your email is changed. Sign in with the new one from now on.',
  password: 'Your password is changed. You were signed out everywhere else.',
} as const;
export type Done = keyof typeof DONE;

type Refusal = ProductSettingsError;

/** The Console pages that manage what a linked user cannot change in a product. */
export function consoleSettingsLinks(port: number) {
  const consoleOrigin = siteOrigin('console', port);
  return {
    email: `${consoleOrigin}/settings/email`,
    password: `${consoleOrigin}/settings/password`,
    twoFactor: `${consoleOrigin}/settings/two-factor`,
  };
}

export interface SettingsPageInput {
  done?: Done;
  refusal?: Refusal;
  /** What the user typed, kept after a refusal. */
  values?: Record<string, string>;
}

export type SettingsPage = (user: ProductUser, session: ProductSession, input?: SettingsPageInput) => string;

/** The settings page of one product, with its navigation bar. */
export function settingsPageOf(
  spec: Pick<ProductSiteSpec, 'product' | 'renderSettingsExtra'>,
  port: number,
  nav: (user: ProductUser, session: ProductSession) => SafeHtml,
): SettingsPage {
  const product = PRODUCTS[spec.product];
  const consoleLinks = consoleSettingsLinks(port);

  const alert = (refusal: Refusal | undefined, section: ProductSettingsSection) =>
    refusal?.section === section ? html`<div class="alert" role="alert">${refusal.alert}</div>` : '';

  const csrfField = (session: ProductSession) => html`<input type="hidden" name="csrf" value="${session.csrfToken}">`;

  function managedSection(user: ProductUser, refusal: Refusal | undefined): SafeHtml {
    const managed = html`<span class="muted">Managed in your Twilio Console</span>`;
    return html`<section class="card" aria-labelledby="login-heading" style="margin-top:1rem" data-testid="managed-by-twilio">
  <h2 id="login-heading" style="margin-top:0;font-size:1.1rem">Email, password and two-factor authentication</h2>
  ${alert(refusal, 'managed')}
  <p class="muted">You sign in to ${product.name} with your Twilio login. Its email, password and two-factor
authentication are the same for the Console, Segment and SendGrid, and are managed in your Twilio Console.</p>
  <dl>
    <dt>Email</dt><dd data-testid="managed-email">${user.email} · ${managed} ·
      <a href="${consoleLinks.email}">Change email in the Twilio Console</a></dd>
    <dt>Password</dt><dd data-testid="managed-password">${managed} ·
      <a href="${consoleLinks.password}">Change password in the Twilio Console</a></dd>
    <dt>Two-factor authentication</dt><dd data-testid="managed-two-factor">${managed} ·
      <a href="${consoleLinks.twoFactor}">Manage two-factor authentication in the Twilio Console</a></dd>
  </dl>
</section>`;
  }

  function emailSection(user: ProductUser, session: ProductSession, refusal: Refusal | undefined, newEmail: string) {
    return html`<section class="card" aria-labelledby="email-heading" style="margin-top:1rem">
  <h2 id="email-heading" style="margin-top:0;font-size:1.1rem">Email</h2>
  ${alert(refusal, 'email')}
  <p>You sign in to ${product.name} with <strong>${user.email}</strong>.</p>
  <form method="post" action="/settings/email">
    ${csrfField(session)}
    <label for="new-email">New email</label>
    <input id="new-email" name="new_email" type="email" autocomplete="email" required maxlength="${MAX_EMAIL_LENGTH}" value="${newEmail}">
    <label for="email-current-password">Current password</label>
    <input id="email-current-password" name="current_password" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}">
    <button type="submit">Change email</button>
  </form>
</section>`;
  }

  function passwordSection(session: ProductSession, refusal: Refusal | undefined) {
    return html`<section class="card" aria-labelledby="password-heading" style="margin-top:1rem">
  <h2 id="password-heading" style="margin-top:0;font-size:1.1rem">Password</h2>
  ${alert(refusal, 'password')}
  <p class="muted">Changing your password signs you out of ${product.name} everywhere else.</p>
  <form method="post" action="/settings/password">
    ${csrfField(session)}
    <label for="password-current-password">Current password</label>
    <input id="password-current-password" name="current_password" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_LENGTH}">
    <label for="new-password">New password</label>
    <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" aria-describedby="new-password-hint">
    <p class="muted" id="new-password-hint" style="margin:.25rem 0 0">At least ${MIN_PASSWORD_LENGTH} characters.</p>
    <label for="confirm-password">Confirm new password</label>
    <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">
    <button type="submit">Change password</button>
  </form>
</section>`;
  }

  function timezoneSection(user: ProductUser, session: ProductSession, refusal: Refusal | undefined, zone: string) {
    return html`<section class="card" aria-labelledby="timezone-heading" style="margin-top:1rem">
  <h2 id="timezone-heading" style="margin-top:0;font-size:1.1rem">Timezone</h2>
  ${alert(refusal, 'timezone')}
  <form method="post" action="/settings/timezone">
    ${csrfField(session)}
    <label for="timezone">Timezone</label>
    <input id="timezone" name="timezone" type="text" required maxlength="64" value="${zone || user.timezone}"
      aria-describedby="timezone-help">
    <p id="timezone-help" class="muted">Used by ${product.name} only. An IANA time zone, e.g. Europe/Paris or America/New_York.</p>
    <button type="submit">Save timezone</button>
  </form>
</section>`;
  }

  return function settingsPage(user, session, { done, refusal, values = {} } = {}) {
    return page({
      title: `Settings · ${product.name}`,
      wide: true,
      header: nav(user, session),
      body: html`<h1>Settings</h1>
${done ? html`<div class="card" role="status" style="margin-bottom:1rem">${DONE[done]}</div>` : ''}
<section class="card" aria-labelledby="profile-heading">
  <h2 id="profile-heading" style="margin-top:0;font-size:1.1rem">Profile</h2>
  <dl>
    <dt>Name</dt><dd>${user.name}</dd>
    <dt>Email</dt><dd data-testid="user-email">${user.email}</dd>
  </dl>
</section>
${
  user.twilioSub
    ? managedSection(user, refusal)
    : html`${emailSection(user, session, refusal, values.new_email ?? '')}
${passwordSection(session, refusal)}`
}
${timezoneSection(user, session, refusal, values.timezone ?? '')}
${spec.renderSettingsExtra?.(user)}`,
    });
  };
}
