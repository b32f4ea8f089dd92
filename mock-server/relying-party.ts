/**
 * A product's OpenID Connect relying party on the Twilio IdP (openid-client 6): authorization code flow with
 * PKCE S256, state and nonce; the session lives server-side (SQLite) behind an HttpOnly, SameSite=Lax cookie;
 * sign-out asks the IdP first (RP-initiated logout with a `state`) and the local session ends only when the person
 * confirms there. The Console keeps its session here; Segment and SendGrid use `startSignIn`/`completeSignIn` with
 * their own client and map the subject to their own users.
 */

import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as oidc from 'openid-client';
import { PRODUCT_LOGIN_PATH } from '../contract/api';
import { issuerFor, type Site, siteOrigin } from '../contract/catalogue';
import { safeNextPath } from '../contract/next-path';
import { RequestError } from './errors';
import { CANCELLED_DESCRIPTION } from './identity/interaction/cancel';
import { seeOther } from './responses';
import type { Db } from './storage/database';

export interface RelyingPartyOptions {
  db: Db;
  site: Site;
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** fetch that reaches the IdP (localhostFetch: Node cannot resolve *.localhost). */
  fetch: typeof fetch;
  clock: () => number;
  scope?: string;
  sessionTtlMs?: number;
  /**
   * Whether the Twilio user `sub` may still be signed in (false once their organization deactivated them): such a
   * session counts as signed out at once, without waiting for the back-channel logout.
   */
  subjectActive?: (sub: string) => boolean;
}

/**
 * Who signed in: the subject, and the ID token a sign-out hands back to the IdP. Pages read the user's name and
 * email by subject, so a change at the IdP (SCIM, settings) shows at once.
 */
export interface RpIdentity {
  sub: string;
  idToken: string;
}

/** A signed-in user of the product. */
export interface RpSession extends RpIdentity {
  id: string;
  /** Per-session token for this site's form POSTs (sign out, settings). */
  csrfToken: string;
  createdAt: number;
}

/** What came back to the redirect URI: who signed in, or the person's own Cancel at the Twilio login. */
export type SignInOutcome =
  | { cancelled: false; identity: RpIdentity; returnTo: string }
  | { cancelled: true; returnTo: string };

/** What a site's `/login` says when the Twilio login sent the person back there (`?notice=`). */
export const RETURN_NOTICES = {
  sign_in_cancelled: 'Sign-in cancelled.',
  signed_out_of_twilio: 'You signed out of Twilio.',
} as const;
export type ReturnNotice = keyof typeof RETURN_NOTICES;

export function returnNoticeOf(value: string | undefined): ReturnNotice | undefined {
  return value && Object.hasOwn(RETURN_NOTICES, value) ? (value as ReturnNotice) : undefined;
}

/** The site's `/login` with `notice`, keeping where the person was going. */
export function loginPathWith(notice: ReturnNotice, next = '/'): string {
  return `${PRODUCT_LOGIN_PATH}?${new URLSearchParams({ notice, ...(next === '/' ? {} : { next }) })}`;
}

interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/** How long a sign-in, or the Twilio login's sign-out confirmation, may stay open before its answer is refused. */
const PENDING_TTL_MS = 10 * 60_000;
/**
 * Sign-ins a browser may have under way at once on one site (e.g. "Continue with Twilio" in two tabs): the sign-in
 * cookie lists their ids, and the callback takes the one its `state` names, leaving the others to finish.
 */
const MAX_PENDING_SIGN_INS = 5;
const ROW_ID = /^[A-Za-z0-9_-]{1,64}$/;
type RowKind = 'session' | 'sign-in' | 'sign-out';

export class RelyingParty {
  readonly sessionCookie: string;
  private readonly signInCookie: string;
  private readonly signOutCookie: string;
  private configuration: Promise<oidc.Configuration> | undefined;

  constructor(private readonly options: RelyingPartyOptions) {
    this.sessionCookie = `${options.site}_session`;
    this.signInCookie = `${options.site}_sign_in`;
    this.signOutCookie = `${options.site}_sign_out`;
  }

