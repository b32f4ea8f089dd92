import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_PATHS, MeSchema } from '../../contract/api';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URI, EXTENSION_REFRESH_SCOPE } from '../../contract/catalogue';
import { localhostFetch } from '../../mock-server/net';
import { extensionClient, productClient, signInAsExtension, signInWithCode } from '../../scripts/lib/oidc-clients';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

async function me(accessToken: string) {
  const response = await localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

describe('authorization code flow with PKCE', () => {
  it('signs Ada in to the Console client and returns an ID token with her email and name', async () => {
    const { config, redirectUri } = await productClient(world, 'console');
    const { tokens, callbackUrl } = await signInWithCode(config, ADA, { redirectUri });
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(redirectUri);
    expect(callbackUrl.searchParams.get('iss')).toBe(world.issuer);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: world.issuer,
      aud: 'console',
      email: 'ada@example.com',
      email_verified: true,
      name: 'Ada Lovelace',
    });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(600);
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('signs Ada in to the extension public client at its chromiumapp.org redirect URI, with a refresh token', async () => {
    const { config, tokens, callbackUrl } = await signInAsExtension(world, ADA);
    expect(callbackUrl.href.startsWith(`${EXTENSION_REDIRECT_URI}?`)).toBe(true);
    expect(tokens.claims()).toMatchObject({ aud: EXTENSION_CLIENT_ID, email: 'ada@example.com' });
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect((await me(tokens.access_token)).status).toBe(200);

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const after = await me(refreshed.access_token);
    expect(after.status).toBe(200);
    expect(v.parse(MeSchema, after.body).email).toBe('ada@example.com');
  });

  it("answers the extension's own refresh (its scopes but openid) without an ID token, and keeps openid for later", async () => {
    const { config, tokens } = await signInAsExtension(world, ADA);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, { scope: EXTENSION_REFRESH_SCOPE });
    expect(refreshed.id_token).toBeUndefined();
    expect(refreshed.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'profile']);
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const after = await me(refreshed.access_token);
    expect(after.status).toBe(200);
    expect(v.parse(MeSchema, after.body).email).toBe('ada@example.com');
    // The rotated refresh token still holds every granted scope: a refresh that asks for openid gets an ID token.
    const withIdToken = await oidc.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(withIdToken.claims()).toMatchObject({ sub: tokens.claims()!.sub, aud: EXTENSION_CLIENT_ID });
  });

  it("signs the extension's ID tokens (also refreshed ones) with ES256 and the products' with RS256, both verifiable with the published keys", async () => {
    const jwks = createLocalJWKSet((await (await localhostFetch(`${world.issuer}/jwks`)).json()) as JSONWebKeySet);
    const { config, tokens } = await signInAsExtension(world, ADA);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    const { config: consoleConfig, redirectUri } = await productClient(world, 'console');
    const { tokens: consoleTokens } = await signInWithCode(consoleConfig, ADA, { redirectUri });
    for (const [idToken, alg, audience] of [
      [tokens.id_token!, 'ES256', EXTENSION_CLIENT_ID],
      [refreshed.id_token!, 'ES256', EXTENSION_CLIENT_ID],
      [consoleTokens.id_token!, 'RS256', 'console'],
    ] as const) {
      expect(decodeProtectedHeader(idToken).alg).toBe(alg);
      const { payload } = await jwtVerify(idToken, jwks, { issuer: world.issuer, audience, algorithms: [alg] });
      expect(payload.sub).toBe(tokens.claims()!.sub);
    }
  });

  it('keeps offline_access and issues a refresh token when the extension asks with prompt=consent', async () => {
    const config = await extensionClient(world);
    const { tokens } = await signInWithCode(config, ADA, {
      redirectUri: EXTENSION_REDIRECT_URI,
      scope: 'openid email profile offline_access',
      params: { prompt: 'consent' },
    });
    expect(tokens.scope?.split(' ').sort()).toEqual(['email', 'offline_access', 'openid', 'profile']);
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('signs a user with an IdP session in to another client without showing the login again', async () => {
    const { browser } = await signInAsExtension(world, ADA);
    const { config, redirectUri } = await productClient(world, 'console');
    const { tokens } = await signInWithCode(config, { email: 'unused', password: 'unused' }, { redirectUri, browser });
    expect(tokens.claims()?.email).toBe('ada@example.com');
  });

  it('signs in Ada@Example.COM as ada', async () => {
    const { tokens } = await signInAsExtension(world, { ...ADA, email: '  Ada@Example.COM ' });
    expect(tokens.claims()?.email).toBe('ada@example.com');
  });

  it('answers prompt=none without a session with login_required at the redirect URI', async () => {
    const config = await extensionClient(world);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: EXTENSION_REDIRECT_URI,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 'xyz',
      prompt: 'none',
    });
    const response = await localhostFetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.href.startsWith(EXTENSION_REDIRECT_URI)).toBe(true);
    expect(location.searchParams.get('error')).toBe('login_required');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('iss')).toBe(world.issuer);
    expect(location.searchParams.get('code')).toBeNull();
  });
});
