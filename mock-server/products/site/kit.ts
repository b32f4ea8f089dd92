/** What every route of a product site shares: its navigation bar, the signed-in user, and signing a user in. */

import type { Context } from 'hono';
import { PRODUCTS } from '../../../contract/catalogue';
import { SWITCHER_SLOT_ID } from '../../../contract/product-pages';
import { html, PRODUCT_PAGE_HEADERS, type SafeHtml } from '../../html';
import { seeOther } from '../../responses';
import { describeDevice } from '../device';
import type { ProductSession } from '../product-sessions';
import type { LoginMethod, ProductUser } from '../product-users';
import type { ProductSiteDeps, ProductSiteEnv, ProductSiteSpec } from './spec';

export type ProductSiteKit = ReturnType<typeof productSiteKit>;

export function productSiteKit(spec: ProductSiteSpec, deps: ProductSiteDeps) {
  const { sessions, twilioUsers } = deps;
  const product = PRODUCTS[spec.product];

  /** The product's navigation bar, with the slot the extension's switcher mounts into. */
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
  function signedIn(c: Context<ProductSiteEnv>): { session: ProductSession; user: ProductUser } | undefined {
    const session = sessions.current(c);
    const user = session && spec.users.findById(session.userId);
    // A product user whose Twilio login was deactivated by its organization stays, but cannot be reached.
    if (user?.twilioSub && twilioUsers.findById(user.twilioSub)?.active === false) return undefined;
    // A password session ends with its password: once the user is linked (the password retired), a session opened
    // with it on another browser would outlive the link, and the Twilio sign-out that ends only Twilio sessions.
    if (user?.twilioSub && session?.method === 'password') return undefined;
    return session && user ? { session, user } : undefined;
  }

  return {
    spec,
    ...deps,
    product,
    nav,
    signedIn,

    respond: (c: Context<ProductSiteEnv>, body: string, status: 200 | 401 = 200) =>
      c.body(body, status, PRODUCT_PAGE_HEADERS),

    /** Starts the product session of `user` and continues to `next`. */
    signIn(c: Context<ProductSiteEnv>, user: ProductUser, method: LoginMethod, next: string, idToken?: string) {
      sessions.start(c, { userId: user.id, method, ...(idToken ? { idToken } : {}) });
      const userAgent = c.req.header('user-agent');
      const device = describeDevice({
        userAgent,
        brands: c.req.header('sec-ch-ua'),
        platform: c.req.header('sec-ch-ua-platform'),
      });
      spec.recordLogin?.(user.id, method, userAgent ?? 'unknown', device);
      return seeOther(c, next);
    },
  };
}