  /** The IdP's configuration, discovered on first use (the IdP may not be listening when this is built). */
  config(): Promise<oidc.Configuration> {
    this.configuration ??= oidc
      .discovery(
        new URL(issuerFor(this.options.port)),
        this.options.clientId,
        { redirect_uris: [this.options.redirectUri], response_types: ['code'] },
        oidc.ClientSecretBasic(this.options.clientSecret),
        {
          execute: [oidc.allowInsecureRequests],
          [oidc.customFetch]: (url, init) => this.options.fetch(url, init as RequestInit),
        },
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  private get secure(): boolean {
    return siteOrigin(this.options.site, this.options.port).startsWith('https:');
  }

  /** The signed-in session of this request, if any. */
  currentSession(c: Context): RpSession | undefined {
    const id = getCookie(c, this.sessionCookie);
    if (!id || id.length > 64) return undefined;
    const session = this.readRow<RpSession>(id, 'session');
    if (session && this.options.subjectActive && !this.options.subjectActive(session.sub)) return undefined;
    return session;
  }

  /** Starts the code flow: remembers state/nonce/verifier server-side and redirects to the IdP. */
  async startSignIn(
    c: Context,
    {
      returnTo,
      loginHint,
      extraParams = {},
    }: { returnTo?: string; loginHint?: string; extraParams?: Record<string, string> } = {},
  ) {
    const config = await this.config();
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      returnTo: safeNextPath(returnTo),
    };
    const id = this.writeRow('sign-in', pending, PENDING_TTL_MS);
    const others = this.pendingSignIns(c).map((other) => other.id);
    this.setSignInCookie(c, [...others.slice(-(MAX_PENDING_SIGN_INS - 1)), id]);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: this.options.scope ?? 'openid email profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
      ...(loginHint ? { login_hint: loginHint } : {}),
      ...extraParams,
    });
    c.header('Cache-Control', 'no-store');
    return seeOther(c, url.href);
  }

  /**
   * Completes the code flow at the redirect URI: checks state, `iss`, PKCE and nonce (openid-client does) and
   * returns who signed in and where to go next, without opening a session here, or that the person cancelled.
   * Products that map the Twilio subject to their own users (Segment, SendGrid) open their own session;
   * `finishSignIn` opens this RP's.
   */
  async completeSignIn(c: Context): Promise<SignInOutcome> {
    const pendings = this.pendingSignIns(c);
    if (pendings.length === 0) {
      deleteCookie(c, this.signInCookie, { path: '/' });
      throw new RequestError('invalid_request', 'This sign-in was not started here or has expired. Try again.');
    }
    // The sign-in this response answers; a response that names none of them uses up none.
    const state = new URL(c.req.url).searchParams.get('state');
    const pending = pendings.find((candidate) => candidate.state === state);
    if (!pending) throw new RequestError('invalid_request', 'The sign-in response was not valid. Try again.');
    this.deleteRow(pending.id);
    const rest = pendings.filter((other) => other !== pending).map((other) => other.id);
    if (rest.length > 0) this.setSignInCookie(c, rest);
    else deleteCookie(c, this.signInCookie, { path: '/' });
    const config = await this.config();
    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(config, new URL(c.req.url), {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      // An error response counts only once openid-client has checked its state and `iss` (RFC 9207 §2.4), and its
      // text is ours: a forged one must not put its own words on our pages.
      if (cause instanceof oidc.AuthorizationResponseError) {
        // The person's own Cancel is no refusal: the site says so and signs in again only when asked.
        if (cause.error === 'access_denied' && cause.error_description === CANCELLED_DESCRIPTION) {
          return { cancelled: true, returnTo: pending.returnTo };
        }
        const code = /^[a-z_]{1,64}$/.test(cause.error) ? cause.error : 'error';
        throw new RequestError('forbidden', `The Twilio login refused the sign-in (${code}). Try again.`, { cause });
      }
      throw new RequestError('invalid_request', 'The sign-in response was not valid. Try again.', { cause });
    }
    const claims = tokens.claims();
    if (!claims || !tokens.id_token) throw new RequestError('invalid_request', 'The sign-in response had no ID token.');
    return {
      cancelled: false,
      identity: { sub: claims.sub, idToken: tokens.id_token },
      returnTo: pending.returnTo,
    };
  }

  /** Completes the code flow (`completeSignIn`) and, unless cancelled, opens a new session of this RP (new id). */
  async finishSignIn(
    c: Context,
  ): Promise<{ cancelled: true; returnTo: string } | { cancelled: false; session: RpSession; returnTo: string }> {
    const outcome = await this.completeSignIn(c);
    if (outcome.cancelled) return outcome;
    const { identity, returnTo } = outcome;
    const session: Omit<RpSession, 'id'> = {
      ...identity,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: this.options.clock(),
    };
    const id = this.writeRow('session', session, this.options.sessionTtlMs ?? 8 * 60 * 60_000);
    setCookie(c, this.sessionCookie, id, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.secure,
      path: '/',
    });
    return { cancelled: false, session: { id, ...session }, returnTo };
  }

  /**
   * Starts RP-initiated logout: returns the IdP's end-session URL for the ID token, with a `state` remembered for
   * this browser (one sign-out at a time, as the IdP keeps one). The local session stays: "No, stay signed in" on
   * the IdP's confirmation only comes back, and only "Yes" returns to the post-logout URI with this state.
   */
  async startSignOut(c: Context, idToken: string): Promise<string> {
    const config = await this.config();
    const state = oidc.randomState();
    setCookie(c, this.signOutCookie, this.writeRow('sign-out', { state }, PENDING_TTL_MS), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.secure,
      path: '/',
      maxAge: PENDING_TTL_MS / 1000,
    });
    return oidc.buildEndSessionUrl(config, {
      id_token_hint: idToken,
      post_logout_redirect_uri: this.options.postLogoutRedirectUri,
      state,
    }).href;
  }

  /**
   * At the post-logout URI: the Twilio login confirmed the sign-out this browser started here. Its state is used
   * up; a forged, replayed or expired one is refused and changes nothing (the caller ends its session only after).
   */
  completeSignOut(c: Context): void {
    const id = getCookie(c, this.signOutCookie) ?? '';
    const pending = ROW_ID.test(id) ? this.readRow<{ state: string }>(id, 'sign-out') : undefined;
    if (!pending) {
      deleteCookie(c, this.signOutCookie, { path: '/' });
      throw new RequestError('invalid_request', 'This sign-out was not started here or has expired.');
    }
    // A state that is not this browser's uses nothing up, as at the sign-in callback.
    if (c.req.query('state') !== pending.state) {
      throw new RequestError('invalid_request', 'The sign-out response was not valid.');
    }
    this.deleteRow(pending.id);
    deleteCookie(c, this.signOutCookie, { path: '/' });
  }

  /** Ends this RP's session of this browser (after a confirmed sign-out of Twilio). */
  endSession(c: Context): void {
    // By the cookie's id, not currentSession: a session of a user deactivated meanwhile is deleted too.
    const id = getCookie(c, this.sessionCookie);
    if (id && ROW_ID.test(id)) this.deleteRow(id);
    deleteCookie(c, this.sessionCookie, { path: '/' });
  }

  /** Ends every session of `sub` on this site except `keep` (e.g. after a password change in this browser). */
  endOtherSessions(keep: RpSession): void {
    this.options.db
      .prepare(
        `DELETE FROM rp_sessions WHERE site = ? AND kind = 'session' AND id <> ?
         AND json_extract(data, '$.sub') = ?`,
      )
      .run(this.options.site, keep.id, keep.sub);
  }

  /** The sign-ins this browser has under way on this site (unexpired, oldest first). */
  private pendingSignIns(c: Context): (PendingSignIn & { id: string })[] {
    const ids = (getCookie(c, this.signInCookie) ?? '').split('.').filter((id) => ROW_ID.test(id));
    return ids
      .slice(-MAX_PENDING_SIGN_INS)
      .map((id) => this.readRow<PendingSignIn>(id, 'sign-in'))
      .filter((pending) => pending !== undefined);
  }

  private setSignInCookie(c: Context, ids: string[]): void {
    setCookie(c, this.signInCookie, ids.join('.'), {
      httpOnly: true,
      sameSite: 'Lax',
      secure: this.secure,
      path: '/',
      maxAge: PENDING_TTL_MS / 1000,
    });
  }

  private writeRow(kind: RowKind, data: object, ttlMs: number): string {
    const id = randomBytes(24).toString('base64url');
    this.options.db
      .prepare('INSERT INTO rp_sessions (id, site, kind, data, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, this.options.site, kind, JSON.stringify(data), this.options.clock() + ttlMs);
    return id;
  }

  private readRow<T>(id: string, kind: RowKind): (T & { id: string }) | undefined {
    const row = this.options.db
      .prepare('SELECT data, expires_at FROM rp_sessions WHERE id = ? AND site = ? AND kind = ?')
      .get(id, this.options.site, kind) as { data: string; expires_at: number } | undefined;
    if (!row || row.expires_at <= this.options.clock()) return undefined;
    return { ...(JSON.parse(row.data) as T), id };
  }

  private deleteRow(id: string): void {
    this.options.db.prepare('DELETE FROM rp_sessions WHERE id = ?').run(id);
  }
}
