/**
 * A small fake of the Twilio IdP for background tests: discovery, token endpoint (code + PKCE, refresh),
 * revocation, JSON API, and ID tokens signed with a real key pair that the test's JWKS resolver knows.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWTVerifyGetKey, SignJWT } from 'jose';
import type { Me, ProductEntry } from '../../../contract/api';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URIS } from '../../../contract/catalogue';
import { codeChallengeS256 } from '../../../src/background/pkce';
import { ISSUER } from '../../../src/shared/config';
import { createFakeFetch, json, type RecordedRequest } from './fakes';

export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

export const ADA: Me = { sub: 'user-ada', name: 'Ada Lovelace', email: 'ada@example.com', eligible: true };

export const ADA_PRODUCTS: ProductEntry[] = [
  {
    id: 'console',
    name: 'Twilio Console',
    status: 'active',
    url: 'http://console.twilio.localhost:8787/',
    workspaces: [],
  },
  {
    id: 'segment',
    name: 'Segment',
    status: 'linked',
    url: 'http://app.segment.localhost:8787/',
    workspaces: [{ id: 'w1', name: 'Ada Analytics', role: 'Owner', url: 'http://app.segment.localhost:8787/w/w1' }],
  },
  {
    id: 'sendgrid',
    name: 'SendGrid',
    status: 'not_set_up',
    url: 'http://login.twilio.localhost:8787/switch/sendgrid',
    workspaces: [],
  },
];

/** Ben after linking Segment and creating SendGrid: two workspaces, one account. */
export const BEN: Me = { sub: 'user-ben', name: 'Ben Okafor', email: 'ben@example.com', eligible: true };
export const SEGMENT_CONTINUE = 'http://app.segment.localhost:8787/login/twilio';
export const SENDGRID_CONTINUE = 'http://app.sendgrid.localhost:8787/login/twilio';
export const BEN_PRODUCTS: ProductEntry[] = [
  {
    id: 'console',
    name: 'Twilio Console',
    status: 'active',
    url: 'http://console.twilio.localhost:8787/',
    workspaces: [],
  },
  {
    id: 'segment',
    name: 'Segment',
    status: 'linked',
    url: SEGMENT_CONTINUE,
    workspaces: [
      { id: 'ws-ben', name: 'Ben Co', role: 'Member', url: `${SEGMENT_CONTINUE}?next=%2Fworkspaces%2Fws-ben` },
      { id: 'ws-lab', name: 'Ben Labs', role: 'Owner', url: `${SEGMENT_CONTINUE}?next=%2Fworkspaces%2Fws-lab` },
    ],
  },
  {
    id: 'sendgrid',
    name: 'SendGrid',
    status: 'linked',
    url: SENDGRID_CONTINUE,
    workspaces: [{ id: 'ac-1', name: 'Ben Mail', role: 'Admin', url: `${SENDGRID_CONTINUE}?next=%2Faccounts%2Fac-1` }],
  },
];

export const DISCOVERY = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  jwks_uri: `${ISSUER}/jwks`,
  revocation_endpoint: `${ISSUER}/token/revocation`,
  code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true,
};

export interface FakeIdpOptions {
  /** Claims to override in issued ID tokens (e.g. a wrong nonce). */
  idTokenClaims?: Record<string, unknown>;
  /** Status of the JSON API (e.g. 401 to simulate a revoked token). */
  apiStatus?: (request: RecordedRequest) => number;
  /** Answer refresh requests with `invalid_grant`. */
  refuseRefresh?: boolean;
  /**
   * Answer every refresh with a new ID token, with these claims overridden. Without it the fake answers as the
   * world does: an ID token only when the refresh asks for `openid` (or re-sends no scope at all).
   */
  refreshIdTokenClaims?: Record<string, unknown>;
  /** The products the API answers with, asked on every request (e.g. to show a set-up completing). */
  products?: () => ProductEntry[];
  /**
   * Whether the browser holds a Twilio login session: `prompt=none` succeeds only then, and otherwise comes back
   * with `login_required` (as the real IdP does). Default: no session.
   */
  webSession?: () => boolean;
  /** Why the session ended, sent with the API's 401s (`session_ended`). */
  sessionEnded?: 'signed_out' | 'password_changed' | 'deactivated';
  /** The world is unreachable: every request fails as a network error. */
  unreachable?: () => boolean;
}

