/**
 * "Use your Twilio login for Segment" (issue 4, beyond the article): a Segment user who just logged in with their
 * Segment password, whose email is also an eligible Twilio user's, is offered the same set-up page as the switcher
 * (`/setup/segment` on the login host, where they link by proving that Segment password once more). It gets there
 * through Segment's own "continue with Twilio" with the user's email as `login_hint`: the set-up page belongs to the
 * browser's Twilio session, which may be someone else's, so the Twilio login asks this user to sign in rather than
 * go on as that person (identity/login-hint-policy.ts), and the callback, finding no linked Segment user, sends them
 * to the set-up page. The offer shows on the pages of that password session until the user dismisses it; a dismissal
 * is remembered per user in the database, so it never comes back. SendGrid makes no such offer: existing SendGrid
 * users cannot be linked.
 *
 * Nothing here links anything or reveals anything the user does not know: the offer is shown only to the signed-in
 * product user about their own email, and only leads to the set-up page, which asks for the Twilio login itself.
 */

import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { PRODUCTS, type SetupProductId, siteOrigin } from '../../contract/catalogue';
import { safeNextPath } from '../../contract/next-path';
import { continueWithTwilioUrlOn } from '../../contract/product-pages';
import type { UserStore } from '../accounts/users';
import { html, type SafeHtml } from '../html';
import { seeOther } from '../responses';
import { readForm } from '../security';
import type { Db } from '../storage/database';
import type { ProductSession, ProductSessions } from './product-sessions';
import type { ProductUser } from './product-users';

type Env = { Bindings: HttpBindings };

/** Where the offer's "Not now" posts (CSRF token of the product session, `next` to come back to). */
export const DISMISS_TWILIO_LOGIN_OFFER_PATH = '/offers/twilio-login/dismiss';
const OFFER = 'twilio_login';

/** Products whose existing users can be linked to a Twilio login (docs/architecture.md, "Identity and products": not SendGrid). */
const LINKABLE: readonly SetupProductId[] = ['segment'];

export function offerTitle(product: SetupProductId): string {
  return `Use your Twilio login for ${PRODUCTS[product].name}`;
}

export class TwilioLoginOffers {
  constructor(
    private readonly db: Db,
    private readonly product: SetupProductId,
    private readonly twilioUsers: UserStore,
    private readonly port: number,
    private readonly clock: () => number,
  ) {}

  private dismissed(userId: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM product_offer_dismissals WHERE product = ? AND user_id = ? AND offer = ?')
        .get(this.product, userId, OFFER) !== undefined
    );
  }

  /** Whether to offer the Twilio login to this signed-in user in this session. */
  applies(user: ProductUser, session: ProductSession): boolean {
    if (!LINKABLE.includes(this.product) || session.method !== 'password' || user.twilioSub) return false;
    const twilio = this.twilioUsers.findByEmail(user.email);
    return twilio?.eligible === true && !this.dismissed(user.id);
  }

  dismiss(userId: string): void {
    this.db
      .prepare(
        `INSERT INTO product_offer_dismissals (product, user_id, offer, dismissed_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (product, user_id, offer) DO NOTHING`,
      )
      .run(this.product, userId, OFFER, this.clock());
  }

  /** The banner, or nothing when the offer does not apply. `next`: the page it is shown on. */
  render(user: ProductUser, session: ProductSession, next: string): SafeHtml | '' {
    if (!this.applies(user, session)) return '';
    const title = offerTitle(this.product);
    const setupUrl = continueWithTwilioUrlOn(siteOrigin(PRODUCTS[this.product].site, this.port), {
      loginHint: user.email,
    });
    return html`<section class="card" role="region" aria-label="${title}" data-testid="twilio-login-offer"
  style="margin-bottom:1rem">
  <h2 style="margin-top:0;font-size:1.1rem">${title}</h2>
  <p>Your email also has a Twilio login. Use it to sign in to ${PRODUCTS[this.product].name} and the Twilio Console
with one email, password and two-factor authentication.</p>
  <div style="display:flex;gap:.75rem;align-items:center;flex-wrap:wrap">
    <a href="${setupUrl}">Set up Twilio login</a>
    <form method="post" action="${DISMISS_TWILIO_LOGIN_OFFER_PATH}" style="display:inline">
      <input type="hidden" name="csrf" value="${session.csrfToken}">
      <input type="hidden" name="next" value="${next}">
      <button type="submit">Not now</button>
    </form>
  </div>
</section>`;
  }
}

export interface OfferRouteDeps {
  offers: TwilioLoginOffers;
  sessions: ProductSessions;
  signedIn(c: Context<Env>): { session: ProductSession; user: ProductUser } | undefined;
  loginPath: string;
}

/** `POST DISMISS_TWILIO_LOGIN_OFFER_PATH` (same-origin and body limit come from the site's middleware). */
export function twilioLoginOfferRoutes({ offers, sessions, signedIn, loginPath }: OfferRouteDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.post(DISMISS_TWILIO_LOGIN_OFFER_PATH, async (c) => {
    const form = await readForm(c.req.raw);
    const current = signedIn(c);
    if (!current) return seeOther(c, loginPath);
    sessions.assertCsrf(current.session, form.csrf);
    offers.dismiss(current.user.id);
    return seeOther(c, safeNextPath(form.next));
  });
  return app;
}
