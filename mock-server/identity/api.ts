/**
 * The JSON API the extension reads (contract/api.ts): who is signed in, and the products with their status.
 * Authorised by the Bearer access token oidc-provider issued (opaque, looked up in storage), so a revoked or
 * expired token is refused at once. CORS only for the extension and the product origins.
 */

import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AccessToken, default as Provider } from 'oidc-provider';
import {
  type AccessRequestResponse,
  API_PATHS,
  type ApiError,
  type Me,
  type ProductsResponse,
  type SessionEndReason,
} from '../../contract/api';
import { EXTENSION_CLIENT_ID, siteOrigin } from '../../contract/catalogue';
import type { AccessRequests } from '../access/access-requests';
import type { User, UserStore } from '../accounts/users';
import { RequestError } from '../errors';
import type { ProductStores } from '../products/product-stores';
import type { Db } from '../storage/database';
import { AccountSessions, sessionEndReasonFor } from './end-sessions';
import { productStatusFor } from './product-status';

type Env = { Bindings: HttpBindings };

export interface ApiDeps {
  provider: Provider;
  users: UserStore;
  clock: () => number;
  port: number;
  corsOrigins: ReadonlySet<string>;
  products: ProductStores;
  accessRequests: AccessRequests;
  db: Db;
}

/** What the 401 of a token whose session ended says, besides the machine-readable `session_ended`. */
const SESSION_ENDED: Record<SessionEndReason, string> = {
  signed_out: 'You signed out of Twilio.',
  password_changed: 'Your Twilio password was changed.',
  deactivated: 'Your Twilio user was deactivated.',
};

/** The auth scheme is case-insensitive (RFC 7235 §2.1): `bearer` and `BEARER` are `Bearer`. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]{1,2048}=*)$/i;

/** The resource indicator naming this API, for tokens issued with an audience rather than to the extension. */
export const apiResource = (port: number): string => `${siteOrigin('login', port)}/api`;

/** Only tokens issued to the extension, or carrying this API as their audience, are meant for this API. */
function isForThisApi(token: AccessToken, resource: string): boolean {
  if (token.clientId === EXTENSION_CLIENT_ID) return true;
  const audience = token.aud as string | string[] | undefined;
  return Array.isArray(audience) ? audience.includes(resource) : audience === resource;
}

/** A token that stopped working because its Twilio session ended: the 401 says why (`session_ended`). */
class SessionEnded extends RequestError {
  constructor(
    readonly reason: SessionEndReason,
    options: { headers: Record<string, string> },
  ) {
    super('invalid_token', SESSION_ENDED[reason], options);
  }
  override toJSON(): ApiError {
    return { ...this.toApiError(), session_ended: this.reason };
  }
}

/**
 * 401 with the RFC 6750 challenge: no error code in it when no token was sent at all; `session_ended` when the
 * token stopped working because its Twilio session ended.
 */
function unauthorised(description: string | undefined, ended?: SessionEndReason): RequestError {
  const challenge = description ? 'Bearer realm="twilio", error="invalid_token"' : 'Bearer realm="twilio"';
  const headers = { 'WWW-Authenticate': challenge };
  if (ended) return new SessionEnded(ended, { headers });
  return new RequestError('invalid_token', description ?? 'An access token is required.', { headers });
}

export function apiRoutes(deps: ApiDeps): Hono<Env> {
  const { provider, users, clock, port, corsOrigins, products, accessRequests, db } = deps;
  const sessions = new AccountSessions(provider, db);
  const app = new Hono<Env>();
  const resource = apiResource(port);
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (corsOrigins.has(origin) ? origin : null),
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Authorization'],
      maxAge: 600,
    }),
  );

  /** The user the request's access token stands for; refused with 401 otherwise. */
  async function authorise(c: Context<Env>): Promise<User> {
    const header = c.req.header('authorization');
    if (!header) throw unauthorised(undefined);
    const value = BEARER.exec(header)?.[1];
    if (!value) throw unauthorised('The Authorization header is not a Bearer token.');
    let token: AccessToken | undefined;
    try {
      token = await provider.AccessToken.find(value);
    } catch {
      token = undefined;
    }
    if (!token || token.isExpired || (token.exp ?? 0) * 1000 <= clock()) {
      throw unauthorised('The access token is invalid, expired or revoked.', sessionEndReasonFor(db, value));
    }
    if (!isForThisApi(token, resource)) throw unauthorised('The access token was not issued for this API.');
    const user = token.accountId ? users.findById(token.accountId) : undefined;
    if (!user) throw unauthorised('The access token is invalid, expired or revoked.');
    if (!user.active) throw unauthorised('The access token is invalid, expired or revoked.', 'deactivated');
    c.header('Cache-Control', 'no-store');
    return user;
  }

  app.get(API_PATHS.me, async (c) => {
    const user = await authorise(c);
    const me: Me = { sub: user.id, name: user.name, email: user.email, eligible: user.eligible };
    return c.json(me);
  });

  app.get(API_PATHS.products, async (c) => {
    const user = await authorise(c);
    const body: ProductsResponse = {
      products: productStatusFor(user, port, products, accessRequests.latestOf(user.id)),
    };
    return c.json(body);
  });

  // No body and no cookies: the Bearer token is the whole authority, so a cross-site form cannot make a request.
  app.post(API_PATHS.accessRequest, async (c) => {
    const user = await authorise(c);
    // A refusal (already_eligible) is answered as JSON by the one error responder.
    accessRequests.request(user);
    const body: AccessRequestResponse = { status: 'access_requested' };
    return c.json(body, 202);
  });

  // Sign out of Twilio from the extension: the same as the Console's sign-out, for every browser at once.
  app.post(API_PATHS.signOut, async (c) => {
    const user = await authorise(c);
    await sessions.endIdpSessions(user.id);
    await sessions.revokeGrants(user.id, { reason: 'signed_out' });
    return c.body(null, 204);
  });

  app.all('/api/*', () => {
    throw new RequestError('not_found', 'No such API endpoint.');
  });
  return app;
}
