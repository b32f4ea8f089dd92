/**
 * Signing in to a product: its own password login for users who are not unified, and "continue with Twilio" as an
 * OIDC relying party of the Twilio IdP for those who are. A Twilio login maps to the product user linked to its
 * `sub` (never by email). An email the lookup (`UnifiedLookup`, the same decision as `POST /api/lookup`) calls
 * unified is redirected from the password form to "continue with Twilio" with `login_hint`; the form also works
 * email-first (password left empty). Password attempts are throttled per account (per device for a trusted device,
 * identity/device-cookies.ts) and per IP.
 */

import { type Context, Hono } from 'hono';
import { CONTINUE_WITH_TWILIO_PATH, PRODUCT_LOGIN_PATH } from '../../../contract/api';
import { siteOrigin } from '../../../contract/catalogue';
import { emailCharacterProblem, MAX_EMAIL_LENGTH, normaliseEmail } from '../../../contract/email';
import { safeNextPath } from '../../../contract/next-path';
import { CONTACT_SUPPORT } from '../../../contract/workspaces';
import { ipKey } from '../../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../../accounts/passwords';
import { refusedWith, showRefusalsOn } from '../../error-response';
import { RequestError, tooManyAttempts } from '../../errors';
import { html, PRODUCT_PAGE_HEADERS, page } from '../../html';
import { CALLBACK_PATH } from '../../identity/clients';
import { LOGIN_NOTICE_PARAM, PASSWORD_RETIRED_NOTICE } from '../../identity/pages';
import { setupPath } from '../../identity/product-status';
import { loginPathWith, returnNoticeOf } from '../../relying-party';
import { seeOther } from '../../responses';
import { clientAddress, readForm } from '../../security';
import type { ProductSiteKit } from './kit';
import { type LoginNotice, loginPage } from './login-page';
import type { ProductSiteEnv } from './spec';

/** `?notice=` of "continue with Twilio" after a retired product password was typed. */
const RETIRED = 'password_retired';

type C = Context<ProductSiteEnv>;

