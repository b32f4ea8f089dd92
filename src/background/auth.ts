/**
 * Sign-in, token refresh and sign-out of the extension as an OAuth public client of the Twilio IdP.
 *
 * Authorization code + PKCE S256 + state + nonce through `chrome.identity.launchWebAuthFlow`, run from the
 * background because the popup closes when the sign-in window opens (docs/architecture.md, "Extension contexts").
 * The verifier, state and nonce are written to session storage under their state before the window opens, and
 * taken from there (once) when it returns. Tokens are kept only in session storage.
 *
 * What the person did last wins: a sign-out, a session end or a sign-in moves `generation` on, and a refresh or a
 * silent sign-in that started before that finishes without storing (or clearing) anything.
 */
import { createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';
import type { SessionEndReason } from '../../contract/api';
import { ExtensionError } from '../../contract/errors';
import {
  buildAuthorizationUrl,
  type Discovery,
  discover,
  exchangeCode,
  type Fetch,
  parseAuthorizationResponse,
  refreshTokens,
  revokeToken,
  type TokenResponse,
  verifyIdToken,
} from './oidc';
import { codeChallengeS256, randomToken } from './pkce';
import { PENDING_MAX_AGE_MS, type SessionStore, type Tokens } from './session-store';

/** Refresh the access token when it has less than this left, so a request never races its expiry. */
export const REFRESH_MARGIN_MS = 60 * 1000;

export interface AuthDeps {
  issuer: string;
  /** Where the IdP sends the browser back: `identity.getRedirectURL('oidc')`, registered at the IdP per browser. */
  redirectUri: string;
  session: SessionStore;
  fetch: Fetch;
  /** Epoch ms; injected so tests freeze time. */
  now: () => number;
  /**
   * Opens the IdP and resolves with the URL it redirected to: in a window the person acts on (`interactive`), or
   * without one, failing when the IdP would need a page.
   */
  launchWebAuthFlow: (url: string, interactive: boolean) => Promise<string | undefined>;
  /** Key resolver for the IdP's JWKS; `createRemoteJWKSet` unless a test passes local keys. */
  jwks?: (jwksUri: string) => JWTVerifyGetKey;
}

export interface Auth {
  /** Run the interactive sign-in; resolves once tokens are verified and stored. */
  signIn(): Promise<Tokens>;
  /**
   * Sign in without a window from the browser's Twilio session (`prompt=none`), with the same checks. Resolves
   * `undefined` when there is no session to use, or when the person signed out of the extension only.
   */
  signInSilently(options?: { fresh?: boolean }): Promise<Tokens | undefined>;
  /**
   * Revoke (best effort) and forget the tokens. `extensionOnly`: the person chose to sign out of the extension,
   * so it does not sign in silently again until they sign in themselves.
   */
  signOut(options?: { extensionOnly?: boolean }): Promise<void>;
  /**
   * The Twilio session ended on its own (the API refused `refusedToken`, saying why): forget the tokens and
   * remember the reason. Only if these are still the tokens that were refused (or a refused refresh of them just
   * cleared them) and no sign-out is under way; otherwise nothing is recorded or cleared. Resolves whether it did.
   */
  sessionEnded(reason: SessionEndReason | undefined, refusedToken: string): Promise<boolean>;
  /** Why the last session ended, once: reading it forgets it. */
  takeEndedReason(): Promise<SessionEndReason | undefined>;
  /** A usable access token, refreshed first if it is about to expire. Throws `signed_out` when there is none. */
  accessToken(): Promise<string>;
  /** Refresh now (e.g. after a 401). Throws `signed_out` and forgets the tokens if the IdP refuses. */
  refresh(): Promise<string>;
  /** The signed-in subject, without touching the network. */
  currentSub(): Promise<string | undefined>;
}

export function createAuth(deps: AuthDeps): Auth {
  const jwksFor = deps.jwks ?? ((uri: string) => createRemoteJWKSet(new URL(uri)));
  let discovery: Promise<Discovery> | undefined;
  let keys: { uri: string; get: JWTVerifyGetKey } | undefined;
  let signingIn: Promise<Tokens> | undefined;
  let signingInSilently: Promise<Tokens | undefined> | undefined;
  let refreshing: Promise<string> | undefined;
  /** Moves on at every sign-in, sign-out and session end (see above). */
  let generation = 0;
  /** The access token whose tokens a refused refresh cleared, and in which generation: their session ended. */
  let refusedIn: { accessToken: string; generation: number } | undefined;
  /** Sign-outs under way: a 401 answered meanwhile is the sign-out's doing, not a session that ended. */
  let signingOut = 0;

  function getDiscovery(): Promise<Discovery> {
    discovery ??= discover(deps.issuer, deps.fetch).catch((error: unknown) => {
      discovery = undefined; // retry next time rather than caching a failure
      throw error;
    });
    return discovery;
  }

  function getKeys(config: Discovery): JWTVerifyGetKey {
    if (keys?.uri !== config.jwks_uri) keys = { uri: config.jwks_uri, get: jwksFor(config.jwks_uri) };
    return keys.get;
  }

  async function toTokens(
    response: TokenResponse,
    config: Discovery,
    check: { nonce?: string; previous?: Tokens },
  ): Promise<Tokens> {
    const idToken = response.id_token ?? check.previous?.idToken;
    if (!idToken) throw new ExtensionError('token_invalid', 'The token response has no ID token.');
    const { sub } = response.id_token
      ? await verifyIdToken(response.id_token, {
          keys: getKeys(config),
          issuer: deps.issuer,
          nonce: check.nonce,
          now: deps.now(),
          expectedSub: check.previous?.sub,
        })
      : { sub: check.previous!.sub };
    return {
      accessToken: response.access_token,
      refreshToken: response.refresh_token ?? check.previous?.refreshToken,
      idToken,
      expiresAt: deps.now() + (response.expires_in ?? 300) * 1000,
      sub,
    };
  }

  async function runSignIn(interactive: boolean): Promise<Tokens> {
    const startedIn = generation;
    const config = await getDiscovery();
    if (config.code_challenge_methods_supported && !config.code_challenge_methods_supported.includes('S256')) {
      throw new ExtensionError('server', 'The Twilio login does not support PKCE S256.');
    }
    const pending = { verifier: randomToken(), state: randomToken(), nonce: randomToken(), createdAt: deps.now() };
    await deps.session.setPendingSignIn(pending, deps.now());
    const authorizationUrl = buildAuthorizationUrl(config, {
      state: pending.state,
      nonce: pending.nonce,
      codeChallenge: await codeChallengeS256(pending.verifier),
      silent: !interactive,
      redirectUri: deps.redirectUri,
    });

    let responseUrl: string | undefined;
    try {
      responseUrl = await deps.launchWebAuthFlow(authorizationUrl, interactive);
    } catch (cause) {
      await deps.session.takePendingSignIn(pending.state);
      // Without a window Chrome rejects when the IdP shows a page instead of redirecting: no session to use.
      if (!interactive) throw new ExtensionError('signed_out', 'There is no Twilio session to use.', { cause });
      // Chrome rejects with "The user did not approve access." when the window is closed, Firefox with
      // "User cancelled or denied access.".
      const reason =
        typeof cause === 'object' && cause !== null && 'message' in cause ? String(cause.message) : String(cause);
      throw /did not approve|cancel/i.test(reason)
        ? new ExtensionError('sign_in_cancelled', 'Sign-in was cancelled.', { cause })
        : new ExtensionError('sign_in_failed', `The sign-in window could not complete: ${reason}`, { cause });
    }
    const stored = await deps.session.takePendingSignIn(pending.state);
    if (!responseUrl) throw new ExtensionError('sign_in_cancelled', 'Sign-in was cancelled.');
    // Taken from storage, not the local variable: taking it makes each state single-use.
    if (!stored || deps.now() - stored.createdAt > PENDING_MAX_AGE_MS) {
      throw new ExtensionError('state_mismatch', 'This sign-in is no longer pending; please try again.');
    }
    const code = parseAuthorizationResponse(responseUrl, {
      state: stored.state,
      issuer: deps.issuer,
      requireIss: config.authorization_response_iss_parameter_supported === true,
      redirectUri: deps.redirectUri,
    });
    const response = await exchangeCode(deps.fetch, config, code, stored.verifier, deps.redirectUri);
    const tokens = await toTokens(response, config, { nonce: stored.nonce });
    // A silent attempt overtaken by a sign-out (or by the person's own sign-in) keeps nothing, and revokes what it
    // got unless that would revoke the newer sign-in's tokens too.
    if (!interactive && generation !== startedIn) {
      await revokeReplaced(config, tokens, await deps.session.getTokens());
      throw new ExtensionError('signed_out', 'You signed out while the sign-in was running.');
    }
    generation += 1;
    const replaced = await deps.session.getTokens();
    await deps.session.setTokens(tokens);
    await deps.session.setNote({});
    // Tokens this sign-in replaced (e.g. a silent sign-in that finished while the window was open) are the same
    // person's grant as the new ones unless another person signed in: see revokeReplaced.
    if (replaced) await revokeReplaced(config, replaced, tokens);
    return tokens;
  }

  /**
   * Best effort, for tokens no longer stored. Another subject's tokens are another grant and are revoked. The
   * same subject's are kept: the IdP gives a browser session one grant per client (loadExistingGrant reuses it),
   * and oidc-provider revokes a token's whole grant with it, so revoking them would revoke `kept` too.
   */
  async function revokeReplaced(config: Discovery, replaced: Tokens, kept: Tokens | undefined): Promise<void> {
    if (kept?.sub === replaced.sub) return;
    await revoke(config, replaced);
  }

  /** Best effort: the tokens are dropped locally whatever the IdP answers. */
  async function revoke(config: Discovery, tokens: Tokens): Promise<void> {
    await Promise.all([
      tokens.refreshToken ? revokeToken(deps.fetch, config, tokens.refreshToken, 'refresh_token') : undefined,
      revokeToken(deps.fetch, config, tokens.accessToken, 'access_token'),
    ]);
  }

  /** Best effort, once the tokens are dropped locally (discovery may fail too: the local session is gone anyway). */
  async function revokeDropped(tokens: Tokens | undefined): Promise<void> {
    if (!tokens) return;
    try {
      await revoke(await getDiscovery(), tokens);
    } catch {
      // Nothing more to do.
    }
  }

  async function forget(tokens: Tokens | undefined): Promise<void> {
    generation += 1;
    await deps.session.clearTokens();
    await revokeDropped(tokens);
  }

  async function runRefresh(): Promise<string> {
    const startedIn = generation;
    const current = await deps.session.getTokens();
    if (!current) throw new ExtensionError('signed_out', 'You are signed out.');
    if (!current.refreshToken) {
      await deps.session.clearTokens();
      throw new ExtensionError('signed_out', 'Your session has ended; please sign in again.');
    }
    const config = await getDiscovery();
    /** The tokens are no longer those this refresh started from: what is stored now answers. */
    const overtaken = async (): Promise<string> => {
      const now = await deps.session.getTokens();
      if (!now) throw new ExtensionError('signed_out', 'You are signed out.');
      return now.accessToken;
    };
    let tokens: Tokens;
    try {
      tokens = await toTokens(await refreshTokens(deps.fetch, config, current.refreshToken), config, {
        previous: current,
      });
    } catch (error) {
      // A refused refresh token (or a bad refreshed ID token) ends the session; a network error does not.
      if (error instanceof ExtensionError && error.code === 'token_invalid') {
        if (generation !== startedIn || !(await deps.session.replaceTokens(current.refreshToken, undefined))) {
          return overtaken();
        }
        refusedIn = { accessToken: current.accessToken, generation };
        throw new ExtensionError('signed_out', 'Your session has ended; please sign in again.', { cause: error });
      }
      throw error;
    }
    if (generation !== startedIn || !(await deps.session.replaceTokens(current.refreshToken, tokens))) {
      await revokeReplaced(config, tokens, await deps.session.getTokens());
      return overtaken();
    }
    return tokens.accessToken;
  }

  function refresh(): Promise<string> {
    refreshing ??= runRefresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  }

  return {
    signIn() {
      signingIn ??= runSignIn(true).finally(() => {
        signingIn = undefined;
      });
      return signingIn;
    },

    async signInSilently({ fresh = false } = {}) {
      // The sign-in window is open: the person's own sign-in is the one that counts.
      if (signingIn) return undefined;
      // A fresh attempt does not settle for one that started earlier (e.g. before the person signed in on the web).
      if (fresh && signingInSilently) {
        const earlier = await signingInSilently.catch(() => undefined);
        if (earlier) return earlier;
      }
      signingInSilently ??= (async () => {
        if ((await deps.session.getNote()).noSilentSignIn) return undefined;
        try {
          return await runSignIn(false);
        } catch (error) {
          if (error instanceof ExtensionError && error.code === 'signed_out') return undefined;
          throw error;
        }
      })().finally(() => {
        signingInSilently = undefined;
      });
      return signingInSilently;
    },

    async signOut({ extensionOnly = false } = {}) {
      signingOut += 1;
      try {
        // The note first: a silent sign-in asked for during the revocation must already find it.
        await deps.session.setNote(extensionOnly ? { noSilentSignIn: true } : {});
        await forget(await deps.session.getTokens());
      } finally {
        signingOut -= 1;
      }
    },

    async sessionEnded(reason, refusedToken) {
      const startedIn = generation;
      const tokens = await deps.session.getTokens();
      // Only if these are still the tokens I used, as a refresh replaces them: a 401 answered to tokens a sign-out
      // or a sign-in has since cleared or replaced says nothing about the session that is stored now.
      const theirs = tokens
        ? tokens.accessToken === refusedToken
        : refusedIn?.accessToken === refusedToken && refusedIn.generation === startedIn;
      // Checked with no await before the generation moves, so a sign-in or sign-out cannot slip in between.
      if (!theirs || signingOut > 0 || generation !== startedIn) return false;
      generation += 1;
      refusedIn = undefined;
      await deps.session.clearTokens();
      const { noSilentSignIn } = await deps.session.getNote();
      // A sign-out that began meanwhile writes its own note, which must not be overwritten with this reason.
      if (signingOut === 0 && generation === startedIn + 1) {
        await deps.session.setNote({
          ...(reason ? { ended: reason } : {}),
          ...(noSilentSignIn ? { noSilentSignIn } : {}),
        });
      }
      await revokeDropped(tokens);
      return true;
    },

    async takeEndedReason() {
      const note = await deps.session.getNote();
      if (!note.ended) return undefined;
      await deps.session.setNote({ ...note, ended: undefined });
      return note.ended;
    },

    async accessToken() {
      const tokens = await deps.session.getTokens();
      if (!tokens) throw new ExtensionError('signed_out', 'You are signed out.');
      if (tokens.expiresAt - deps.now() > REFRESH_MARGIN_MS) return tokens.accessToken;
      return refresh();
    },

    refresh,

    async currentSub() {
      return (await deps.session.getTokens())?.sub;
    },
  };
}
