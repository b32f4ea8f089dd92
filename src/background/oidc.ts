/**
 * The OAuth/OIDC protocol steps of the extension's public client, each a small function over injected `fetch`,
 * so tests drive them without a browser. The sign-in orchestration lives in auth.ts.
 */
import { type JWTVerifyGetKey, jwtVerify } from 'jose';
import * as v from 'valibot';
import { EXTENSION_CLIENT_ID, EXTENSION_REFRESH_SCOPE, EXTENSION_SCOPE } from '../../contract/catalogue';
import { ExtensionError } from '../../contract/errors';

export type Fetch = typeof fetch;

export const DiscoverySchema = v.object({
  issuer: v.string(),
  authorization_endpoint: v.pipe(v.string(), v.url()),
  token_endpoint: v.pipe(v.string(), v.url()),
  jwks_uri: v.pipe(v.string(), v.url()),
  revocation_endpoint: v.optional(v.pipe(v.string(), v.url())),
  code_challenge_methods_supported: v.optional(v.array(v.string())),
  authorization_response_iss_parameter_supported: v.optional(v.boolean()),
});
export type Discovery = v.InferOutput<typeof DiscoverySchema>;

export const TokenResponseSchema = v.object({
  access_token: v.string(),
  token_type: v.string(),
  expires_in: v.optional(v.number()),
  refresh_token: v.optional(v.string()),
  id_token: v.optional(v.string()),
  scope: v.optional(v.string()),
});
export type TokenResponse = v.InferOutput<typeof TokenResponseSchema>;

const OAuthErrorSchema = v.object({ error: v.string(), error_description: v.optional(v.string()) });

/**
 * How long the background waits for the Twilio login (discovery, tokens, revocation, the JSON API) to answer, body
 * included, before taking it as unreachable. A world that accepts connections and never answers would otherwise
 * hold the one refresh, sign-in or products fetch that every caller shares, and every caller with it: the popup
 * would spin, a sign-out would never finish, and the switchers would show the cached products as current, never as
 * offline.
 */
export const REQUEST_TIMEOUT_MS = 10 * 1000;

const TIMED_OUT = 'TimeoutError';

/** A signal that aborts REQUEST_TIMEOUT_MS from now: a timer of this context's own, which tests can move. */
export function requestDeadline(): AbortSignal {
  const controller = new AbortController();
  setTimeout(
    () => controller.abort(new DOMException('The Twilio login did not answer in time.', TIMED_OUT)),
    REQUEST_TIMEOUT_MS,
  );
  return controller.signal;
}

/** Whether a request failed because its deadline passed (while waiting for the answer or reading its body). */
export function timedOut(error: unknown): boolean {
  return error instanceof DOMException && error.name === TIMED_OUT;
}

/** A request to the Twilio login: no cookies, no cache, given up after REQUEST_TIMEOUT_MS; unreachable is `network`. */
export async function request(fetchFn: Fetch, url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetchFn(url, { ...init, credentials: 'omit', cache: 'no-store', signal: requestDeadline() });
  } catch (cause) {
    throw new ExtensionError('network', 'The Twilio login could not be reached.', { cause });
  }
}

