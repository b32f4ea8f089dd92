/**
 * The site of a product of the mock world (Segment, SendGrid): its own password login for users who are not
 * unified, "continue with Twilio" as an OIDC relying party of the Twilio IdP for those who are, a home per
 * workspace/account with the navigation bar the extension's switcher mounts into, settings and sign-out.
 * Segment and SendGrid differ only in what `ProductSiteSpec` says (names, their homes, their extra settings).
 *
 * A Twilio login maps to the product user linked to its `sub` (never by email). A unified user enters only
 * through the Twilio login: an email the lookup (`UnifiedLookup`, the same decision as `POST /api/lookup`) calls
 * unified is redirected from the password form to "continue with Twilio" with `login_hint` (issue 4); the form
 * also works email-first (password left empty).
 */
import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { CONTINUE_WITH_TWILIO_PATH, PRODUCT_LOGIN_PATH } from '../../contract/api';
import { PRODUCTS, siteOrigin } from '../../contract/catalogue';
import { ipKey, type LoginThrottle, productAccountKey } from '../accounts/login-throttle';
import { MAX_PASSWORD_LENGTH, verifyPassword } from '../accounts/passwords';
import { MAX_EMAIL_LENGTH, normaliseEmail, type UserStore } from '../accounts/users';
import { SWITCHER_SLOT_ID } from '../console/site';
import { errorResponse, showRefusalsOn } from '../error-response';
import { RequestError, tooManyAttempts } from '../errors';
import { html, PRODUCT_PAGE_HEADERS, page, type SafeHtml } from '../html';
import { CALLBACK_PATH } from '../identity/clients';
import type { UnifiedLookup } from '../identity/lookup';
import { LOGIN_NOTICE_PARAM, PASSWORD_RETIRED_NOTICE } from '../identity/pages';
import { LIMITED_RELEASE_NOTE, setupPath } from '../identity/product-status';
import type { NodeHandler } from '../identity/site';
import type { RelyingParty } from '../relying-party';
import { formOnly, seeOther } from '../responses';
import { safeNextPath } from '../safe-next-path';
import { clientAddress, limitBody, readForm, sameOriginOnly } from '../security';
import { describeDevice } from './device';
import type { ProductSession, ProductSessions } from './product-sessions';
import { productSettingsRoutes } from './product-settings';
import type { LoginMethod, ProductUser, ProductUsers, SetupProductId } from './product-users';
import { type TwilioLoginOffers, twilioLoginOfferRoutes } from './twilio-login-offer';

type Env = { Bindings: HttpBindings };

/** A Segment workspace or a SendGrid account, as its member sees it. */
export interface ProductHome {
  id: string;
  name: string;
  role: string;
  plan: string;
}

export interface HomeView {
  user: ProductUser;
  home: ProductHome;
  homes: ProductHome[];
}

export interface ProductSiteSpec {
  product: SetupProductId;
  /** What a home is called: 'workspace' (Segment) or 'account' (SendGrid); its pages live under `/<noun>s/<id>`. */
  homeNoun: 'workspace' | 'account';
  users: ProductUsers;
  /** The user's homes, most recently visited first. */
  homesOf(userId: string): ProductHome[];
  markVisited(userId: string, homeId: string): void;
  /** Called once per login (Segment keeps a session history). */
  recordLogin?(userId: string, method: LoginMethod, userAgent: string, device: string): void;
  /** The main content of a home page, below its heading. */
  renderHome(view: HomeView): SafeHtml;
  /** Extra settings sections (Segment: session history). */
  renderSettingsExtra?(user: ProductUser): SafeHtml;
}

export interface ProductSiteDeps {
  rp: RelyingParty;
  sessions: ProductSessions;
  throttle: LoginThrottle;
  /** Twilio users, to tell an ineligible Twilio login apart from one that only needs set-up. */
  twilioUsers: UserStore;
  /** Whether an email signs in with the Twilio login here: the same decision as the public lookup. */
  lookup: UnifiedLookup;
  /** "Use your Twilio login for …" after a password login (Segment users who are also eligible Twilio users). */
  offers: TwilioLoginOffers;
  port: number;
}

/** `/workspaces/<id>` or `/accounts/<id>`. */
export function homePath(spec: Pick<ProductSiteSpec, 'homeNoun'>, homeId: string): string {
  return `/${spec.homeNoun}s/${encodeURIComponent(homeId)}`;
}

/** The product's "continue with Twilio" URL (absolute), optionally landing on `next`. */
export function continueWithTwilioUrl(product: SetupProductId, port: number, next?: string): string {
  const url = new URL(CONTINUE_WITH_TWILIO_PATH, siteOrigin(PRODUCTS[product].site, port));
  if (next) url.searchParams.set('next', next);
  return url.href;
}

/** `?notice=` of "continue with Twilio" after a retired product password was typed. */
const RETIRED = 'password_retired';

