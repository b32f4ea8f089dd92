/**
 * Real OIDC clients (openid-client 6) of a running mock world, for tests and the bench: the extension's public
 * client and the products' confidential clients, plus one call that signs a user in with the code flow + PKCE.
 */
import * as oidc from 'openid-client';
import { EXTENSION_CLIENT_ID, EXTENSION_REDIRECT_URI, EXTENSION_SCOPE } from '../../contract/catalogue';
import type { World } from '../../mock-server/app';
import { localhostFetch } from '../../mock-server/net';
import { type Credentials, completeLogin, HeadlessBrowser } from './headless-browser';

const fetchOption = {
  [oidc.customFetch]: (url: string, init: oidc.CustomFetchOptions) => localhostFetch(url, init as RequestInit),
};

/** The browser extension as the IdP sees it: public client, PKCE, chromiumapp.org redirect URI. */
export function extensionClient(world: Pick<World, 'issuer'>): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(world.issuer), EXTENSION_CLIENT_ID, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests],
    ...fetchOption,
  });
}

/** The extension's authorization URL (PKCE S256) and its code verifier, for a flow walked step by step. */
export async function extensionAuthorization(config: oidc.Configuration, params: Record<string, string> = {}) {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: EXTENSION_REDIRECT_URI,
    scope: EXTENSION_SCOPE,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...params,
  });
  return { url, codeVerifier };
}

/** A product's confidential relying party ('console', 'segment', 'sendgrid'). */
export function productClient(
  world: Pick<World, 'issuer' | 'clients'>,
  clientId: string,
): Promise<{ config: oidc.Configuration; redirectUri: string }> {
  const client = world.clients.find((candidate) => candidate.clientId === clientId);
  if (!client) throw new Error(`no client ${clientId}`);
  return oidc
    .discovery(new URL(world.issuer), client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), {
      execute: [oidc.allowInsecureRequests],
      ...fetchOption,
    })
    .then((config) => ({ config, redirectUri: client.redirectUri }));
}

export interface SignInOptions {
  redirectUri: string;
  scope?: string;
  /** Extra authorization parameters (prompt, login_hint, …). */
  params?: Record<string, string>;
  browser?: HeadlessBrowser;
}

export type TokenSet = Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;

/**
 * Signs `credentials` in through the authorization code flow with PKCE S256, state and nonce, and exchanges the
 * code. Returns the tokens and the callback URL the IdP redirected to.
 */
export async function signInWithCode(
  config: oidc.Configuration,
  credentials: Credentials,
  { redirectUri, scope = 'openid email profile', params = {}, browser = new HeadlessBrowser() }: SignInOptions,
): Promise<{ tokens: TokenSet; callbackUrl: URL; browser: HeadlessBrowser }> {
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...params,
  });
  const callbackUrl = await completeLogin(browser, authorizationUrl, redirectUri, credentials);
  const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: true,
  });
  return { tokens, callbackUrl, browser };
}

/** Signs a user into the extension's client (as `chrome.identity.launchWebAuthFlow` would) and returns tokens. */
export async function signInAsExtension(world: Pick<World, 'issuer'>, credentials: Credentials) {
  const config = await extensionClient(world);
  const result = await signInWithCode(config, credentials, {
    redirectUri: EXTENSION_REDIRECT_URI,
    scope: EXTENSION_SCOPE,
  });
  return { config, ...result };
}
