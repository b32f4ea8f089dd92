/**
 * The login host (login.twilio.localhost): our pages and API in Hono, everything else (discovery, authorize,
 * token, JWKS, logout, …) served by oidc-provider.
 */

import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import type Provider from 'oidc-provider';
import { LOOKUP_PATH } from '../../contract/api';
import { siteOrigin } from '../../contract/catalogue';
import { type SupportDeps, supportRoutes } from '../access/support-routes';
import { errorResponse } from '../error-response';
import { RequestError } from '../errors';
import { type SetupDeps, setupRoutes } from '../linking/setup-routes';
import { mailboxRoutes } from '../mailbox/page';
import { type NodeHandler, requestPath } from '../node-handler';
import { DemoDns } from '../organizations/demo-dns';
import { demoDnsRoutes } from '../organizations/demo-dns-page';
import { ssoRoutes } from '../sso/routes';
import type { Db } from '../storage/database';
import { type ApiDeps, apiRoutes } from './api';
import { type InteractionDeps, interactionRoutes } from './interactions';
import { type LookupRouteDeps, lookupHandler } from './lookup';

/** Paths our own routes own on the login host; the rest belongs to the provider. */
const OWN_PATHS = /^\/(?:$|interaction\/|api\/|setup\/|support(?:\/|$)|dev\/|saml\/|favicon\.ico$)/;

/** `db` serves the dev mailbox (`/dev/mailbox`) and the demo DNS (`/dev/dns`). */
export function loginSite(
  deps: InteractionDeps & ApiDeps & SetupDeps & SupportDeps & LookupRouteDeps & { db: Db },
): NodeHandler {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.route('/', ssoRoutes(deps.ssoRoutes));
  app.route('/', interactionRoutes(deps));
  app.route('/', apiRoutes(deps));
  app.route('/', setupRoutes(deps));
  app.route('/', supportRoutes(deps));
  app.route('/', mailboxRoutes(deps.db));
  app.route('/', demoDnsRoutes(new DemoDns(deps.db, deps.clock), deps.loginOrigin));
  app.get('/', (c) => c.redirect(`${siteOrigin('console', deps.port)}/`, 302));
  // The login host's home is the Console's (`/` redirects there): an error page links it, so none is a dead end.
  const answerAs = (path: string) =>
    path.startsWith('/api/') ? { json: true } : { json: false, retryHref: `${siteOrigin('console', deps.port)}/` };
  app.notFound((c) => errorResponse(new RequestError('not_found', 'There is no page here.'), c, answerAs(c.req.path)));
  app.onError((error, c) => errorResponse(error, c, answerAs(c.req.path)));

  // The public email lookup is plain node:http (no WHATWG Request for its body): its own CORS, no token.
  const lookup = lookupHandler(deps);
  const ours = getRequestListener(app.fetch);
  const provider: Provider = deps.provider;
  const theirs = provider.callback();
  return (req, res) => {
    const path = requestPath(req);
    if (path === LOOKUP_PATH) lookup(req, res);
    else if (OWN_PATHS.test(path)) void ours(req, res);
    else theirs(req, res);
  };
}
