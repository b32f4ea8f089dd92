/**
 * The signed-in user's products: fetched from the IdP's JSON API with the Bearer token, validated against the
 * shared schemas, cached in memory and IndexedDB, served from cache at once and refreshed behind it.
 */
import * as v from 'valibot';
import { API_PATHS, MeSchema, type ProductEntry, ProductsResponseSchema } from '../../contract/api';
import type { ProductId } from '../../contract/catalogue';
import { ExtensionError } from '../../contract/errors';
import type { PopupState, SwitcherProduct, SwitcherState } from '../../contract/messages';
import { MAX_LISTED_WORKSPACES } from '../../contract/workspaces';
import type { Auth } from './auth';
import type { CachedProducts, ProductsCache } from './cache';
import type { Fetch } from './oidc';

/** Cached products younger than this are served without asking the API again (unless forced). */
export const FRESH_FOR_MS = 30 * 1000;

/**
 * A page of a product the cache says is not set up is a sign that the user has just set it up (the set-up ends
 * on the product's site, out of the extension's sight), so the switcher's state is fetched again at once — at
 * most this often, so a page reloading in a loop cannot turn into a stream of API calls.
 */
export const RECHECK_SET_UP_EVERY_MS = 1000;

export interface ProductsDeps {
  /** Origin of the JSON API (the issuer). */
  apiOrigin: string;
  auth: Auth;
  cache: ProductsCache;
  fetch: Fetch;
  now: () => number;
}

export interface ProductsService {
  /** From memory or IndexedDB when possible; fetches only when signed in with nothing cached. */
  getState(): Promise<PopupState>;
  /** Fetch from the API unless the cache is fresh and `force` is not set. Signed out when the session ended. */
  refresh(options?: { force?: boolean }): Promise<PopupState>;
  /**
   * The switcher's slice for a page of `page` (from the sender's origin). Refreshes in the background when the
   * cache is stale, and before answering when the cache says the page's own product is not set up yet.
   */
  getSwitcherState(page?: ProductId): Promise<SwitcherState>;
  /** Forget everything cached (sign-out). */
  clear(): Promise<void>;
}

const SIGNED_OUT: PopupState = { status: 'signed_out' };

function toPopupState(cached: CachedProducts): PopupState {
  return { status: 'signed_in', me: cached.me, products: cached.products, fetchedAt: cached.fetchedAt };
}

/** What a page may learn about a product: no email, no ids beyond the workspaces' own. */
function toSwitcherProduct({ id, name, status, url, note, workspaces }: ProductEntry): SwitcherProduct {
  const setUp = status === 'active' || status === 'linked';
  return {
    id,
    name,
    status,
    ...(url === undefined ? {} : { url }),
    ...(note === undefined ? {} : { note }),
    workspaces: setUp
      ? workspaces.slice(0, MAX_LISTED_WORKSPACES).map(({ id, name, role, url }) => ({ id, name, role, url }))
      : [],
  };
}

export function createProductsService(deps: ProductsDeps): ProductsService {
  let memory: CachedProducts | undefined;
  let inflight: Promise<CachedProducts> | undefined;
  let lastRecheck = Number.NEGATIVE_INFINITY;

  async function clear(): Promise<void> {
    memory = undefined;
    await deps.cache.clear();
  }

  /** The cache entry for the signed-in subject; anything cached for nobody or someone else is dropped. */
  async function cachedFor(sub: string | undefined): Promise<CachedProducts | undefined> {
    if (!sub) {
      if (memory) await clear();
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

  async function get<T>(path: string, schema: v.GenericSchema<unknown, T>, token: string): Promise<T | 401> {
    let response: Response;
    try {
      response = await deps.fetch(`${deps.apiOrigin}${path}`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (cause) {
      throw new ExtensionError('network', 'The Twilio login could not be reached.', { cause });
    }
    if (response.status === 401) return 401;
    if (!response.ok) throw new ExtensionError('server', `${path} answered HTTP ${response.status}.`);
    const parsed = v.safeParse(schema, await response.json().catch(() => undefined));
    if (!parsed.success) throw new ExtensionError('server', `${path} answered with an unexpected shape.`);
    return parsed.output;
  }

  async function fetchWith(token: string): Promise<Omit<CachedProducts, 'sub' | 'fetchedAt'> | 401> {
    const [me, products] = await Promise.all([
      get(API_PATHS.me, MeSchema, token),
      get(API_PATHS.products, ProductsResponseSchema, token),
    ]);
    return me === 401 || products === 401 ? 401 : { me, products: products.products };
  }

  async function fetchFresh(): Promise<CachedProducts> {
    let result = await fetchWith(await deps.auth.accessToken());
    // One refresh after a 401 (the token may have been revoked or expired early); a second 401 ends the session.
    if (result === 401) result = await fetchWith(await deps.auth.refresh());
    if (result === 401) {
      await deps.auth.signOut();
      throw new ExtensionError('signed_out', 'Your session has ended; please sign in again.');
    }
    const sub = await deps.auth.currentSub();
    if (sub === undefined || result.me.sub !== sub)
      throw new ExtensionError('server', 'The API answered for another user.');
    const entry: CachedProducts = { sub, ...result, fetchedAt: deps.now() };
    memory = entry;
    await deps.cache.put(entry);
    return entry;
  }

  function fetchOnce(): Promise<CachedProducts> {
    inflight ??= fetchFresh().finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function refresh(options: { force?: boolean } = {}): Promise<PopupState> {
    const cached = await cachedFor(await deps.auth.currentSub());
    if (!options.force && cached && deps.now() - cached.fetchedAt < FRESH_FOR_MS) return toPopupState(cached);
    try {
      return toPopupState(await fetchOnce());
    } catch (error) {
      if (error instanceof ExtensionError && error.code === 'signed_out') {
        await clear();
        return SIGNED_OUT;
      }
      throw error;
    }
  }

  async function getState(): Promise<PopupState> {
    const sub = await deps.auth.currentSub();
    if (!sub) {
      await cachedFor(undefined);
      return SIGNED_OUT;
    }
    const cached = await cachedFor(sub);
    return cached ? toPopupState(cached) : refresh({ force: true });
  }

  return {
    getState,
    refresh,
    clear,
    async getSwitcherState(page) {
      let state = await getState();
      if (state.status === 'signed_out') return state;
      const pending = state.products.some((product) => product.id === page && product.status === 'not_set_up');
      if (pending && deps.now() - lastRecheck >= RECHECK_SET_UP_EVERY_MS) {
        lastRecheck = deps.now();
        const cached = state;
        state = await refresh({ force: true }).catch(() => cached);
        if (state.status === 'signed_out') return state;
      } else if (deps.now() - state.fetchedAt >= FRESH_FOR_MS) {
        void refresh().catch(() => undefined);
      }
      return { status: 'signed_in', products: state.products.map(toSwitcherProduct) };
    },
  };
}
