/**
 * What every product page (Console, Segment, SendGrid) offers the extension and the Twilio login: the element in its
 * navigation where the content script mounts the product switcher, and the product URLs the switcher and the
 * Twilio login's product list link to.
 */
import { CONTINUE_WITH_TWILIO_PATH } from './api';
import { PRODUCTS, type SetupProductId, siteOrigin } from './catalogue';

export const SWITCHER_SLOT_ID = 'product-switcher-slot';

/** `/workspaces/<id>` (Segment) or `/accounts/<id>` (SendGrid). */
export function homePath(spec: { homeNoun: 'workspace' | 'account' }, homeId: string): string {
  return `/${spec.homeNoun}s/${encodeURIComponent(homeId)}`;
}

/** The product's "continue with Twilio" URL (absolute), optionally landing on `next`. */
export function continueWithTwilioUrl(product: SetupProductId, port: number, next?: string): string {
  return continueWithTwilioUrlOn(siteOrigin(PRODUCTS[product].site, port), { next });
}

/** The same on a product's `origin` as a page knows it, optionally with the email to sign in as (`login_hint`). */
export function continueWithTwilioUrlOn(
  origin: string,
  { loginHint, next }: { loginHint?: string | undefined; next?: string | undefined },
): string {
  const url = new URL(CONTINUE_WITH_TWILIO_PATH, origin);
  if (loginHint) url.searchParams.set('login_hint', loginHint);
  if (next) url.searchParams.set('next', next);
  return url.href;
}
