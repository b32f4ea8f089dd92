/**
 * The signed-in user's products: fetched from the IdP's JSON API with the Bearer token, validated against the
 * shared schemas, cached in memory and IndexedDB, served from cache at once and refreshed behind it.
 */
import * as v from 'valibot';
import {
  type AccessRequestResponse,
  AccessRequestResponseSchema,
  API_PATHS,
  ApiErrorSchema,
  MeSchema,
  type ProductEntry,
  ProductsResponseSchema,
  type SessionEndReason,
} from '../../contract/api';
import type { ProductId } from '../../contract/catalogue';
import { ExtensionError } from '../../contract/errors';
import type { ContinueAsOffer, PopupState, SwitcherProduct, SwitcherState } from '../../contract/messages';
import { MAX_LISTED_WORKSPACES } from '../../contract/workspaces';
import type { Auth } from './auth';
import type { CachedProducts, ProductsCache } from './cache';
import { type Fetch, jsonOrUndefined, request } from './oidc';

/** Cached products younger than this are served without asking the API again (unless forced). */
export const FRESH_FOR_MS = 30 * 1000;

/**
 * A page of a product the cache says is not set up is a sign that the user has just set it up (the set-up ends
 * on the product's site, out of the extension's sight), so the switcher's state is fetched again at once — at
 * most this often, so a page reloading in a loop cannot turn into a stream of API calls.
 */
export const RECHECK_SET_UP_EVERY_MS = 1000;

/** A switcher opened again within this long answers from what was just fetched (pages may open it in a loop). */
export const RECHECK_ON_OPEN_EVERY_MS = 2000;

/**
 * A page's switcher answers from the cache at once and, when the products were confirmed longer ago than this,
 * asks the API behind: a Twilio session that ended elsewhere (sign-out in the Console, a password change,
 * deprovisioning) shows in every open tab as soon as any product page loads or polls (see docs/architecture.md,
 * "Keeping switchers current"). Pages ask often, so this also bounds the API calls they cause.
 */
export const SWITCHER_CONFIRMS_AFTER_MS = 2000;

/** A page's switcher tries a silent sign-in at most this often while signed out (every page load asks). */
export const SILENT_SIGN_IN_EVERY_MS = 10 * 1000;

export interface ProductsDeps {
  /** Origin of the JSON API (the issuer). */
  apiOrigin: string;
  auth: Auth;
  cache: ProductsCache;
  fetch: Fetch;
  now: () => number;
  /** Told whenever what the switchers show may have changed (so open tabs update at once). */
  onChange?: () => void;
}

export interface ProductsService {
  /**
   * The popup's state: from memory or IndexedDB when possible; fetches only when signed in with nothing cached.
   * Signed out, it first signs in silently from the browser's Twilio session (`silent`), and says (once) why the
   * last session ended.
   */
  getState(options?: { silent?: 'always' }): Promise<PopupState>;
  /** Fetch from the API unless the cache is fresh and `force` is not set. Signed out when the session ended, saying why. */
  refresh(options?: { force?: boolean }): Promise<PopupState>;
  /**
   * The switcher's slice for a page of `page` (from the sender's origin). Refreshes in the background when the
   * cache is stale, and before answering when the cache says the page's own product is not set up yet.
   */
  getSwitcherState(page?: ProductId, options?: { recheck?: boolean }): Promise<SwitcherState>;
  /**
   * Who the "Continue as" offer on a product's login page names, or `null` signed out. Like the switcher, it first
   * signs in silently (throttled); back-channel logout lands people on that page, so it leaves the reason the
   * session ended for the popup.
   */
  getContinueAs(): Promise<ContinueAsOffer>;
  /** Ask support for unified login for the signed-in user, then fetch the products again. */
  requestAccess(): Promise<AccessRequestResponse>;
  /**
   * Sign out of Twilio everywhere through the API, then forget everything. When the API cannot be reached or
   * refuses, throws (`network`, `server`) and stays signed in, so the person knows and can try again.
   */
  signOutEverywhere(): Promise<void>;
  /** Forget everything cached (sign-out). */
  clear(): Promise<void>;
  /** Forget the cached user unless someone is signed in (a browser restart starts without tokens). */
  clearIfSignedOut(): Promise<void>;
}

const SIGNED_OUT: PopupState = { status: 'signed_out' };

/** What a page may learn about a product: no email, no ids beyond the workspaces' own. */
function toSwitcherProduct({ id, name, status, url, workspaces }: ProductEntry): SwitcherProduct {
  const setUp = status === 'active' || status === 'linked';
  return {
    id,
    name,
    status,
    ...(url === undefined ? {} : { url }),
    workspaces: setUp
      ? workspaces.slice(0, MAX_LISTED_WORKSPACES).map(({ id, name, role, url }) => ({ id, name, role, url }))
      : [],
  };
}

