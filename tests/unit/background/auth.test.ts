// @vitest-environment node
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  EXTENSION_CLIENT_ID,
  EXTENSION_REDIRECT_URI,
  EXTENSION_REFRESH_SCOPE,
  EXTENSION_SCOPE,
  FIREFOX_REDIRECT_URI,
} from '../../../contract/catalogue';
import { ExtensionError } from '../../../contract/errors';
import { discover, verifyIdToken } from '../../../src/background/oidc';
import { codeChallengeS256 } from '../../../src/background/pkce';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { createMemoryStorageArea, json, type RecordedRequest } from '../support/fakes';
import { ADA, createFakeIdp, DISCOVERY, type FakeIdpOptions, NOW } from '../support/idp';

type Respond = (url: string, world: { idp: FakeIdp; area: MemoryArea }) => Promise<string | undefined>;
type FakeIdp = Awaited<ReturnType<typeof createFakeIdp>>;
type MemoryArea = ReturnType<typeof createMemoryStorageArea>;

async function setup(options: FakeIdpOptions = {}, respond?: Respond, redirectUri = EXTENSION_REDIRECT_URI) {
  const idp = await createFakeIdp(options);
  const area = createMemoryStorageArea();
  const { session, auth } = backgroundOver(idp, {
    area,
    redirectUri,
    launchWebAuthFlow: (url) => (respond ? respond(url, { idp, area }) : idp.authorize(url)),
  });
  return { idp, area, session, auth };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtensionError);
  return (error as ExtensionError).code;
}

const tokenRequests = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.method === 'POST' && r.url === `${ISSUER}/token`);

