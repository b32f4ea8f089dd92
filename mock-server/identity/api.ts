/**
 * The JSON API the extension reads (src/shared/api.ts): who is signed in, and the products with their status.
 * Authorised by the Bearer access token oidc-provider issued (opaque, looked up in storage), so a revoked or
 * expired token is refused at once. CORS only for the extension and the product origins.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AccessToken, default as Provider } from 'oidc-provider';
import { API_PATHS, type Me, type ProductsResponse } from '../../src/shared/api';
import { EXTENSION_CLIENT_ID, siteOrigin } from '../../src/shared/catalogue';
import type { User, UserStore } from '../accounts/users';
import { WorldError } from '../errors';
import type { ProductStores } from '../seed';
import { productStatusFor } from './product-status';

type Env = { Bindings: HttpBindings };

export interface ApiDeps {
  provider: Provider;
  users: UserStore;
  clock: () => number;
  port: number;
  corsOrigins: ReadonlySet<string>;
  products: ProductStores;
}

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

/** 401 with the RFC 6750 challenge: no error code when no token was sent at all. */
function unauthorised(c: Context<Env>, description: string | undefined) {
  const challenge = description ? 'Bearer realm="twilio", error="invalid_token"' : 'Bearer realm="twilio"';
  c.header('WWW-Authenticate', challenge);
  c.header('Cache-Control', 'no-store');
  return c.json(
    description
      ? { error: 'invalid_token', error_description: description }
      : { error: 'invalid_token', error_description: 'An access token is required.' },
    401,
  );
}

export function apiRoutes({ provider, users, clock, port, corsOrigins, products }: ApiDeps): Hono<Env> {
  const app = new Hono<Env>();
  const resource = apiResource(port);
  app.use(
    '/api/*',
    cors({
      origin: (origin) => (corsOrigins.has(origin) ? origin : null),
      allowMethods: ['GET'],
      allowHeaders: ['Authorization'],
      maxAge: 600,
    }),
  );

  /** The user the request's access token stands for, or a 401 response. */
  async function authorise(c: Context<Env>): Promise<User | Response> {
    const header = c.req.header('authorization');
    if (!header) return unauthorised(c, undefined);
    const value = BEARER.exec(header)?.[1];
    if (!value) return unauthorised(c, 'The Authorization header is not a Bearer token.');
    let token: AccessToken | undefined;
    try {
      token = await provider.AccessToken.find(value);
    } catch {
      token = undefined;
    }
    if (!token || token.isExpired || (token.exp ?? 0) * 1000 <= clock()) {
      return unauthorised(c, 'The access token is invalid, expired or revoked.');
    }
    if (!isForThisApi(token, resource)) return unauthorised(c, 'The access token was not issued for this API.');
    const user = token.accountId ? users.findById(token.accountId) : undefined;
    if (!user) return unauthorised(c, 'The access token is invalid, expired or revoked.');
    c.header('Cache-Control', 'no-store');
    return user;
  }

  app.get(API_PATHS.me, async (c) => {
    const user = await authorise(c);
    if (user instanceof Response) return user;
    const me: Me = { sub: user.id, name: user.name, email: user.email, eligible: user.eligible };
    return c.json(me);
  });

  app.get(API_PATHS.products, async (c) => {
    const user = await authorise(c);
    if (user instanceof Response) return user;
    const body: ProductsResponse = { products: productStatusFor(user, port, products) };
    return c.json(body);
  });

  app.all('/api/*', () => {
    throw new WorldError('not_found', 'No such API endpoint.');
  });
  return app;
}
