/**
 * The JSON API the extension reads (src/shared/api.ts): who is signed in, and the products with their status.
 * Authorised by the Bearer access token oidc-provider issued (opaque, looked up in storage), so a revoked or
 * expired token is refused at once. CORS only for the extension and the product origins.
 */
import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AccessToken, default as Provider } from 'oidc-provider';
import { API_PATHS, type Me, type ProductsResponse, type SessionEndReason } from '../../contract/api';
import type { User, UserStore } from '../accounts/users';
import { WorldError } from '../errors';
import type { ProductStores } from '../seed';
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
  db: Db;
}

/** What the 401 of a token whose session ended says, besides the machine-readable `session_ended`. */
const SESSION_ENDED: Record<SessionEndReason, string> = {
  signed_out: 'You signed out of Twilio.',
  password_changed: 'Your Twilio password was changed.',
  deactivated: 'Your Twilio user was deactivated.',
};

const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]{1,2048}=*)$/;

/**
 * 401 with the RFC 6750 challenge: no error code when no token was sent at all; `session_ended` when the token
 * stopped working because its Twilio session ended.
 */
function unauthorised(c: Context<Env>, description: string | undefined, ended?: SessionEndReason) {
  const challenge = description ? 'Bearer realm="twilio", error="invalid_token"' : 'Bearer realm="twilio"';
  c.header('WWW-Authenticate', challenge);
  c.header('Cache-Control', 'no-store');
  if (ended)
    return c.json({ error: 'invalid_token', error_description: SESSION_ENDED[ended], session_ended: ended }, 401);
  return c.json(
    description
      ? { error: 'invalid_token', error_description: description }
      : { error: 'invalid_token', error_description: 'An access token is required.' },
    401,
  );
}

export function apiRoutes({ provider, users, clock, port, corsOrigins, products, db }: ApiDeps): Hono<Env> {
  const sessions = new AccountSessions(provider, db);
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
      return unauthorised(c, 'The access token is invalid, expired or revoked.', sessionEndReasonFor(db, value));
    }
    const user = token.accountId ? users.findById(token.accountId) : undefined;
    if (!user) return unauthorised(c, 'The access token is invalid, expired or revoked.');
    if (!user.active) return unauthorised(c, 'The access token is invalid, expired or revoked.', 'deactivated');
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

  // Sign out of Twilio from the extension: the same as the Console's sign-out, for every browser at once.
  app.post(API_PATHS.signOut, async (c) => {
    const user = await authorise(c);
    if (user instanceof Response) return user;
    await sessions.endIdpSessions(user.id);
    await sessions.revokeGrants(user.id, { reason: 'signed_out' });
    return c.body(null, 204);
  });

  app.all('/api/*', () => {
    throw new WorldError('not_found', 'No such API endpoint.');
  });
  return app;
}