type LoginNotice = { kind: 'credentials' } | { kind: 'password_needed' } | { kind: 'signed_out' };

export function productSite(spec: ProductSiteSpec, deps: ProductSiteDeps): NodeHandler {
  const { rp, sessions, throttle, twilioUsers, lookup, offers, port } = deps;
  const product = PRODUCTS[spec.product];
  const origin = siteOrigin(product.site, port);
  const app = new Hono<Env>();
  app.use('*', sameOriginOnly(origin), limitBody());

  const respond = (c: Context<Env>, body: string, status: 200 | 401 = 200) =>
    c.body(body, status, PRODUCT_PAGE_HEADERS);

  function nav(user: ProductUser, session: ProductSession): SafeHtml {
    return html`<nav class="top" aria-label="${product.name}">
  <a href="/" style="color:inherit;text-decoration:none;font-weight:700">${product.name}</a>
  <div id="${SWITCHER_SLOT_ID}"></div>
  <span class="spacer"></span>
  <a href="/settings" style="color:inherit">Settings</a>
  <span class="who">${user.name || user.email}</span>
  <form method="post" action="/sign-out">
    <input type="hidden" name="csrf" value="${session.csrfToken}">
    <button type="submit">Sign out</button>
  </form>
</nav>`;
  }

  /** The signed-in user of this request, or undefined (session gone or its user deleted). */
  function signedIn(c: Context<Env>): { session: ProductSession; user: ProductUser } | undefined {
    const session = sessions.current(c);
    const user = session && spec.users.findById(session.userId);
    // A product user whose Twilio login was deactivated by its organization stays, but cannot be reached.
    if (user?.twilioSub && twilioUsers.findById(user.twilioSub)?.active === false) return undefined;
    return session && user ? { session, user } : undefined;
  }

  function loginPage(c: Context<Env>, { next, email, notice }: { next: string; email?: string; notice?: LoginNotice }) {
    const csrf = sessions.loginCsrfToken(c);
    const twilioHref = `${CONTINUE_WITH_TWILIO_PATH}?${new URLSearchParams({ next })}`;
    const alert =
      notice?.kind === 'credentials'
        ? html`<div class="alert" role="alert">Email or password is incorrect.</div>`
        : notice?.kind === 'password_needed'
          ? html`<div class="alert" role="alert">Enter your password.</div>`
          : notice?.kind === 'signed_out'
            ? html`<p class="muted" role="status">You have signed out of ${product.name}.</p>`
            : '';
    return page({
      title: `Sign in · ${product.name}`,
      body: html`<div class="card"><div class="brand" aria-hidden="true">${product.name}</div>
<h1>Sign in to ${product.name}</h1>
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

  /**
   * Redirect-on-detected-email (DESIGN.md §2.4): a unified email submitted on the product's own login goes to the
   * product's "continue with Twilio", which starts its OIDC request with the email as `login_hint` and lands on
   * `next` (already a safe relative path) after the Twilio login. Built from our own constants, never from input URLs.
   */
  function redirectToTwilioLogin(c: Context<Env>, email: string, next: string, passwordRetired = false) {
    const query = new URLSearchParams({ login_hint: email, next, ...(passwordRetired ? { notice: RETIRED } : {}) });
    return seeOther(c, `${CONTINUE_WITH_TWILIO_PATH}?${query}`);
  }

  function signIn(c: Context<Env>, user: ProductUser, method: LoginMethod, next: string, idToken?: string) {
    sessions.start(c, { userId: user.id, method, ...(idToken ? { idToken } : {}) });
    const userAgent = c.req.header('user-agent');
    const device = describeDevice({
      userAgent,
      brands: c.req.header('sec-ch-ua'),
      platform: c.req.header('sec-ch-ua-platform'),
    });
    spec.recordLogin?.(user.id, method, userAgent ?? 'unknown', device);
    return seeOther(c, next);
  }

  app.get('/', (c) => {
    const current = signedIn(c);
    if (!current) return seeOther(c, PRODUCT_LOGIN_PATH);
    const first = spec.homesOf(current.user.id)[0];
    if (first) return seeOther(c, homePath(spec, first.id));
    return respond(
      c,
      page({
        title: product.name,
        wide: true,
        header: nav(current.user, current.session),
        body: html`<h1>No ${spec.homeNoun} yet</h1><p>You are not a member of any ${spec.homeNoun}.</p>`,
      }),
    );
  });

  app.get(`/${spec.homeNoun}s/:id`, (c) => {
    const current = signedIn(c);
    if (!current) return seeOther(c, `${PRODUCT_LOGIN_PATH}?${new URLSearchParams({ next: c.req.path })}`);
    const homes = spec.homesOf(current.user.id);
    const home = homes.find((candidate) => candidate.id === c.req.param('id'));
    if (!home) throw new RequestError('not_found', `You are not a member of this ${spec.homeNoun}.`);
    spec.markVisited(current.user.id, home.id);
    return respond(
      c,
      page({
        title: `${home.name} · ${product.name}`,
        wide: true,
        header: nav(current.user, current.session),
        body: html`${offers.render(current.user, current.session, c.req.path)}${spec.renderHome({
          user: current.user,
          home,
          homes,
        })}`,
      }),
    );
  });

  app.get(PRODUCT_LOGIN_PATH, (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (signedIn(c)) return seeOther(c, next);
    const notice: LoginNotice | undefined = c.req.query('signed_out') === '1' ? { kind: 'signed_out' } : undefined;
    return respond(c, loginPage(c, { next, ...(notice ? { notice } : {}) }));
  });

  app.post(PRODUCT_LOGIN_PATH, async (c) => {
    const form = await readForm(c.req.raw);
    sessions.assertLoginCsrf(c, form.csrf);
    const next = safeNextPath(form.next);
    const email = form.email ?? '';
    const password = form.password ?? '';
    if (!email) throw new RequestError('invalid_request', 'Enter your email.');
    if (email.length > MAX_EMAIL_LENGTH) throw new RequestError('invalid_request', 'That email is too long.');
    if (password.length > MAX_PASSWORD_LENGTH) throw new RequestError('invalid_request', 'That password is too long.');

    const normalised = normaliseEmail(email);
    const ip = clientAddress(c.env.incoming);
    showThrottlingOn(c);
    if (!password) {
      // Email first: the same question the public lookup answers, under the same rate limits.
      const wait = Math.max(lookup.takeIp(ip), lookup.takeEmail(normalised));
      if (wait > 0) throw tooManyAttempts(wait);
      if (lookup.isUnified(spec.product, normalised)) return redirectToTwilioLogin(c, normalised, next);
      return respond(c, loginPage(c, { next, email: normalised, notice: { kind: 'password_needed' } }));
    }

    const keys = [productAccountKey(spec.product, normalised), ipKey(ip)] as const;
    throttle.refuseIfThrottled(keys);
    if (lookup.isUnified(spec.product, normalised)) {
      // The password is retired: not checked, not used. Same hashing time as any other attempt. The Twilio login
      // says why the password was not taken (the redirect itself already tells that this email is unified).
      await verifyPassword(undefined, password);
      return redirectToTwilioLogin(c, normalised, next, true);
    }
    const user = spec.users.findByEmail(normalised);
    const right = await throttle.checkCredential(keys, () => verifyPassword(user?.passwordHash, password));
    if (!right || !user) {
      return respond(c, loginPage(c, { next, email: normalised, notice: { kind: 'credentials' } }), 401);
    }
    return signIn(c, user, 'password', next);
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
    const { identity, returnTo } = await rp.completeSignIn(c);
    const user = spec.users.findByTwilioSub(identity.sub);
    if (user) return signIn(c, user, 'twilio', returnTo, identity.idToken);
    const twilio = twilioUsers.findById(identity.sub);
    if (!twilio?.eligible) {
      throw new RequestError(
        'forbidden',
        `${product.name} with your Twilio login is in limited release. ${LIMITED_RELEASE_NOTE}.`,
      );
    }
    // A Twilio user without a linked product user yet: first-time set-up, on the login host.
    return seeOther(c, `${siteOrigin('login', port)}${setupPath(spec.product)}`);
  });

  // Settings (email, password, 2FA managed in the Console for unified users; timezone; session history).
  app.route('/', productSettingsRoutes({ spec, deps, nav, signedIn }));

  app.route('/', twilioLoginOfferRoutes({ offers, sessions, signedIn, loginPath: PRODUCT_LOGIN_PATH }));

  formOnly(app, '/sign-out', 'Use the Sign out button in the navigation bar.');
  app.post('/sign-out', async (c) => {
    const form = await readForm(c.req.raw);
    const session = sessions.current(c);
    if (!session) return seeOther(c, PRODUCT_LOGIN_PATH);
    sessions.assertCsrf(session, form.csrf);
    sessions.end(c, session);
    // A Twilio login ends at the IdP too, or "continue with Twilio" would sign straight back in.
    if (session.method === 'twilio' && session.idToken) return seeOther(c, await rp.endSessionUrl(session.idToken));
    return seeOther(c, `${PRODUCT_LOGIN_PATH}?signed_out=1`);
  });

  /** A throttled login shows its own page, with the wait and a way back to sign in. */
  function showThrottlingOn(c: Context<Env>) {
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

  app.notFound((c) =>
    errorResponse(new RequestError('not_found', 'There is no page here.'), c, { json: false, retryHref: '/' }),
  );
  app.onError((error, c) => errorResponse(error, c, { json: false, retryHref: '/' }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
