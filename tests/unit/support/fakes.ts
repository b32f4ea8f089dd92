/**
 * In-memory fakes of the browser pieces the background uses: real behaviour (values are copied like the real
 * storage does), no per-test mocks.
 */
import type { CachedProducts, ProductsCache } from '../../../src/background/cache';
import type { StorageAreaLike } from '../../../src/background/session-store';

/** A `chrome.storage.session` stand-in: a Map with structured-clone semantics. */
export function createMemoryStorageArea(): StorageAreaLike & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  const list = (keys: string | string[]) => (typeof keys === 'string' ? [keys] : keys);
  return {
    data,
    async get(keys) {
      const out: Record<string, unknown> = {};
      for (const key of list(keys)) if (data.has(key)) out[key] = structuredClone(data.get(key));
      return out;
    },
    async set(items) {
      for (const [key, value] of Object.entries(items)) data.set(key, structuredClone(value));
    },
    async remove(keys) {
      for (const key of list(keys)) data.delete(key);
    },
  };
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Headers;
  body: string;
}

type Route = (request: RecordedRequest) => Response | Promise<Response>;

/** A `fetch` answering from a table of `METHOD url` → handler, recording every request. */
export function createFakeFetch(routes: Record<string, Route>) {
  const requests: RecordedRequest[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = init?.body === undefined || init.body === null ? '' : String(init.body);
    const request = { method, url, headers: new Headers(init?.headers), body };
    requests.push(request);
    const route = routes[`${method} ${url}`];
    if (!route) return new Response('not found', { status: 404 });
    return route(request);
  };
  return { fetch: fetchFn, requests };
}

export function json(value: unknown, status = 200): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

/** An in-memory cache with the same behaviour (values are copied), as the background's tests use instead of IndexedDB. */
export function createMemoryCache(): ProductsCache {
  let value: CachedProducts | undefined;
  return {
    async get() {
      return value && structuredClone(value);
    },
    async put(next) {
      value = structuredClone(next);
    },
    async clear() {
      value = undefined;
    },
  };
}
