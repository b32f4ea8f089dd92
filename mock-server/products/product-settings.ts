/**
 * A product's settings pages (Segment, SendGrid; DESIGN.md §2.5). For a user linked to a Twilio login
 * (`twilioSub` set) email, password and two-factor authentication are managed in the Twilio Console: the page shows
 * them with a link to the Console page that changes each, and the product refuses (403) any POST that would change
 * them, even a hand-made one. A user who is not linked changes email and password here, with the current password
 * (wrong ones count against the product login's throttle: 429 + Retry-After). The timezone is the product's own,
 * for everyone; Segment adds its session history (`renderSettingsExtra`).
 *
 * Every POST is same-origin (the site's middleware), carries the session's CSRF token, and answers a success with
 * 303; a refused change re-renders the page with the reason in a `role="alert"` box and a 4xx status.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../contract/api';
import { PRODUCTS, siteOrigin } from '../../contract/catalogue';
import { validNewEmail } from '../accounts/email-change';
import { ipKey, productAccountKey } from '../accounts/login-throttle';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from '../accounts/passwords';
import { MAX_EMAIL_LENGTH } from '../accounts/users';
import { showRefusalsOn } from '../error-response';
import { ProductSettingsError, type ProductSettingsSection, SettingsError } from '../errors';
import { html, PRODUCT_PAGE_HEADERS, page, type SafeHtml } from '../html';
import { seeOther } from '../responses';
import { clientAddress, readForm } from '../security';
import type { ProductSession } from './product-sessions';
import type { ProductSiteDeps, ProductSiteSpec } from './product-site';
import { isTimeZone, type ProductUser } from './product-users';

type Env = { Bindings: HttpBindings };

export const MIN_PRODUCT_PASSWORD_LENGTH = 12;

/** Outcomes shown once at the top of the page after a change (`/settings?done=…`). */
const DONE = {
  timezone: 'Timezone saved.',
  email: 'Your email is changed. Sign in with the new one from now on.',
  password: 'Your password is changed. You were signed out everywhere else.',
} as const;
type Done = keyof typeof DONE;

type Refusal = ProductSettingsError;

/** The new email of a product user who is not linked: the Console's email rule, shown in the email section. */
function productNewEmail(input: string, currentEmail: string): string {
  try {
    return validNewEmail(input, currentEmail);
  } catch (error) {
    if (error instanceof SettingsError && (error.code === 'invalid_email' || error.code === 'same_email')) {
      throw new ProductSettingsError('email', error.code, error.description);
    }
    throw error;
  }
}

export interface ProductSettingsKit {
  spec: ProductSiteSpec;
  deps: ProductSiteDeps;
  /** The product's navigation bar. */
  nav(user: ProductUser, session: ProductSession): SafeHtml;
  /** The signed-in user of this request, or undefined. */
  signedIn(c: Context<Env>): { session: ProductSession; user: ProductUser } | undefined;
}

/** The Console pages that manage what a linked user cannot change in a product. */
export function consoleSettingsLinks(port: number) {
  const consoleOrigin = siteOrigin('console', port);
  return {
    email: `${consoleOrigin}/settings/email`,
    password: `${consoleOrigin}/settings/password`,
    twoFactor: `${consoleOrigin}/settings/two-factor`,
  };
}