describe('sign-in', () => {
  it('asks for a code with PKCE S256, state, nonce and the registered redirect URI', async () => {
    const { idp, auth } = await setup();
    await auth.signIn();
    const query = idp.lastAuthorization!.searchParams;
    expect(`${idp.lastAuthorization!.origin}${idp.lastAuthorization!.pathname}`).toBe(`${ISSUER}/auth`);
    expect(query.get('response_type')).toBe('code');
    expect(query.get('client_id')).toBe(EXTENSION_CLIENT_ID);
    expect(query.get('redirect_uri')).toBe(EXTENSION_REDIRECT_URI);
    expect(query.get('scope')).toBe(EXTENSION_SCOPE);
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("signs in through Firefox's redirect URL and redeems the code with it", async () => {
    const { idp, auth, session } = await setup({}, undefined, FIREFOX_REDIRECT_URI);
    await auth.signIn();
    expect(idp.lastAuthorization!.searchParams.get('redirect_uri')).toBe(FIREFOX_REDIRECT_URI);
    const [redeem] = tokenRequests(idp.requests);
    expect(new URLSearchParams(redeem!.body).get('redirect_uri')).toBe(FIREFOX_REDIRECT_URI);
    expect((await session.getTokens())?.sub).toBe(ADA.sub);
  });

  it("refuses a response that comes back to the other browser's redirect URL", async () => {
    const { auth } = await setup(
      {},
      async (url, { idp }) => (await idp.authorize(url)).replace(FIREFOX_REDIRECT_URI, EXTENSION_REDIRECT_URI),
      FIREFOX_REDIRECT_URI,
    );
    expect(await codeOf(auth.signIn())).toBe('sign_in_failed');
  });

  it('redeems the code with the verifier whose S256 challenge was sent', async () => {
    const { idp, auth } = await setup();
    await auth.signIn();
    const [exchange] = tokenRequests(idp.requests);
    const body = new URLSearchParams(exchange!.body);
    expect(body.get('grant_type')).toBe('authorization_code');
    expect(body.get('client_id')).toBe(EXTENSION_CLIENT_ID);
    expect(await codeChallengeS256(body.get('code_verifier')!)).toBe(
      idp.lastAuthorization!.searchParams.get('code_challenge'),
    );
  });

  it('keeps the verified tokens in session storage and clears the pending sign-in', async () => {
    const { idp, area, auth } = await setup();
    await auth.signIn();
    expect(area.data.get('tokens')).toEqual({
      accessToken: 'access-1',
      refreshToken: 'refresh-1',
      idToken: expect.stringMatching(/^ey/),
      expiresAt: idp.now.value + 3600 * 1000,
      sub: ADA.sub,
    });
    expect(area.data.has('pendingSignIns')).toBe(false);
  });

  it('stores the verifier, state and nonce before the sign-in window opens', async () => {
    let pendingWhenOpened: Record<string, unknown> | undefined;
    let sent: URLSearchParams | undefined;
    const { auth } = await setup({}, async (url, { idp, area }) => {
      sent = new URL(url).searchParams;
      const pending = area.data.get('pendingSignIns') as Record<string, Record<string, unknown>>;
      pendingWhenOpened = structuredClone(pending[sent.get('state') ?? '']);
      return idp.authorize(url);
    });
    await auth.signIn();
    expect(pendingWhenOpened?.state).toBe(sent?.get('state'));
    expect(pendingWhenOpened?.nonce).toBe(sent?.get('nonce'));
    expect(await codeChallengeS256(String(pendingWhenOpened?.verifier))).toBe(sent?.get('code_challenge'));
  });

  it('refuses a response whose state is not the one sent, without redeeming the code', async () => {
    const { idp, area, auth } = await setup({}, (url, w) => w.idp.authorize(url, { state: 'forged' }));
    expect(await codeOf(auth.signIn())).toBe('state_mismatch');
    expect(tokenRequests(idp.requests)).toHaveLength(0);
    expect(area.data.has('tokens')).toBe(false);
  });

  it('refuses a response from another issuer (mix-up), without redeeming the code', async () => {
    const { idp, area, auth } = await setup({}, (url, w) => w.idp.authorize(url, { iss: 'http://evil.localhost' }));
    expect(await codeOf(auth.signIn())).toBe('issuer_mismatch');
    expect(tokenRequests(idp.requests)).toHaveLength(0);
    expect(area.data.has('tokens')).toBe(false);
  });

  it('refuses an ID token with another nonce and stores nothing', async () => {
    const { area, auth } = await setup({ idTokenClaims: { nonce: 'replayed' } });
    expect(await codeOf(auth.signIn())).toBe('token_invalid');
    expect(area.data.has('tokens')).toBe(false);
  });

  it('refuses an ID token issued to another client', async () => {
    const { area, auth } = await setup({ idTokenClaims: { aud: 'segment' } });
    expect(await codeOf(auth.signIn())).toBe('token_invalid');
    expect(area.data.has('tokens')).toBe(false);
  });

  it('reports a closed sign-in window as cancelled and forgets the pending sign-in', async () => {
    const { area, auth } = await setup({}, async () => {
      throw new Error('The user did not approve access.');
    });
    expect(await codeOf(auth.signIn())).toBe('sign_in_cancelled');
    expect(area.data.size).toBe(0);
  });

  it('reports an IdP error response as a failed sign-in', async () => {
    const { auth } = await setup({}, (url, w) =>
      w.idp.authorize(url, { error: 'server_error', error_description: 'boom', code: '' }),
    );
    expect(await codeOf(auth.signIn())).toBe('sign_in_failed');
  });
});

describe('tokens after sign-in', () => {
  it('returns the stored access token while it is far from expiry', async () => {
    const { idp, auth } = await setup();
    await auth.signIn();
    expect(await auth.accessToken()).toBe('access-1');
    expect(tokenRequests(idp.requests)).toHaveLength(1);
  });

  it('refreshes the access token shortly before it expires and keeps the rotated refresh token', async () => {
    const { idp, area, auth } = await setup();
    await auth.signIn();
    idp.now.value += 3600 * 1000 - 30 * 1000;
    expect(await auth.accessToken()).toBe('access-2');
    expect(area.data.get('tokens')).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2', sub: ADA.sub });
  });

  it('refreshes with its scopes but openid, so no new ID token comes, and keeps the verified one', async () => {
    const { idp, area, auth } = await setup();
    await auth.signIn();
    const signedIn = area.data.get('tokens') as { idToken: string };
    expect(await auth.refresh()).toBe('access-2');
    const refresh = new URLSearchParams(tokenRequests(idp.requests)[1]!.body);
    expect(refresh.get('grant_type')).toBe('refresh_token');
    expect(refresh.get('scope')).toBe(EXTENSION_REFRESH_SCOPE);
    expect(EXTENSION_REFRESH_SCOPE.split(' ').sort()).toEqual(['email', 'offline_access', 'profile']);
    expect(area.data.get('tokens')).toMatchObject({ idToken: signedIn.idToken, sub: ADA.sub });
  });

  it('verifies an ID token an IdP sends at a refresh anyway, and keeps it when it names the same user', async () => {
    const { area, auth } = await setup({ refreshIdTokenClaims: { email: 'ada@example.com' } });
    await auth.signIn();
    const signedIn = area.data.get('tokens') as { idToken: string };
    expect(await auth.refresh()).toBe('access-2');
    const refreshed = area.data.get('tokens') as { idToken: string; sub: string };
    expect(refreshed.idToken).not.toBe(signedIn.idToken);
    expect(refreshed.sub).toBe(ADA.sub);
  });

  it('signs out locally when a refreshed ID token names another user', async () => {
    const { area, auth } = await setup({ refreshIdTokenClaims: { sub: 'someone-else' } });
    await auth.signIn();
    expect(await codeOf(auth.refresh())).toBe('signed_out');
    expect(area.data.has('tokens')).toBe(false);
  });

  it('signs out locally when the IdP refuses the refresh token', async () => {
    const { area, auth } = await setup({ refuseRefresh: true });
    await auth.signIn();
    expect(await codeOf(auth.refresh())).toBe('signed_out');
    expect(area.data.has('tokens')).toBe(false);
  });

  it('throws signed_out when asked for a token with nobody signed in', async () => {
    const { auth } = await setup();
    expect(await codeOf(auth.accessToken())).toBe('signed_out');
  });

  it('revokes both tokens on sign-out and clears session storage', async () => {
    const { idp, area, auth } = await setup();
    await auth.signIn();
    await auth.signOut();
    const revoked = idp.requests
      .filter((r) => r.url === `${ISSUER}/token/revocation`)
      .map((r) => new URLSearchParams(r.body).get('token'))
      .sort();
    expect(revoked).toEqual(['access-1', 'refresh-1']);
    expect(area.data.size).toBe(0);
  });
});

describe('what the IdP must look like', () => {
  it.each(['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'revocation_endpoint'] as const)(
    'refuses a discovery document whose %s is on another origin',
    async (endpoint) => {
      const document = { ...DISCOVERY, [endpoint]: 'http://evil.localhost:8787/steal' };
      const fetchFn: typeof fetch = async () => json(document);
      const error = await discover(ISSUER, fetchFn).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExtensionError);
      expect(error).toMatchObject({
        code: 'issuer_mismatch',
        message: 'The discovery document points outside the Twilio login.',
      });
    },
  );

  it('takes the discovery document the world serves', async () => {
    expect(await discover(ISSUER, async () => json(DISCOVERY))).toEqual(
      expect.objectContaining({ token_endpoint: DISCOVERY.token_endpoint }),
    );
  });

  it('refuses an ID token signed with another algorithm, even by a key of the JWKS', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'rsa', alg: 'RS256' }] });
    const iat = Math.floor(NOW / 1000);
    const idToken = await new SignJWT({ iss: ISSUER, aud: EXTENSION_CLIENT_ID, sub: ADA.sub, iat, exp: iat + 3600 })
      .setProtectedHeader({ alg: 'RS256', kid: 'rsa' })
      .sign(privateKey);
    const error = await verifyIdToken(idToken, { keys, issuer: ISSUER, now: NOW }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'token_invalid', message: 'The ID token could not be verified.' });
    expect((error as ExtensionError).cause).toMatchObject({ code: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });
});
