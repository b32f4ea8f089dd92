/**
 * The Twilio Console (console.twilio.localhost): a relying party of the Twilio IdP. Signed out, every page sends
 * the user to the Twilio login; signed in, the home page shows who they are and a navigation bar with the empty
 * slot where the extension's content script mounts the product switcher.
 */

import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { PRODUCT_LOGIN_PATH, type ProductEntry } from '../../contract/api';
import { PRODUCTS, type SetupProductId, siteOrigin } from '../../contract/catalogue';
import { safeNextPath } from '../../contract/next-path';
import type { AccessRequests } from '../access/access-requests';
import type { UserStore } from '../accounts/users';
import { backchannelLogoutRoutes, LogoutTokenVerifier } from '../backchannel-logout';
import { errorResponse } from '../error-response';
import { RequestError } from '../errors';
import { html, PRODUCT_PAGE_HEADERS, page, type SafeHtml } from '../html';
import { CALLBACK_PATH, POST_LOGOUT_PATH } from '../identity/clients';
import { ACCESS_DECLINED_NOTE, productStatusFor, setupPath } from '../identity/product-status';
import type { ProductSetups } from '../linking/product-setups';
import { localhostFetch } from '../net';
import type { NodeHandler } from '../node-handler';
import type { ProductStores } from '../products/product-stores';
import { loginPathWith, RETURN_NOTICES, type RelyingParty, type ReturnNotice, returnNoticeOf } from '../relying-party';
import { formOnly, seeOther } from '../responses';
import { assertCsrfToken, readForm, sameOriginOnly } from '../security';
import { CONSOLE_SSO_SIGN_IN_PATH } from '../sso/routes';
import { endRpSessions } from '../storage/session-ends';
import { timeElement } from '../time-format';
import { consoleNav } from './nav';
import { ORGANIZATION_PATH, type OrganizationRouteDeps, organizationRoutes } from './organization/routes';
import { type Current, signedInUser } from './settings/kit';
import { type SettingsDeps, settingsRoutes } from './settings/routes';

function homePage(current: Current, { organizationAdmin }: { organizationAdmin: boolean }): string {
  const { user } = current;
  const firstName = user.name.split(' ')[0] || user.email;
  return page({
    title: 'Home · Twilio Console',
    wide: true,
    header: consoleNav(current),
    body: html`<h1>Welcome, ${firstName}</h1>
<section class="card" aria-labelledby="account-heading">
  <h2 id="account-heading" style="margin-top:0;font-size:1.1rem">Your Twilio login</h2>
  <dl>
    <dt>Name</dt><dd data-testid="user-name">${user.name}</dd>
    <dt>Email</dt><dd data-testid="user-email">${user.email}</dd>
  </dl>
  <p class="muted">One login for the Console, Segment and SendGrid. Switch products from the navigation bar.</p>
  ${organizationAdmin ? html`<p><a href="${ORGANIZATION_PATH}">Manage your organization</a></p>` : ''}
</section>`,
  });
}

/**
 * The Console signed out, after a cancelled sign-in or a sign-out of Twilio: says so and signs in only when asked
 * ("Sign in" opens `next`, which starts the sign-in), rather than sending the person straight back to the login.
 */
function signInPage(notice: ReturnNotice | undefined, next: string): string {
  return page({
    title: 'Sign in · Twilio Console',
    body: html`<div class="card"><div class="brand" aria-hidden="true">Twilio Console</div>
<h1>Sign in to the Twilio Console</h1>
${notice ? html`<p class="muted" role="status">${RETURN_NOTICES[notice]}</p>` : ''}
<p><a href="${next}">Sign in</a></p></div>`,
  });
}

export interface ConsoleDeps {
  rp: RelyingParty;
  port: number;
  users: UserStore;
  setups: ProductSetups;
  /** Account settings (email, password, 2FA) and back-channel logout. */
  db: SettingsDeps['db'];
  provider: SettingsDeps['provider'];
  clock: () => number;
  /** For each product's status, the same as the extension's (`productStatusFor`). */
  products: ProductStores;
  accessRequests: AccessRequests;
  /** The organization page (organization admins): domains, single sign-on, SCIM apps, members. */
  organizations: OrganizationRouteDeps['organizations'];
  sso: OrganizationRouteDeps['sso'];
  emailChangeLimits: SettingsDeps['emailChangeLimits'];
}

/** What the Account page says of a product that has no set-up record, by its status. */
function statusCells(entry: ProductEntry, name: string, port: number): SafeHtml {
  const setupHref = `${siteOrigin('login', port)}${setupPath(entry.id as SetupProductId)}`;
  switch (entry.status) {
    case 'linked':
      // Linked before the audit trail recorded set-ups (e.g. the demo's seeded users).
      return html`<td>Linked</td><td>—</td><td>${entry.url ? html`<a href="${entry.url}">Open ${name}</a>` : ''}</td>`;
    case 'not_set_up':
      return html`<td>Not set up</td><td>—</td><td><a href="${setupHref}">Set up ${name}</a></td>`;
    case 'access_requested':
      return html`<td>Access requested</td><td>—</td><td>Support will email you when it is decided</td>`;
    default:
      return html`<td>${entry.note === ACCESS_DECLINED_NOTE ? 'Access request declined' : 'Not available yet (limited release)'}</td>
<td>—</td><td><a href="${setupHref}">Request access</a></td>`;
  }
}

