import * as oidc from 'openid-client';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_PATHS, ApiErrorSchema, MeSchema, ProductsResponseSchema } from '../../contract/api';
import { EXTENSION_ID, EXTENSION_REDIRECT_URI, EXTENSION_SCOPE } from '../../contract/catalogue';
import { localhostFetch } from '../../mock-server/net';
import { completeLogin, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionClient, productClient, signInAsExtension, signInWithCode } from '../../scripts/lib/oidc-clients';
import { ADA, DAN, worldForFile } from './world';

const world = await worldForFile();

function get(path: string, token?: string, headers: Record<string, string> = {}) {
  return localhostFetch(`${world.urls.login}${path}`, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

async function expectUnauthorised(response: Response, withError: boolean) {
  expect(response.status).toBe(401);
  const challenge = response.headers.get('www-authenticate');
  expect(challenge).toMatch(/^Bearer realm="twilio"/);
  if (withError) expect(challenge).toContain('error="invalid_token"');
  else expect(challenge).not.toContain('error=');
  expect(v.parse(ApiErrorSchema, await response.json()).error).toBe('invalid_token');
}

describe('the extension API', () => {
  it('tells Ada who she is', async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    const response = await get(API_PATHS.me, tokens.access_token);
    expect(response.status).toBe(200);
    expect(v.parse(MeSchema, await response.json())).toEqual({
      sub: tokens.claims()!.sub,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      eligible: true,
    });
  });

  it('lists the Console as active, her linked Segment workspace and SendGrid as not set up for Ada', async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    const response = await get(API_PATHS.products, tokens.access_token);
    expect(response.status).toBe(200);
    const { products } = v.parse(ProductsResponseSchema, await response.json());
    expect(products).toEqual([
      { id: 'console', name: 'Twilio Console', status: 'active', url: `${world.urls.console}/`, workspaces: [] },
      {
        id: 'segment',
        name: 'Segment',
        status: 'linked',
        // Straight to her most recently visited workspace.
        url: `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_ada_analytics`,
        workspaces: [
          {
            id: 'ws_ada_analytics',
            name: 'Ada Analytics',
            role: 'Owner',
            url: `${world.urls.segment}/login/twilio?next=%2Fworkspaces%2Fws_ada_analytics`,
          },
        ],
      },
      {
        id: 'sendgrid',
        name: 'SendGrid',
        status: 'not_set_up',
        url: `${world.urls.login}/setup/sendgrid`,
        workspaces: [],
      },
    ]);
  });

  it('lists Segment and SendGrid as unavailable, with "Contact support to request access", for Dan', async () => {
    const { tokens } = await signInAsExtension(world, DAN);
    const me = v.parse(MeSchema, await (await get(API_PATHS.me, tokens.access_token)).json());
    expect(me.eligible).toBe(false);
    const { products } = v.parse(
      ProductsResponseSchema,
      await (await get(API_PATHS.products, tokens.access_token)).json(),
    );
    expect(products.map((product) => [product.id, product.status, product.url, product.note])).toEqual([
      ['console', 'active', `${world.urls.console}/`, undefined],
      ['segment', 'unavailable', undefined, 'Contact support to request access'],
      ['sendgrid', 'unavailable', undefined, 'Contact support to request access'],
    ]);
  });

  it('answers without a token with 401 and a bare Bearer challenge', async () => {
    await expectUnauthorised(await get(API_PATHS.me), false);
    await expectUnauthorised(await get(API_PATHS.products), false);
  });

  it('answers a made-up or malformed token with 401 invalid_token', async () => {
    await expectUnauthorised(await get(API_PATHS.me, 'not-a-real-token'), true);
    await expectUnauthorised(await get(API_PATHS.me, `${'x'.repeat(5000)}`), true);
    const basic = await localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
      headers: { authorization: 'Basic Zm9vOmJhcg==' },
    });
    await expectUnauthorised(basic, true);
  });

  it.each(['console', 'segment'])(
    'refuses an access token issued to the %s client with 401 invalid_token: it is not meant for this API',
    async (clientId) => {
      const { config, redirectUri } = await productClient(world, clientId);
      const { tokens } = await signInWithCode(config, ADA, { redirectUri });
      for (const path of [API_PATHS.me, API_PATHS.products]) {
        const response = await get(path, tokens.access_token);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer realm="twilio", error="invalid_token"');
        expect(await response.json()).toEqual({
          error: 'invalid_token',
          error_description: 'The access token was not issued for this API.',
        });
      }
    },
  );

  it('accepts the Bearer scheme in any letter case (RFC 7235)', async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    for (const scheme of ['bearer', 'BEARER', 'bEaReR']) {
      const response = await localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
        headers: { authorization: `${scheme} ${tokens.access_token}` },
      });
      expect(response.status).toBe(200);
      expect(v.parse(MeSchema, await response.json()).email).toBe('ada@example.com');
    }
  });

  it('refuses an expired access token with 401', async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    expect((await get(API_PATHS.me, tokens.access_token)).status).toBe(200);
    world.advance(10 * 60 * 1000 + 1000);
    try {
      await expectUnauthorised(await get(API_PATHS.me, tokens.access_token), true);
    } finally {
      world.advance(-(10 * 60 * 1000 + 1000));
    }
  });

  it('refuses a revoked access token with 401', async () => {
    const { config, tokens } = await signInAsExtension(world, ADA);
    await oidc.tokenRevocation(config, tokens.access_token);
    await expectUnauthorised(await get(API_PATHS.me, tokens.access_token), true);
  });

  it('allows the extension origin, and no other, to read it cross-origin', async () => {
    const extensionOrigin = `chrome-extension://${EXTENSION_ID}`;
    const preflight = await localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
      method: 'OPTIONS',
      headers: {
        origin: extensionOrigin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(extensionOrigin);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const other = await get(API_PATHS.me, undefined, { origin: 'http://evil.localhost' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await get('/api/nothing');
    expect(response.status).toBe(404);
    expect(v.parse(ApiErrorSchema, await response.json()).error).toBe('not_found');
  });
});

describe('authorization codes', () => {
  it('refuses a reused code with invalid_grant and revokes the access token it issued', async () => {
    const config = await extensionClient(world);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: 's',
    });
    const callback = await completeLogin(new HeadlessBrowser(), url, EXTENSION_REDIRECT_URI, ADA);
    const exchange = () =>
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: 's' });
    const tokens = await exchange();
    expect((await get(API_PATHS.me, tokens.access_token)).status).toBe(200);

    const reuse = await exchange().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(reuse).toBeInstanceOf(oidc.ResponseBodyError);
    expect((reuse as oidc.ResponseBodyError).error).toBe('invalid_grant');
    await expectUnauthorised(await get(API_PATHS.me, tokens.access_token), true);
  });

  it('refuses a code with the wrong PKCE verifier and burns it: the right verifier then gets invalid_grant too', async () => {
    const config = await extensionClient(world);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: 's',
    });
    const callback = await completeLogin(new HeadlessBrowser(), url, EXTENSION_REDIRECT_URI, ADA);
    const exchange = (pkceCodeVerifier: string) =>
      oidc
        .authorizationCodeGrant(config, callback, { pkceCodeVerifier, expectedState: 's' })
        .catch((caught: unknown) => caught as oidc.ResponseBodyError);
    const wrong = await exchange(oidc.randomPKCECodeVerifier());
    expect([wrong.error, wrong.error_description]).toEqual(['invalid_grant', 'grant request is invalid']);
    const right = await exchange(codeVerifier);
    expect(right).toBeInstanceOf(oidc.ResponseBodyError);
    expect([right.error, right.error_description]).toEqual(['invalid_grant', 'grant request is invalid']);
  });
});

describe('refresh tokens', () => {
  it("keep offline_access: a standard client's refresh that re-sends the scope succeeds", async () => {
    const { config, tokens } = await signInAsExtension(world, ADA);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: EXTENSION_SCOPE });
    expect(refreshed.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
    expect((await get(API_PATHS.me, refreshed.access_token)).status).toBe(200);
    const again = await oidc.refreshTokenGrant(config, refreshed.refresh_token!, { scope: EXTENSION_SCOPE });
    expect((await get(API_PATHS.me, again.access_token)).status).toBe(200);
  });

  it('refuse a scope the refresh token was never granted with invalid_scope', async () => {
    const { config, tokens } = await signInAsExtension(world, ADA);
    const error = await oidc
      .refreshTokenGrant(config, tokens.refresh_token!, { scope: 'openid phone' })
      .catch((caught: unknown) => caught as oidc.ResponseBodyError);
    expect(error).toBeInstanceOf(oidc.ResponseBodyError);
    expect((error as oidc.ResponseBodyError).error).toBe('invalid_scope');
  });
});