export async function createFakeIdp(options: FakeIdpOptions = {}) {
  // The world signs the extension's ID tokens with ES256.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  const keys: JWTVerifyGetKey = createLocalJWKSet({ keys: [jwk] });
  const now = { value: NOW };
  const issued = {
    codes: new Map<string, { challenge: string; nonce: string; redirectUri: string }>(),
    refreshCount: 0,
  };
  let lastAuthorization: URL | undefined;

  const idToken = (nonce?: string, claims = options.idTokenClaims) => {
    const iat = Math.floor(now.value / 1000);
    return new SignJWT({
      iss: ISSUER,
      aud: EXTENSION_CLIENT_ID,
      sub: ADA.sub,
      iat,
      exp: iat + 3600,
      email: ADA.email,
      ...(nonce ? { nonce } : {}),
      ...claims,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .sign(privateKey);
  };

  async function token(request: RecordedRequest): Promise<Response> {
    const body = new URLSearchParams(request.body);
    if (body.get('client_id') !== EXTENSION_CLIENT_ID) return json({ error: 'invalid_client' }, 401);
    if (body.get('grant_type') === 'authorization_code') {
      const grant = issued.codes.get(body.get('code') ?? '');
      issued.codes.delete(body.get('code') ?? ''); // single use
      if (!grant || body.get('redirect_uri') !== grant.redirectUri) return json({ error: 'invalid_grant' }, 400);
      if ((await codeChallengeS256(body.get('code_verifier') ?? '')) !== grant.challenge) {
        return json({ error: 'invalid_grant', error_description: 'PKCE verification failed' }, 400);
      }
      return json({
        access_token: 'access-1',
        refresh_token: 'refresh-1',
        token_type: 'Bearer',
        expires_in: 3600,
        id_token: await idToken(grant.nonce),
      });
    }
    if (body.get('grant_type') === 'refresh_token') {
      if (options.refuseRefresh) return json({ error: 'invalid_grant', error_description: 'grant expired' }, 400);
      issued.refreshCount += 1;
      const scope = body.get('scope');
      const withIdToken = options.refreshIdTokenClaims || scope === null || scope.split(' ').includes('openid');
      return json({
        access_token: `access-${issued.refreshCount + 1}`,
        refresh_token: `refresh-${issued.refreshCount + 1}`,
        token_type: 'Bearer',
        expires_in: 3600,
        ...(withIdToken ? { id_token: await idToken(undefined, options.refreshIdTokenClaims) } : {}),
      });
    }
    return json({ error: 'unsupported_grant_type' }, 400);
  }

  const api = (body: unknown) => (request: RecordedRequest) => {
    const status = options.apiStatus?.(request) ?? 200;
    if (status === 200) return json(body);
    return json(
      { error: 'invalid_token', ...(options.sessionEnded ? { session_ended: options.sessionEnded } : {}) },
      status,
    );
  };

  const fake = createFakeFetch({
    [`GET ${ISSUER}/.well-known/openid-configuration`]: () => json(DISCOVERY),
    [`POST ${ISSUER}/token`]: token,
    [`POST ${ISSUER}/token/revocation`]: () => new Response(null, { status: 200 }),
    [`GET ${ISSUER}/api/me`]: api(ADA),
    [`GET ${ISSUER}/api/products`]: (request: RecordedRequest) =>
      api({ products: options.products?.() ?? ADA_PRODUCTS })(request),
  });

  /** The IdP's side of launchWebAuthFlow: log the user in and redirect with a code, `state` and `iss`. */
  async function authorize(url: string, override: Record<string, string> = {}): Promise<string> {
    lastAuthorization = new URL(url);
    const query = lastAuthorization.searchParams;
    if (query.get('prompt') === 'none' && !(options.webSession?.() ?? false)) {
      const refused = new URL(query.get('redirect_uri') ?? '');
      refused.search = new URLSearchParams({
        error: 'login_required',
        state: query.get('state') ?? '',
        iss: ISSUER,
      }).toString();
      return refused.href;
    }
    const code = `code-${issued.codes.size + 1}`;
    const redirectUri = query.get('redirect_uri') ?? '';
    if (!EXTENSION_REDIRECT_URIS.includes(redirectUri)) throw new Error(`unregistered redirect_uri ${redirectUri}`);
    issued.codes.set(code, {
      challenge: query.get('code_challenge') ?? '',
      nonce: query.get('nonce') ?? '',
      redirectUri,
    });
    const redirect = new URL(redirectUri);
    redirect.search = new URLSearchParams({
      code,
      state: query.get('state') ?? '',
      iss: ISSUER,
      ...override,
    }).toString();
    return redirect.href;
  }

  const fetchFn: typeof fake.fetch = (...args) =>
    options.unreachable?.() ? Promise.reject(new TypeError('Failed to fetch')) : fake.fetch(...args);

  return {
    fetch: fetchFn,
    requests: fake.requests,
    keys,
    now,
    authorize,
    get lastAuthorization() {
      return lastAuthorization;
    },
  };
}