export function productSettingsRoutes({ spec, deps, nav, signedIn }: ProductSettingsKit): Hono<Env> {
  const { sessions, throttle, port } = deps;
  const product = PRODUCTS[spec.product];
  const consoleLinks = consoleSettingsLinks(port);
  const app = new Hono<Env>();

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
    <input id="new-password" name="new_password" type="password" autocomplete="new-password" required minlength="${MIN_PRODUCT_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}" aria-describedby="new-password-hint">
    <p class="muted" id="new-password-hint" style="margin:.25rem 0 0">At least ${MIN_PRODUCT_PASSWORD_LENGTH} characters.</p>
    <label for="confirm-password">Confirm new password</label>
    <input id="confirm-password" name="confirm_password" type="password" autocomplete="new-password" required minlength="${MIN_PRODUCT_PASSWORD_LENGTH}" maxlength="${MAX_PASSWORD_LENGTH}">
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

  function settingsPage(
    user: ProductUser,
    session: ProductSession,
    { done, refusal, values = {} }: { done?: Done; refusal?: Refusal; values?: Record<string, string> } = {},
  ): string {
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
  }

  /** The signed-in user and the POST's form, its CSRF token checked; or a redirect to sign in. */
  async function checkedPost(c: Context<Env>) {
    const form = await readForm(c.req.raw);
    const current = signedIn(c);
    if (!current) return { redirect: seeOther(c, `${PRODUCT_LOGIN_PATH}?next=%2Fsettings`) } as const;
    sessions.assertCsrf(current.session, form.csrf);
    return { ...current, form } as const;
  }

  /** From here on, a refusal shows the settings page again, its alert in its section, keeping what was typed. */
  function showRefusalsOnSettings(
    c: Context<Env>,
    current: { user: ProductUser; session: ProductSession; form: Record<string, string> },
  ): void {
    showRefusalsOn(c, (error) => {
      if (!(error instanceof ProductSettingsError)) return undefined;
      const values = { new_email: current.form.new_email ?? '', timezone: current.form.timezone ?? '' };
      const body = settingsPage(current.user, current.session, { refusal: error, values });
      return { body, headers: PRODUCT_PAGE_HEADERS };
    });
  }

  /** A linked user's email and password are the Twilio login's: no product page changes them. */
  function refuseIfLinked(user: ProductUser, what: 'email' | 'password'): void {
    if (!user.twilioSub) return;
    const description = `Your ${what} is your Twilio login's and is managed in your Twilio Console, not in ${product.name}.`;
    throw new ProductSettingsError('managed', 'managed_in_console', description, {
      alert: html`${description}
<a href="${what === 'email' ? consoleLinks.email : consoleLinks.password}">Change ${what} in the Twilio Console</a>`,
    });
  }

  /**
   * The current password of a user who is not linked. Throttled like the product's password login (same account
   * and IP keys): a throttled attempt gets 429 + Retry-After before any hashing; a wrong password is a failure.
   */
  async function checkCurrentPassword(
    c: Context<Env>,
    user: ProductUser,
    section: 'email' | 'password',
    password: string | undefined,
  ): Promise<void> {
    if (!password) {
      throw new ProductSettingsError(
        section,
        'reauthentication_required',
        'Enter your current password to make this change.',
      );
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new ProductSettingsError(section, 'password_too_long', 'That password is too long.');
    }
    const keys = [productAccountKey(spec.product, user.email), ipKey(clientAddress(c.env.incoming))] as const;
    if (!(await throttle.checkCredential(keys, () => verifyPassword(user.passwordHash, password)))) {
      throw new ProductSettingsError(section, 'wrong_password', 'Your current password is not correct.');
    }
  }

  app.get('/settings', (c) => {
    const current = signedIn(c);
    if (!current) return seeOther(c, `${PRODUCT_LOGIN_PATH}?next=%2Fsettings`);
    const done = c.req.query('done');
    const body = settingsPage(current.user, current.session, done && done in DONE ? { done: done as Done } : {});
    return c.body(body, 200, PRODUCT_PAGE_HEADERS);
  });

  app.post('/settings/timezone', async (c) => {
    const current = await checkedPost(c);
    if ('redirect' in current) return current.redirect;
    showRefusalsOnSettings(c, current);
    const zone = (current.form.timezone ?? '').trim();
    if (!isTimeZone(zone)) {
      throw new ProductSettingsError(
        'timezone',
        'invalid_timezone',
        `"${zone.slice(0, 64)}" is not a time zone we know.`,
      );
    }
    spec.users.setTimezone(current.user.id, zone);
    return seeOther(c, '/settings?done=timezone');
  });

  app.post('/settings/email', async (c) => {
    const current = await checkedPost(c);
    if ('redirect' in current) return current.redirect;
    const { user, form } = current;
    showRefusalsOnSettings(c, current);
    refuseIfLinked(user, 'email');
    const newEmail = productNewEmail(form.new_email ?? '', user.email);
    await checkCurrentPassword(c, user, 'email', form.current_password);
    const outcome = spec.users.setEmail(user.id, newEmail);
    if (outcome === 'taken') {
      const description = `${newEmail} is already used by another ${product.name} user. Use another email.`;
      throw new ProductSettingsError('email', 'email_taken', description);
    }
    if (outcome === 'linked') refuseIfLinked({ ...user, twilioSub: 'linked meanwhile' }, 'email');
    return seeOther(c, '/settings?done=email');
  });

  app.post('/settings/password', async (c) => {
    const current = await checkedPost(c);
    if ('redirect' in current) return current.redirect;
    const { user, session, form } = current;
    showRefusalsOnSettings(c, current);
    refuseIfLinked(user, 'password');
    const next = form.new_password ?? '';
    if (next.length < MIN_PRODUCT_PASSWORD_LENGTH || next.length > MAX_PASSWORD_LENGTH) {
      const description = `Choose a new password of at least ${MIN_PRODUCT_PASSWORD_LENGTH} characters.`;
      throw new ProductSettingsError('password', 'weak_password', description);
    }
    if (next !== form.confirm_password) {
      throw new ProductSettingsError(
        'password',
        'passwords_differ',
        'The new password and its confirmation are different.',
      );
    }
    await checkCurrentPassword(c, user, 'password', form.current_password);
    if (!spec.users.setPassword(user.id, await hashPassword(next))) {
      refuseIfLinked({ ...user, twilioSub: 'linked meanwhile' }, 'password');
    }
    sessions.endOtherSessions(user.id, session);
    return seeOther(c, '/settings?done=password');
  });

  return app;
}
