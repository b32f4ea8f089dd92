/**
 * OpenID Connect Back-Channel Logout 1.0 for the world's relying parties (Console, Segment, SendGrid): when the
 * user signs out of Twilio (or changes their password), the IdP POSTs a signed logout token to each product's
 * `/backchannel-logout`; the product verifies it against the IdP's JWKS and ends its sessions for that `sub`/`sid`.
 *
 * `backchannelLogoutRoutes({ verifier, endSessions })` is the reusable piece: Segment and SendGrid mount it with
 * their own `endSessions`; the Console mounts it with `endRpSessions` (its sessions live in `rp_sessions`).
 */

import { getRequestListener, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { createRemoteJWKSet, customFetch, decodeJwt, type JWTPayload, jwtVerify } from 'jose';
import { issuerFor, type SetupProductId } from '../contract/catalogue';
import { errorResponse } from './error-response';
import { RequestError } from './errors';
import type { NodeHandler } from './identity/site';
import { readForm } from './security';
import type { Db } from './storage/database';

export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';
const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Logout tokens older than this are refused (with their `jti`s remembered at least this long). */
const MAX_TOKEN_AGE_SECONDS = 5 * 60;

/** Who the IdP says has signed out: the subject, the IdP session id, or both. */
export interface LogoutClaims {
  sub: string | undefined;
  sid: string | undefined;
}

export class LogoutTokenError extends Error {
  override readonly name = 'LogoutTokenError';
  readonly code = 'invalid_request';
}

export interface LogoutTokenVerifierOptions {
  port: number;
  clientId: string;
  /** fetch that reaches the IdP (localhostFetch: Node cannot resolve *.localhost). */
  fetch: typeof fetch;
}

/** Verifies logout tokens (Back-Channel Logout 1.0 §2.6) for one client of the Twilio IdP. */
export class LogoutTokenVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private readonly seen = new Map<string, number>();

  constructor(private readonly options: LogoutTokenVerifierOptions) {}

  private keys(): ReturnType<typeof createRemoteJWKSet> {
    // oidc-provider serves its JWKS at /jwks (see discovery's jwks_uri).
    this.jwks ??= createRemoteJWKSet(new URL(`${issuerFor(this.options.port)}/jwks`), {
      [customFetch]: (url, init) => this.options.fetch(url, init as RequestInit),
    });
    return this.jwks;
  }

  async verify(token: string): Promise<LogoutClaims> {
    // Real time, not the world's injected clock: oidc-provider stamps its tokens with the real time.
    const nowSeconds = Math.floor(Date.now() / 1000);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys(), {
        issuer: issuerFor(this.options.port),
        audience: this.options.clientId,
        algorithms: ['RS256', 'ES256'],
        typ: 'logout+jwt',
        maxTokenAge: MAX_TOKEN_AGE_SECONDS,
        requiredClaims: ['iat', 'jti'],
      }));
    } catch (cause) {
      throw new LogoutTokenError('The logout token is not valid.', { cause });
    }
    const events = payload.events as Record<string, unknown> | undefined;
    if (!events || typeof events !== 'object' || typeof events[LOGOUT_EVENT] !== 'object') {
      throw new LogoutTokenError('The logout token has no back-channel logout event.');
    }
    if ('nonce' in payload) throw new LogoutTokenError('A logout token must not contain a nonce.');
    const sub = typeof payload.sub === 'string' ? payload.sub : undefined;
    const sid = typeof payload.sid === 'string' ? payload.sid : undefined;
    if (!sub && !sid) throw new LogoutTokenError('The logout token names neither a subject nor a session.');
    // Each logout token is accepted once.
    for (const [jti, until] of this.seen) if (until < nowSeconds) this.seen.delete(jti);
    const jti = String(payload.jti);
    if (this.seen.has(jti)) throw new LogoutTokenError('This logout token was already used.');
    this.seen.set(jti, nowSeconds + 2 * MAX_TOKEN_AGE_SECONDS);
    return { sub, sid };
  }
}