/**
 * The account page: the Twilio login and, per product, its real status (the same one the extension shows) with,
 * when the audit trail has it, when and how it was set up. Times are in the Console's timezone.
 */
function accountPage(current: Current, { setups, port, products, accessRequests }: ConsoleDeps): string {
  const { user } = current;
  const records = setups.setupsOf(user.id);
  const entries = productStatusFor(user, port, products, accessRequests.latestOf(user.id));
  const rows = entries
    .filter((entry) => entry.id !== 'console')
    .map((entry) => {
      const name = PRODUCTS[entry.id].name;
      const record = records.filter((candidate) => candidate.product === entry.id).at(-1);
      const cells =
        record && entry.status === 'linked'
          ? html`<td>${record.action === 'linked' ? 'Linked existing user' : 'Created new user'}</td>
<td>${timeElement(record.at, user.timezone)}</td><td>${record.details}</td>`
          : statusCells(entry, name, port);
      return html`<tr data-testid="setup-${entry.id}" data-status="${entry.status}"><th scope="row">${name}</th>${cells}</tr>`;
    });
  return page({
    title: 'Account · Twilio Console',
    wide: true,
    header: consoleNav(current),
    body: html`<h1>Account</h1>
<section class="card" aria-labelledby="login-heading">
  <h2 id="login-heading" style="margin-top:0;font-size:1.1rem">Your Twilio login</h2>
  <dl>
    <dt>Name</dt><dd>${user.name}</dd>
    <dt>Email</dt><dd>${user.email}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="products-heading" style="margin-top:1rem">
  <h2 id="products-heading" style="margin-top:0;font-size:1.1rem">Linked products</h2>
  <div class="table-scroll"><table>
    <thead><tr><th scope="col">Product</th><th scope="col">Status</th><th scope="col">When</th><th scope="col">How</th></tr></thead>
    <tbody>${rows}</tbody>
  </table></div>
</section>`,
  });
}

export function consoleSite(deps: ConsoleDeps): NodeHandler {
  const { rp, port, users } = deps;
  const app = new Hono<{ Bindings: HttpBindings }>();

  const signedIn = (c: Context) => signedInUser(rp, users, c);

  app.use('*', sameOriginOnly(siteOrigin('console', port)));
  app.route('/', settingsRoutes({ ...deps, consoleOrigin: siteOrigin('console', port) }));
  app.route('/', organizationRoutes({ ...deps, loginOrigin: siteOrigin('login', port) }));
  // Sign out everywhere: the IdP tells the Console when the user signs out of Twilio (no cookies, no CSRF).
  app.route(
    '/',
    backchannelLogoutRoutes({
      verifier: new LogoutTokenVerifier({ port, clientId: PRODUCTS.console.clientId, fetch: localhostFetch }),
      endSessions: (claims) => endRpSessions(deps.db, 'console', claims),
    }),
  );

  app.get('/', async (c) => {
    const current = signedIn(c);
    if (!current) return rp.startSignIn(c, { returnTo: '/' });
    const organizationAdmin = deps.organizations.organizations.ofUser(current.user.id)?.role === 'admin';
    return c.body(homePage(current, { organizationAdmin }), 200, PRODUCT_PAGE_HEADERS);
  });

  // An IdP-initiated SSO lands here: always a fresh sign-in, which the SSO ticket completes (see ../sso/routes.ts).
  app.get(CONSOLE_SSO_SIGN_IN_PATH, (c) => rp.startSignIn(c, { returnTo: '/', extraParams: { prompt: 'login' } }));

  app.get('/account', async (c) => {
    const current = signedIn(c);
    if (!current) return rp.startSignIn(c, { returnTo: '/account' });
    return c.body(accountPage(current, deps), 200, PRODUCT_PAGE_HEADERS);
  });

  app.get(CALLBACK_PATH, async (c) => {
    const outcome = await rp.finishSignIn(c);
    return seeOther(c, outcome.cancelled ? loginPathWith('sign_in_cancelled', outcome.returnTo) : outcome.returnTo);
  });

  app.get(PRODUCT_LOGIN_PATH, (c) => {
    const next = safeNextPath(c.req.query('next'));
    if (rp.currentSession(c)) return seeOther(c, next);
    return c.body(signInPage(returnNoticeOf(c.req.query('notice')), next), 200, PRODUCT_PAGE_HEADERS);
  });

  // The session ends only when the Twilio login confirms ("Yes, sign me out"): "No, stay signed in" keeps it.
  formOnly(app, '/sign-out', 'Use the Sign out button in the navigation bar.');
  app.post('/sign-out', async (c) => {
    const session = rp.currentSession(c);
    const form = await readForm(c.req.raw);
    if (!session) return seeOther(c, '/');
    assertCsrfToken(session.csrfToken, form.csrf);
    return seeOther(c, await rp.startSignOut(c, session.idToken));
  });

  app.get(POST_LOGOUT_PATH, (c) => {
    rp.completeSignOut(c);
    rp.endSession(c);
    return seeOther(c, loginPathWith('signed_out_of_twilio'));
  });

  app.notFound((c) =>
    errorResponse(new RequestError('not_found', 'There is no page here.'), c, { json: false, retryHref: '/' }),
  );
  app.onError((error, c) => errorResponse(error, c, { json: false, retryHref: '/' }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