export function createProductsService(deps: ProductsDeps): ProductsService {
  let memory: CachedProducts | undefined;
  let inflight: Promise<CachedProducts> | undefined;
  let lastRecheck = Number.NEGATIVE_INFINITY;
  let lastOpenRecheck = Number.NEGATIVE_INFINITY;
  let lastSilentTry = Number.NEGATIVE_INFINITY;
  /** IndexedDB may hold a user's `me` and products: unknown at start, as a browser restart leaves the last one's. */
  let onDisk = true;
  /** The API could not be reached on the last try; what is cached is the last known state. */
  let offline = false;

  const changed = () => deps.onChange?.();

  function toPopupState(cached: CachedProducts): PopupState {
    const state: PopupState = {
      status: 'signed_in',
      me: cached.me,
      products: cached.products,
      fetchedAt: cached.fetchedAt,
    };
    return offline ? { ...state, offline: true } : state;
  }

  async function clear(): Promise<void> {
    memory = undefined;
    onDisk = false;
    await deps.cache.clear();
  }

  /** The cache entry for the signed-in subject; anything cached for nobody or someone else is dropped. */
  async function cachedFor(sub: string | undefined): Promise<CachedProducts | undefined> {
    if (!sub) {
      if (memory || onDisk) await clear();
      return undefined;
    }
    if (memory?.sub === sub) return memory;
    const stored = await deps.cache.get();
    if (stored?.sub === sub) {
      memory = stored;
      return stored;
    }
    if (stored) await clear();
    return undefined;
  }

  /** Why the API refused a token: the session's end reason when it says one. */
  type Unauthorised = { unauthorised: true; ended?: SessionEndReason };

  async function call<T>(
    path: string,
    schema: v.GenericSchema<unknown, T>,
    token: string,
    method: 'GET' | 'POST' = 'GET',
  ): Promise<T | Unauthorised> {
    const response = await request(deps.fetch, `${deps.apiOrigin}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    const body = () => jsonOrUndefined(response);
    if (response.status === 401) {
      const error = v.safeParse(ApiErrorSchema, await body());
      return {
        unauthorised: true,
        ...(error.success && error.output.session_ended ? { ended: error.output.session_ended } : {}),
      };
    }
    if (!response.ok) throw new ExtensionError('server', `${path} answered HTTP ${response.status}.`);
    const parsed = v.safeParse(schema, await body());
    if (!parsed.success) throw new ExtensionError('server', `${path} answered with an unexpected shape.`);
    return parsed.output;
  }

  const isUnauthorised = (value: unknown): value is Unauthorised =>
    typeof value === 'object' && value !== null && 'unauthorised' in value;

  async function fetchWith(token: string): Promise<Omit<CachedProducts, 'sub' | 'fetchedAt'> | Unauthorised> {
    const [me, products] = await Promise.all([
      call(API_PATHS.me, MeSchema, token),
      call(API_PATHS.products, ProductsResponseSchema, token),
    ]);
    if (isUnauthorised(me)) return me;
    if (isUnauthorised(products)) return products;
    return { me, products: products.products };
  }

  /**
   * The session of `token` ended (a second 401, or a refused refresh): say why next time, tell the tabs. A 401
   * answered to tokens a sign-out or a sign-in has since cleared or replaced ends nothing (auth checks).
   */
  async function ended(reason: SessionEndReason | undefined, token: string): Promise<never> {
    if (await deps.auth.sessionEnded(reason, token)) {
      await clear();
      changed();
    }
    throw new ExtensionError('signed_out', 'Your session has ended; please sign in again.');
  }

  /**
   * One refresh after a 401 on `token` (it may have been revoked or expired early); a refused refresh ends the
   * session. The first 401 says why the session ended; the refused refresh that follows cannot.
   */
  function refreshAfter(first: Unauthorised, token: string): Promise<string> {
    return deps.auth.refresh().catch(async (error: unknown) => {
      if (error instanceof ExtensionError && error.code === 'signed_out') return ended(first.ended, token);
      throw error;
    });
  }

  async function fetchFresh(): Promise<CachedProducts> {
    const token = await deps.auth.accessToken();
    let result = await fetchWith(token);
    // A second 401 ends the session.
    if (isUnauthorised(result)) {
      const first = result;
      const refreshed = await refreshAfter(first, token);
      result = await fetchWith(refreshed);
      if (isUnauthorised(result)) return ended(result.ended ?? first.ended, refreshed);
    }
    const sub = await deps.auth.currentSub();
    if (sub === undefined || result.me.sub !== sub)
      throw new ExtensionError('server', 'The API answered for another user.');
    const entry: CachedProducts = { sub, ...result, fetchedAt: deps.now() };
    const before = memory ? JSON.stringify([memory.me, memory.products]) : undefined;
    const wasOffline = offline;
    memory = entry;
    offline = false;
    onDisk = true;
    await deps.cache.put(entry);
    if (wasOffline || before !== JSON.stringify([entry.me, entry.products])) changed();
    return entry;
  }

  function fetchOnce(): Promise<CachedProducts> {
    inflight ??= fetchFresh()
      .catch((error: unknown) => {
        if (error instanceof ExtensionError && error.code === 'network' && !offline) {
          offline = true;
          changed();
        }
        throw error;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  /**
   * Only the popup's answers carry (and so use up) the reason the session ended: it is the popup that says it on
   * its next open, so a switcher's questions (`take` false) leave it for the popup.
   */
  async function signedOut(take: boolean): Promise<PopupState> {
    const reason = take ? await deps.auth.takeEndedReason() : undefined;
    return reason ? { status: 'signed_out', ended: reason } : SIGNED_OUT;
  }

  async function refreshState(options: { force?: boolean }, take: boolean): Promise<PopupState> {
    const cached = await cachedFor(await deps.auth.currentSub());
    if (!options.force && cached && deps.now() - cached.fetchedAt < FRESH_FOR_MS) return toPopupState(cached);
    try {
      return toPopupState(await fetchOnce());
    } catch (error) {
      if (error instanceof ExtensionError && error.code === 'signed_out') {
        await clear();
        return signedOut(take);
      }
      // Offline with something cached: the last known products, marked offline.
      if (error instanceof ExtensionError && error.code === 'network' && cached) return toPopupState(cached);
      throw error;
    }
  }

  async function currentState(options: { silent?: 'always' | 'throttled' }, take: boolean): Promise<PopupState> {
    let sub = await deps.auth.currentSub();
    if (!sub && options.silent) {
      const due = options.silent === 'always' || deps.now() - lastSilentTry >= SILENT_SIGN_IN_EVERY_MS;
      if (due) {
        lastSilentTry = deps.now();
        const fresh = options.silent === 'always';
        sub = (await deps.auth.signInSilently({ fresh }).catch(() => undefined))?.sub;
        if (sub) changed();
      }
    }
    if (!sub) {
      await cachedFor(undefined);
      return signedOut(take);
    }
    const cached = await cachedFor(sub);
    return cached ? toPopupState(cached) : refreshState({ force: true }, take);
  }

  async function withToken<T>(task: (token: string) => Promise<T | Unauthorised>): Promise<T> {
    const token = await deps.auth.accessToken();
    let result = await task(token);
    if (isUnauthorised(result)) {
      const first = result;
      const refreshed = await refreshAfter(first, token);
      result = await task(refreshed);
      if (isUnauthorised(result)) return ended(result.ended ?? first.ended, refreshed);
    }
    return result;
  }

  return {
    getState: (options = {}) => currentState(options, true),
    refresh: (options = {}) => refreshState(options, true),
    clear,
    async clearIfSignedOut() {
      if (!(await deps.auth.currentSub())) await clear();
    },
    async getContinueAs() {
      let state = await currentState({ silent: 'throttled' }, false);
      // The offer names the person on a login page, where a sign-out of Twilio elsewhere lands people: unless just
      // confirmed, the API says first whether the session still lives (offline, the last known state answers).
      if (state.status === 'signed_in' && deps.now() - state.fetchedAt >= SWITCHER_CONFIRMS_AFTER_MS) {
        const cached = state;
        state = await refreshState({ force: true }, false).catch(() => cached);
      }
      return state.status === 'signed_in' ? { name: state.me.name, email: state.me.email } : null;
    },
    async getSwitcherState(page, { recheck = false } = {}) {
      let state = await currentState({ silent: 'throttled' }, false);
      if (state.status === 'signed_out') return { status: 'signed_out' };
      const pending = state.products.some((product) => product.id === page && product.status === 'not_set_up');
      const cached = state;
      const confirm = () => refreshState({ force: true }, false).catch(() => cached);
      if (pending && deps.now() - lastRecheck >= RECHECK_SET_UP_EVERY_MS) {
        lastRecheck = deps.now();
        state = await confirm();
      } else if (recheck && deps.now() - lastOpenRecheck >= RECHECK_ON_OPEN_EVERY_MS) {
        // The person opened the menu: confirm the products (and notice an unreachable world) before answering.
        lastOpenRecheck = deps.now();
        state = await confirm();
      } else if (deps.now() - state.fetchedAt >= SWITCHER_CONFIRMS_AFTER_MS) {
        // Answer now; a change (the session ended, a product set up) reaches every tab through `onChange`.
        void confirm();
      }
      if (state.status === 'signed_out') return { status: 'signed_out' };
      return {
        status: 'signed_in',
        products: state.products.map(toSwitcherProduct),
        ...(state.offline ? { offline: { confirmedAt: state.fetchedAt } } : {}),
      };
    },
    async requestAccess() {
      const answer = await withToken((token) =>
        call(API_PATHS.accessRequest, AccessRequestResponseSchema, token, 'POST'),
      );
      await refreshState({ force: true }, false).catch(() => undefined);
      return answer;
    },
    async signOutEverywhere() {
      try {
        // 204 with no body, which reads as `undefined`.
        await withToken((token) => call(API_PATHS.signOut, v.undefined(), token, 'POST'));
      } catch (error) {
        if (!(error instanceof ExtensionError && (error.code === 'network' || error.code === 'server'))) throw error;
        // The web sessions live on, so the extension stays signed in too: signed out, it would sign in silently
        // again from them at the next page load, and the person could not try again.
        throw new ExtensionError(
          error.code,
          `Twilio did not sign you out: ${error.message} You are still signed in everywhere; try again.`,
          { cause: error },
        );
      }
      await deps.auth.signOut();
      await clear();
      changed();
    },
  };
}
