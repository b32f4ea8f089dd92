/**
 * The Twilio login's own interaction pages, where oidc-provider hands over for authentication: the email
 * first, then the organization's IdP (its members, with SSO enforced) or the password, then a TOTP code for users
 * with 2FA, then back to the provider with the login result.
 * No consent screen: every client is first-party (`interaction/consent.ts`).
 *
 * Every POST is same-origin only, carries the interaction's CSRF token, has a capped body, and answers with a 303.
 * Wrong password and unknown email answer identically; attempts are throttled per account and per IP.
 */
import { Hono } from 'hono';
import { sameOriginOnly } from '../security';
import { cancelRoutes } from './interaction/cancel';
import { identifierRoutes } from './interaction/identifier';
import { type InteractionDeps, type InteractionEnv, interactionKit } from './interaction/kit';
import { passwordRoutes } from './interaction/password';
import { totpRoutes } from './interaction/totp';

export type { InteractionDeps } from './interaction/kit';

export function interactionRoutes(deps: InteractionDeps): Hono<InteractionEnv> {
  const kit = interactionKit(deps);
  const app = new Hono<InteractionEnv>();
  app.use('/interaction/:uid/*', sameOriginOnly(deps.loginOrigin));
  app.route('/', identifierRoutes(kit));
  app.route('/', passwordRoutes(kit));
  app.route('/', totpRoutes(kit));
  app.route('/', cancelRoutes(kit));
  return app;
}
