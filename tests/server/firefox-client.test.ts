/**
 * The extension in Firefox: its allizom.org redirect URI is the extension client's second exact redirect URI, and
 * its token requests come from a random moz-extension://<UUID> origin that the IdP cannot list in advance.
 */
import { describe, expect, it } from 'vitest';
import { EXTENSION_CLIENT_ID, EXTENSION_SCOPE, FIREFOX_REDIRECT_URI } from '../../contract/catalogue';
import { localhostFetch } from '../../mock-server/net';
import { completeLogin, HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient, signInWithCode } from '../../scripts/lib/oidc-clients';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const FIREFOX_ORIGIN = 'moz-extension://3c7e0f52-9b1d-4a66-8d2e-5f4b7a1c9e08';

/** A fresh authorization code for the extension client at Firefox's redirect URI, and its PKCE verifier. */
async function firefoxCode(): Promise<{ code: string; verifier: string }> {
  const { url, codeVerifier: verifier } = await extensionAuthorization(await extensionClient(world), {
    redirect_uri: FIREFOX_REDIRECT_URI,
    state: 's',
  });
  const callback = await completeLogin(new HeadlessBrowser(), url, FIREFOX_REDIRECT_URI, ADA);
  return { code: callback.searchParams.get('code')!, verifier };
}

function redeem(code: string, verifier: string, origin: string, clientId = EXTENSION_CLIENT_ID) {
  return localhostFetch(`${world.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: FIREFOX_REDIRECT_URI,
      code_verifier: verifier,
      client_id: clientId,
    }),
  });
}

describe('the extension client in Firefox', () => {
  it('signs Ada in at the allizom.org redirect URI with a refresh token', async () => {
    const config = await extensionClient(world);
    const { tokens, callbackUrl } = await signInWithCode(config, ADA, {
      redirectUri: FIREFOX_REDIRECT_URI,
      scope: EXTENSION_SCOPE,
    });
    expect(callbackUrl.origin + callbackUrl.pathname).toBe(FIREFOX_REDIRECT_URI);
    expect(tokens.claims()).toMatchObject({ aud: EXTENSION_CLIENT_ID, email: ADA.email });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it("redeems the code from the add-on's moz-extension origin, answering with that origin in CORS", async () => {
    const { code, verifier } = await firefoxCode();
    const response = await redeem(code, verifier, FIREFOX_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(FIREFOX_ORIGIN);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
  });

  it('refuses a moz-extension origin that is not a UUID, and web origins, with 400 invalid_request', async () => {
    for (const origin of ['moz-extension://evil', `${FIREFOX_ORIGIN}.example`, 'http://evil.localhost']) {
      const { code, verifier } = await firefoxCode();
      const response = await redeem(code, verifier, origin);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: `origin ${origin} not allowed for client: ${EXTENSION_CLIENT_ID}`,
      });
    }
  });
});
