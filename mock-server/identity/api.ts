/**
 * The JSON API the extension reads (contract/api.ts): who is signed in, and the products with their status.
 * Authorised by the Bearer access token oidc-provider issued (opaque, looked up in storage), so a revoked or
 * expired token is refused at once. CORS only for the extension and the product origins.
 */

import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AccessToken, default as Provider } from 'oidc-provider';
import { type AccessRequestResponse, API_PATHS, type Me, type ProductsResponse } from '../../contract/api';
import type { AccessRequests } from '../access/access-requests';
import type { User, UserStore } from '../accounts/users';
import { RequestError } from '../errors';
import type { ProductStores } from '../products/product-stores';
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
}

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]{1,2048}=*)$/;

/** 401 with the RFC 6750 challenge: no error code in it when no token was sent at all. */
function unauthorised(description: string | undefined): RequestError {
  const challenge = description ? 'Bearer realm="twilio", error="invalid_token"' : 'Bearer realm="twilio"';
  return new RequestError('invalid_token', description ?? 'An access token is required.', {
    headers: { 'WWW-Authenticate': challenge },
  });
}

export function apiRoutes({ provider, users, clock, port, corsOrigins, products, accessRequests }: ApiDeps): Hono<Env> {
  const app = new Hono<Env>();
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
      throw unauthorised('The access token is invalid, expired or revoked.');
    }
    const user = token.accountId ? users.findById(token.accountId) : undefined;
    if (!user?.active) throw unauthorised('The access token is invalid, expired or revoked.');
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

  app.all('/api/*', () => {
    throw new RequestError('not_found', 'No such API endpoint.');
  });
  return app;
}
