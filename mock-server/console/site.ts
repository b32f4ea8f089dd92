/**
 * The Twilio Console (console.twilio.localhost): a relying party of the Twilio IdP. Signed out, every page sends
 * the user to the Twilio login; signed in, the home page shows who they are and a navigation bar with the empty
 * slot where the extension's content script mounts the product switcher.
 */

import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { PRODUCTS, SETUP_PRODUCT_IDS, siteOrigin } from '../../contract/catalogue';
import { CONTACT_SUPPORT } from '../../contract/workspaces';
import type { UserStore } from '../accounts/users';
import { backchannelLogoutRoutes, LogoutTokenVerifier } from '../backchannel-logout';
import { errorResponse } from '../error-response';
import { RequestError } from '../errors';
import { html, PRODUCT_PAGE_HEADERS, page } from '../html';
import { CALLBACK_PATH } from '../identity/clients';
import { setupPath } from '../identity/product-status';
import type { ProductSetups } from '../linking/product-setups';
import { localhostFetch } from '../net';
import type { NodeHandler } from '../node-handler';
import type { RelyingParty, RpSession } from '../relying-party';
import { seeOther } from '../responses';
import { assertCsrfToken, readForm, sameOriginOnly } from '../security';
import { endRpSessions } from '../storage/session-ends';
import { consoleNav } from './nav';
import { ORGANIZATION_PATH, type OrganizationRouteDeps, organizationRoutes } from './organization/routes';
import { type SsoSettingsDeps, ssoSettingsRoutes } from './organization/sso-settings';
import { type SettingsDeps, settingsRoutes } from './settings/routes';

function homePage(session: RpSession, { organizationAdmin }: { organizationAdmin: boolean }): string {
  const firstName = session.name.split(' ')[0] || session.email;
  return page({
    title: 'Home · Twilio Console',
    wide: true,
    header: consoleNav(session),
    body: html`<h1>Welcome, ${firstName}</h1>
<section class="card" aria-labelledby="account-heading">
  <h2 id="account-heading" style="margin-top:0;font-size:1.1rem">Your Twilio login</h2>
  <dl>
    <dt>Name</dt><dd data-testid="user-name">${session.name}</dd>
    <dt>Email</dt><dd data-testid="user-email">${session.email}</dd>
  </dl>
  <p class="muted">One login for the Console, Segment and SendGrid. Switch products from the navigation bar.</p>
  ${organizationAdmin ? html`<p><a href="${ORGANIZATION_PATH}">Manage your organization</a></p>` : ''}
</section>`,
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
  /** The organization page (organization admins). */
  organizations: OrganizationRouteDeps['organizations'];
  /** The organization's single sign-on settings (organization admins). */
  sso: Pick<SsoSettingsDeps, 'connections' | 'loginOrigin'>;
}

const when = (ms: number) => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The account page: the Twilio login and, per product, whether it is set up, when and how (the audit trail). */
function accountPage(session: RpSession, { users, setups, port }: ConsoleDeps): string {
  const user = users.findById(session.sub);
  const records = setups.setupsOf(session.sub);
  const rows = SETUP_PRODUCT_IDS.map((productId) => {
    const name = PRODUCTS[productId].name;
    const record = records.filter((candidate) => candidate.product === productId).at(-1);
    if (record) {
      return html`<tr data-testid="setup-${productId}"><th scope="row">${name}</th>
<td>${record.action === 'linked' ? 'Linked existing user' : 'Created new user'}</td>
<td><time datetime="${new Date(record.at).toISOString()}">${when(record.at)}</time></td><td>${record.details}</td></tr>`;
    }
    const action = user?.eligible
      ? html`<a href="${siteOrigin('login', port)}${setupPath(productId)}">Set up ${name}</a>`
      : html`${CONTACT_SUPPORT}`;
    return html`<tr data-testid="setup-${productId}"><th scope="row">${name}</th><td>Not set up</td><td></td>
<td>${action}</td></tr>`;
  });
  return page({
    title: 'Account · Twilio Console',
    wide: true,
    header: consoleNav(session),
    body: html`<h1>Account</h1>
<section class="card" aria-labelledby="login-heading">
  <h2 id="login-heading" style="margin-top:0;font-size:1.1rem">Your Twilio login</h2>
  <dl>
    <dt>Name</dt><dd>${session.name}</dd>
    <dt>Email</dt><dd>${session.email}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="products-heading" style="margin-top:1rem">
  <h2 id="products-heading" style="margin-top:0;font-size:1.1rem">Linked products</h2>
  <table>
    <thead><tr><th scope="col">Product</th><th scope="col">Set up</th><th scope="col">When</th><th scope="col">How</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>
</section>`,
  });
}

export function consoleSite(deps: ConsoleDeps): NodeHandler {
  const { rp, port } = deps;
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use('*', sameOriginOnly(siteOrigin('console', port)));
  app.route('/', settingsRoutes({ ...deps, consoleOrigin: siteOrigin('console', port) }));
  app.route('/', organizationRoutes({ ...deps, loginOrigin: siteOrigin('login', port) }));
  app.route('/', ssoSettingsRoutes({ rp, organizations: deps.organizations.organizations, ...deps.sso }));
  // Sign out everywhere: the IdP tells the Console when the user signs out of Twilio (no cookies, no CSRF).
  app.route(
    '/',
    backchannelLogoutRoutes({
      verifier: new LogoutTokenVerifier({ port, clientId: PRODUCTS.console.clientId, fetch: localhostFetch }),
      endSessions: (claims) => endRpSessions(deps.db, 'console', claims),
    }),
  );

  app.get('/', async (c) => {
    const session = rp.currentSession(c);
    if (!session) return rp.startSignIn(c, { returnTo: '/' });
    const organizationAdmin = deps.organizations.organizations.ofUser(session.sub)?.role === 'admin';
    return c.body(homePage(session, { organizationAdmin }), 200, PRODUCT_PAGE_HEADERS);
  });

  app.get('/account', async (c) => {
    const session = rp.currentSession(c);
    if (!session) return rp.startSignIn(c, { returnTo: '/account' });
    return c.body(accountPage(session, deps), 200, PRODUCT_PAGE_HEADERS);
  });

  app.get(CALLBACK_PATH, async (c) => {
    const { returnTo } = await rp.finishSignIn(c);
    return seeOther(c, returnTo);
  });

  app.post('/sign-out', async (c) => {
    const session = rp.currentSession(c);
    const form = await readForm(c.req.raw);
    if (!session) return seeOther(c, '/');
    assertCsrfToken(session.csrfToken, form.csrf);
    return seeOther(c, await rp.signOut(c, session));
  });

  app.notFound((c) => errorResponse(new RequestError('not_found', 'There is no page here.'), c, { json: false }));
  app.onError((error, c) => errorResponse(error, c, { json: false, retryHref: '/' }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