/** The IdP session id (`sid`) and auth time an ID token carries, read without verifying (it was at sign-in). */
export function idTokenSession(idToken: string): { sid: string | undefined; authTime: number | undefined } {
  try {
    const claims = decodeJwt(idToken);
    return {
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
    };
  } catch {
    return { sid: undefined, authTime: undefined };
  }
}

/**
 * Ends a relying party's sessions in `rp_sessions` (site `site`) for the subject and/or IdP session of a logout
 * token: with a `sid`, only the sessions from that IdP session; with only a `sub`, all of that user's.
 */
export function endRpSessions(db: Db, site: string, { sub, sid }: LogoutClaims): number {
  const rows = db.prepare(`SELECT id, data FROM rp_sessions WHERE site = ? AND kind = 'session'`).all(site) as {
    id: string;
    data: string;
  }[];
  const remove = db.prepare('DELETE FROM rp_sessions WHERE id = ?');
  let ended = 0;
  db.transaction(() => {
    for (const row of rows) {
      const data = JSON.parse(row.data) as { sub?: string; idToken?: string };
      if (sub && data.sub !== sub) continue;
      if (sid && idTokenSession(data.idToken ?? '').sid !== sid) continue;
      remove.run(row.id);
      ended += 1;
    }
  })();
  return ended;
}

export interface BackchannelLogoutDeps {
  verifier: LogoutTokenVerifier;
  /** Ends the product's sessions for these claims; returns how many ended. */
  endSessions: (claims: LogoutClaims) => number | Promise<number>;
}

/**
 * `POST /backchannel-logout` (form field `logout_token`): 200 when the token is valid (whether or not a session
 * was open), 400 with an OAuth-shaped error otherwise. Server-to-server: no cookies, no CSRF token.
 */
export function backchannelLogoutRoutes({ verifier, endSessions }: BackchannelLogoutDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.post(BACKCHANNEL_LOGOUT_PATH, async (c) => {
    const headers = { 'Cache-Control': 'no-store' };
    let claims: LogoutClaims;
    try {
      const form = await readForm(c.req.raw);
      if (!form.logout_token) throw new LogoutTokenError('A logout_token is required.');
      claims = await verifier.verify(form.logout_token);
    } catch (error) {
      const description = error instanceof Error ? error.message : 'The request is not valid.';
      return errorResponse(new RequestError('invalid_request', description, { cause: error }), c, { json: true });
    }
    await endSessions(claims);
    return c.body(null, 200, headers);
  });
  return app;
}

/**
 * Ends Segment's or SendGrid's own sessions (`product_sessions`) of the product user linked to the logout token's
 * Twilio subject; with a `sid`, only those opened from that IdP session (their stored ID token names it).
 */
export function endProductSessions(db: Db, product: SetupProductId, { sub, sid }: LogoutClaims): number {
  const usersTable = product === 'segment' ? 'segment_users' : 'sendgrid_users';
  const rows = db
    .prepare(
      `SELECT s.id, s.id_token FROM product_sessions s JOIN ${usersTable} u ON u.id = s.user_id
       WHERE s.product = ? AND s.method = 'twilio' AND (? IS NULL OR u.twilio_sub = ?)`,
    )
    .all(product, sub ?? null, sub ?? null) as { id: string; id_token: string | null }[];
  const remove = db.prepare('DELETE FROM product_sessions WHERE id = ?');
  let ended = 0;
  db.transaction(() => {
    for (const row of rows) {
      if (sid && idTokenSession(row.id_token ?? '').sid !== sid) continue;
      remove.run(row.id);
      ended += 1;
    }
  })();
  return ended;
}

/**
 * Puts `POST /backchannel-logout` in front of a site's own handler, for sites that do not mount
 * `backchannelLogoutRoutes` themselves (Segment and SendGrid are wired this way in app.ts).
 */
export function withBackchannelLogout(deps: BackchannelLogoutDeps, site: NodeHandler): NodeHandler {
  const listener = getRequestListener(backchannelLogoutRoutes(deps).fetch);
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === BACKCHANNEL_LOGOUT_PATH && req.method === 'POST') void listener(req, res);
    else site(req, res);
  };
}
