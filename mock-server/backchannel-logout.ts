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
import { createRemoteJWKSet, customFetch, type JWTPayload, jwtVerify } from 'jose';
import { issuerFor } from '../contract/catalogue';
import { errorResponse } from './error-response';
import { RequestError } from './errors';
import { BACKCHANNEL_LOGOUT_PATH } from './identity/clients';
import { type NodeHandler, requestPath } from './node-handler';
import { readForm } from './security';
import type { LogoutClaims } from './storage/session-ends';

const LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
/** Logout tokens older than this are refused (with their `jti`s remembered at least this long). */
const MAX_TOKEN_AGE_SECONDS = 5 * 60;

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
        requiredClaims: ['iat', 'exp', 'jti'],
      }));
    } catch (cause) {
      throw new LogoutTokenError('The logout token is not valid.', { cause });
    }
    // `events` is a JSON object whose back-channel logout member is a JSON object (Back-Channel Logout 1.0 §2.4).
    const isObject = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value);
    if (!isObject(payload.events) || !isObject(payload.events[LOGOUT_EVENT])) {
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
 * Puts `POST /backchannel-logout` in front of a site's own handler, for sites that do not mount
 * `backchannelLogoutRoutes` themselves (Segment and SendGrid are wired this way in app.ts).
 */
export function withBackchannelLogout(deps: BackchannelLogoutDeps, site: NodeHandler): NodeHandler {
  const listener = getRequestListener(backchannelLogoutRoutes(deps).fetch);
  return (req, res) => {
    if (req.method === 'POST' && requestPath(req) === BACKCHANNEL_LOGOUT_PATH) void listener(req, res);
    else site(req, res);
  };
}
