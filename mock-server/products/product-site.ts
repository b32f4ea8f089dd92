/**
 * The site of a product of the mock world (Segment, SendGrid): its own password login and "continue with Twilio",
 * a home per workspace/account with the navigation bar the extension's switcher mounts into, settings and
 * sign-out, one sub-app each. Segment and SendGrid differ only in what `ProductSiteSpec` says (names, their homes,
 * their extra settings).
 */

import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { PRODUCT_LOGIN_PATH } from '../../contract/api';
import { siteOrigin } from '../../contract/catalogue';
import { errorResponse } from '../error-response';
import { RequestError } from '../errors';
import type { NodeHandler } from '../node-handler';
import { sameOriginOnly } from '../security';
import { productSettingsRoutes } from './settings/routes';
import { homeRoutes } from './site/homes';
import { productSiteKit } from './site/kit';
import { loginRoutes } from './site/login';
import { signOutRoutes } from './site/sign-out';
import type { ProductSiteDeps, ProductSiteEnv, ProductSiteSpec } from './site/spec';
import { twilioLoginOfferRoutes } from './twilio-login-offer';

export type {
  HomeView,
  ProductHome,
  ProductSiteDeps,
  ProductSiteSpec,
} from './site/spec';

export function productSite(spec: ProductSiteSpec, deps: ProductSiteDeps): NodeHandler {
  const kit = productSiteKit(spec, deps);
  const app = new Hono<ProductSiteEnv>();
  app.use('*', sameOriginOnly(siteOrigin(kit.product.site, deps.port)));

  app.route('/', homeRoutes(kit));
  app.route('/', loginRoutes(kit));
  // Settings (email, password, 2FA managed in the Console for unified users; timezone; session history).
  app.route('/', productSettingsRoutes({ spec, deps, nav: kit.nav, signedIn: kit.signedIn }));
  const { offers, sessions } = deps;
  app.route('/', twilioLoginOfferRoutes({ offers, sessions, signedIn: kit.signedIn, loginPath: PRODUCT_LOGIN_PATH }));
  app.route('/', signOutRoutes(kit));

  app.notFound((c) =>
    errorResponse(new RequestError('not_found', 'There is no page here.'), c, { json: false, retryHref: '/' }),
  );
  app.onError((error, c) => errorResponse(error, c, { json: false, retryHref: '/' }));
  const listener = getRequestListener(app.fetch);
  return (req, res) => void listener(req, res);
}