/** The body as JSON, `undefined` when it is not JSON; a body that stops arriving is the world gone (`network`). */
export async function jsonOrUndefined(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (cause) {
    if (timedOut(cause)) throw new ExtensionError('network', 'The Twilio login stopped answering.', { cause });
    return undefined;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const body = await jsonOrUndefined(response);
  if (body === undefined)
    throw new ExtensionError('server', `The Twilio login answered ${response.status} without JSON.`);
  return body;
}

/**
 * Fetch `<issuer>/.well-known/openid-configuration` and check it names exactly this issuer (OIDC Discovery §4.3)
 * and keeps every endpoint on the issuer's origin: the world serves them all there, and the extension must never
 * send a code, a verifier or a token to another host because a document said so.
 */
export async function discover(issuer: string, fetchFn: Fetch = fetch): Promise<Discovery> {
  const response = await request(fetchFn, `${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new ExtensionError('server', `Discovery failed with HTTP ${response.status}.`);
  const parsed = v.safeParse(DiscoverySchema, await readJson(response));
  if (!parsed.success) throw new ExtensionError('server', 'The discovery document is malformed.');
  const discovery = parsed.output;
  if (discovery.issuer !== issuer) {
    throw new ExtensionError('issuer_mismatch', 'The discovery document names another issuer.');
  }
  const origin = new URL(issuer).origin;
  const endpoints = [
    discovery.authorization_endpoint,
    discovery.token_endpoint,
    discovery.jwks_uri,
    discovery.revocation_endpoint,
  ];
  if (endpoints.some((endpoint) => endpoint !== undefined && new URL(endpoint).origin !== origin)) {
    throw new ExtensionError('issuer_mismatch', 'The discovery document points outside the Twilio login.');
  }
  return discovery;
}

export interface AuthorizationParams {
  state: string;
  nonce: string;
  codeChallenge: string;
  /** This browser's `identity.getRedirectURL('oidc')`: Chromium's chromiumapp.org or Firefox's allizom.org URI. */
  redirectUri: string;
  /** `prompt=none`: answer at once from the browser's Twilio session, never show a page. */
  silent?: boolean;
}

/** Authorization errors that only mean "no usable Twilio session for a silent sign-in" (OIDC Core §3.1.2.6). */
const NO_SESSION_ERRORS = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);

/** The authorization request URL: code flow, PKCE S256, state and nonce, the registered redirect URI as-is. */
export function buildAuthorizationUrl(discovery: Discovery, params: AuthorizationParams): string {
  const url = new URL(discovery.authorization_endpoint);
  const query = url.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', EXTENSION_CLIENT_ID);
  query.set('redirect_uri', params.redirectUri);
  query.set('scope', EXTENSION_SCOPE);
  query.set('state', params.state);
  query.set('nonce', params.nonce);
  query.set('code_challenge', params.codeChallenge);
  query.set('code_challenge_method', 'S256');
  if (params.silent) query.set('prompt', 'none');
  return url.href;
}

/**
 * Check the authorization response (the URL the IdP redirected to) and return its code.
 * The redirect must be the registered URI; `state` must be ours (CSRF); `iss`, when the IdP sends it (it should,
 * RFC 9207), must be the issuer — and if the IdP advertises it, it is required. Errors map to closed codes.
 */
export function parseAuthorizationResponse(
  responseUrl: string,
  expected: { state: string; issuer: string; requireIss: boolean; redirectUri: string },
): string {
  let url: URL;
  try {
    url = new URL(responseUrl);
  } catch (cause) {
    throw new ExtensionError('sign_in_failed', 'The sign-in window returned an invalid URL.', { cause });
  }
  if (`${url.origin}${url.pathname}` !== expected.redirectUri) {
    throw new ExtensionError('sign_in_failed', 'The sign-in window returned to an unexpected address.');
  }
  const query = url.searchParams;
  if (query.get('state') !== expected.state) {
    throw new ExtensionError('state_mismatch', 'The sign-in response does not belong to this sign-in.');
  }
  const iss = query.get('iss');
  if (iss !== null ? iss !== expected.issuer : expected.requireIss) {
    throw new ExtensionError('issuer_mismatch', 'The sign-in response comes from an unexpected issuer.');
  }
  const error = query.get('error');
  if (error !== null) {
    const description = query.get('error_description') ?? error;
    if (NO_SESSION_ERRORS.has(error)) throw new ExtensionError('signed_out', 'There is no Twilio session to use.');
    const code = error === 'access_denied' ? 'sign_in_cancelled' : 'sign_in_failed';
    throw new ExtensionError(code, `The Twilio login refused the sign-in: ${description}`);
  }
  const code = query.get('code');
  if (!code) throw new ExtensionError('sign_in_failed', 'The sign-in response has no authorization code.');
  return code;
}

async function tokenRequest(fetchFn: Fetch, discovery: Discovery, body: URLSearchParams): Promise<TokenResponse> {
  body.set('client_id', EXTENSION_CLIENT_ID);
  const response = await request(fetchFn, discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body,
  });
  const json = await readJson(response);
  if (!response.ok) {
    const error = v.safeParse(OAuthErrorSchema, json);
    const detail = error.success ? (error.output.error_description ?? error.output.error) : `HTTP ${response.status}`;
    const code = error.success && error.output.error === 'invalid_grant' ? 'token_invalid' : 'sign_in_failed';
    throw new ExtensionError(code, `The token request was refused: ${detail}`);
  }
  const parsed = v.safeParse(TokenResponseSchema, json);
  if (!parsed.success || parsed.output.token_type.toLowerCase() !== 'bearer') {
    throw new ExtensionError('server', 'The token response is malformed.');
  }
  return parsed.output;
}

/** Redeem the authorization code with the PKCE verifier (public client: no secret, `client_id` in the body). */
export function exchangeCode(
  fetchFn: Fetch,
  discovery: Discovery,
  code: string,
  verifier: string,
  redirectUri: string,
): Promise<TokenResponse> {
  return tokenRequest(
    fetchFn,
    discovery,
    new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  );
}

export function refreshTokens(fetchFn: Fetch, discovery: Discovery, refreshToken: string): Promise<TokenResponse> {
  return tokenRequest(
    fetchFn,
    discovery,
    new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: EXTENSION_REFRESH_SCOPE }),
  );
}

/** Revoke a token (RFC 7009). Best effort: failures are swallowed, the caller clears local state regardless. */
export async function revokeToken(
  fetchFn: Fetch,
  discovery: Discovery,
  token: string,
  hint: 'access_token' | 'refresh_token',
): Promise<void> {
  if (!discovery.revocation_endpoint) return;
  try {
    await request(fetchFn, discovery.revocation_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: hint, client_id: EXTENSION_CLIENT_ID }),
    });
  } catch {
    // Revocation is best effort (RFC 7009 §2.2): the tokens are dropped locally either way.
  }
}

/** Seconds of clock skew tolerated on `exp`/`iat`/`nbf` between the IdP and this browser. */
export const CLOCK_TOLERANCE_S = 30;

/**
 * The one algorithm the IdP signs the extension's ID tokens with (its client registration asks for ES256): a
 * token signed any other way is refused, even by a key the JWKS holds (RFC 8725 §3.1).
 */
const ID_TOKEN_ALGORITHMS = ['ES256'];

/**
 * Verify an ID token (OIDC Core §3.1.3.7): signature by a key of the IdP's JWKS, `iss`, `aud` = our client id,
 * `exp`, and `nonce` when one was sent (refreshed ID tokens carry none). Returns the subject.
 */
export async function verifyIdToken(
  idToken: string,
  options: { keys: JWTVerifyGetKey; issuer: string; nonce?: string; now: number; expectedSub?: string },
): Promise<{ sub: string }> {
  let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
  try {
    ({ payload } = await jwtVerify(idToken, options.keys, {
      issuer: options.issuer,
      audience: EXTENSION_CLIENT_ID,
      clockTolerance: CLOCK_TOLERANCE_S,
      currentDate: new Date(options.now),
      requiredClaims: ['sub', 'exp', 'iat'],
      algorithms: ID_TOKEN_ALGORITHMS,
    }));
  } catch (cause) {
    throw new ExtensionError('token_invalid', 'The ID token could not be verified.', { cause });
  }
  if (options.nonce !== undefined && payload.nonce !== options.nonce) {
    throw new ExtensionError('token_invalid', 'The ID token was not issued for this sign-in (nonce).');
  }
  // With several audiences, OIDC Core requires `azp` to be us.
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== EXTENSION_CLIENT_ID) {
    throw new ExtensionError('token_invalid', 'The ID token was issued to another party (azp).');
  }
  const sub = payload.sub as string;
  if (options.expectedSub !== undefined && sub !== options.expectedSub) {
    throw new ExtensionError('token_invalid', 'The refreshed ID token is for another user.');
  }
  return { sub };
}