export function loginRoutes(kit: ProductSiteKit): Hono<ProductSiteEnv> {
  const { spec, product, rp, sessions, throttle, deviceCookies, twilioUsers, lookup, port } = kit;
  const app = new Hono<ProductSiteEnv>();

  const renderLogin = (c: C, input: { next: string; email?: string; notice?: LoginNotice }) =>
    loginPage({ productName: product.name, csrf: sessions.loginCsrfToken(c), ...input });

  /**
   * Redirect-on-detected-email: a unified email submitted on the product's own login goes to the product's
   * "continue with Twilio", which starts its OIDC request with the email as `login_hint` and lands on `next`
   * (already a safe relative path) after the Twilio login. Built from our own constants, never from input URLs.
   */
  function redirectToTwilioLogin(c: C, email: string, next: string, passwordRetired = false) {
    const query = new URLSearchParams({ login_hint: email, next, ...(passwordRetired ? { notice: RETIRED } : {}) });
    return seeOther(c, `${CONTINUE_WITH_TWILIO_PATH}?${query}`);
  }

  /**
   * The form asks the lookup's question, so it spends the lookup's per-IP window (shared with `POST /api/lookup`:
   * one address gets no more answers for using both). Not the per-email window: anyone can spend that for an
   * address, and its owner must still be able to sign in.
   */
  function takeLookup(ip: string): void {
    const wait = lookup.takeIp(ip);
    if (wait > 0) throw tooManyAttempts(wait);
  }

  /** A throttled login shows its own page, with the wait and a way back to sign in. */
  function showThrottlingOn(c: C) {
    showRefusalsOn(c, (error) => {
      if (error.code !== 'too_many_attempts') return undefined;
      const minutes = Math.ceil((error.retryAfterSeconds ?? 1) / 60);
      const body = page({
        title: `Too many attempts · ${product.name}`,
        body: html`<div class="card"><h1>Too many attempts</h1>
<p>For your security, wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} before trying again.</p>
<p><a href="${PRODUCT_LOGIN_PATH}">Back to sign in</a></p></div>`,
      });
      return { body, headers: PRODUCT_PAGE_HEADERS };
    });
  }

  app.get(PRODUCT_LOGIN_PATH, (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (kit.signedIn(c)) return seeOther(c, next);
    const returned = returnNoticeOf(c.req.query('notice'));
    const notice: LoginNotice | undefined =
      c.req.query('signed_out') === '1' ? { kind: 'signed_out' } : returned ? { kind: returned } : undefined;
    return kit.respond(c, renderLogin(c, { next, ...(notice ? { notice } : {}) }));
  });

  app.post(PRODUCT_LOGIN_PATH, async (c) => {
    const form = await readForm(c.req.raw);
    sessions.assertLoginCsrf(c, form.csrf);
    const next = safeNextPath(form.next);
    const email = form.email ?? '';
    const password = form.password ?? '';
    if (!email) throw new RequestError('invalid_request', 'Enter your email.');
    if (email.length > MAX_EMAIL_LENGTH) throw new RequestError('invalid_request', 'That email is too long.');
    const problem = emailCharacterProblem(email);
    if (problem) throw new RequestError('invalid_request', problem);
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');

    const normalised = normaliseEmail(email);
    const ip = clientAddress(c.env.incoming);
    showThrottlingOn(c);
    if (!password) {
      // Email first: the same question the public lookup answers.
      takeLookup(ip);
      if (lookup.isUnified(spec.product, normalised)) return redirectToTwilioLogin(c, normalised, next);
      return kit.respond(c, renderLogin(c, { next, email: normalised, notice: { kind: 'password_needed' } }));
    }

    if (lookup.isUnified(spec.product, normalised)) {
      // The password is retired: not checked, not used. Same hashing time as any other attempt. The Twilio login
      // says why the password was not taken (the redirect itself already tells that this email is unified). This
      // answers the lookup's question and records no failure, so it takes the lookup's rate limit, before hashing.
      // Only the IP's counter may refuse it: the product account's holds guesses from before the link, and nothing
      // is checked here for them to protect (the Twilio login has its own).
      throttle.refuseIfThrottled([ipKey(ip)]);
      takeLookup(ip);
      await verifyPassword(undefined, password);
      return redirectToTwilioLogin(c, normalised, next, true);
    }
    const user = spec.users.findByEmail(normalised);
    const keys = [deviceCookies.attemptKey(c, normalised, user?.id), ipKey(ip)] as const;
    const right = await throttle.checkCredential(keys, () => verifyPassword(user?.passwordHash, password));
    if (!right || !user) {
      return kit.respond(c, renderLogin(c, { next, email: normalised, notice: { kind: 'credentials' } }), 401);
    }
    deviceCookies.remember(c, user.id);
    return kit.signIn(c, user, 'password', next);
  });

  app.get(CONTINUE_WITH_TWILIO_PATH, (c) => {
    const hint = c.req.query('login_hint');
    return rp.startSignIn(c, {
      returnTo: safeNextPath(c.req.query('next')),
      ...(hint && hint.length <= MAX_EMAIL_LENGTH ? { loginHint: hint } : {}),
      ...(c.req.query('notice') === RETIRED ? { extraParams: { [LOGIN_NOTICE_PARAM]: PASSWORD_RETIRED_NOTICE } } : {}),
    });
  });

  app.get(CALLBACK_PATH, async (c) => {
    const outcome = await rp.completeSignIn(c);
    // Cancelled at the Twilio login: back to this login page, which says so (a password session stays signed in).
    if (outcome.cancelled) return seeOther(c, loginPathWith('sign_in_cancelled', outcome.returnTo));
    const { identity, returnTo } = outcome;
    const user = spec.users.findByTwilioSub(identity.sub);
    if (user) return kit.signIn(c, user, 'twilio', returnTo, identity.idToken);
    const twilio = twilioUsers.findById(identity.sub);
    const setupUrl = `${siteOrigin('login', port)}${setupPath(spec.product)}`;
    if (!twilio?.eligible) {
      const message = `${product.name} with your Twilio login is in limited release. ${CONTACT_SUPPORT}.`;
      // Not the generic page: its "home" link would only sign in again to this refusal. The set-up page has the
      // Request access form (and shows a request already made).
      const body = page({
        title: `Not available yet · ${product.name}`,
        body: html`<div class="card"><h1>Not available yet</h1>
<p>${message}</p>
<p><a href="${setupUrl}">Request access</a></p></div>`,
      });
      refusedWith(c, new RequestError('forbidden', message), { body, headers: PRODUCT_PAGE_HEADERS });
    }
    // A Twilio user without a linked product user yet: first-time set-up, on the login host.
    return seeOther(c, setupUrl);
  });

  return app;
}
