/**
 * The products state cached in IndexedDB (via idb), so the popup and the switchers render at once after the
 * service worker restarts. It holds no tokens; it is keyed to the subject it was fetched for and cleared on
 * sign-out.
 */
import { type DBSchema, openDB } from 'idb';
import type { Me, ProductEntry } from '../../contract/api';

export interface CachedProducts {
  sub: string;
  me: Me;
  products: ProductEntry[];
  /** Epoch ms when fetched from the API. */
  fetchedAt: number;
}

export interface ProductsCache {
  get(): Promise<CachedProducts | undefined>;
  put(value: CachedProducts): Promise<void>;
  clear(): Promise<void>;
}

interface SwitcherDB extends DBSchema {
  state: { key: string; value: CachedProducts };
}

const DB_NAME = 'unified-login-switcher';
const STORE = 'state';
const KEY = 'products';

/** The IndexedDB-backed cache used by the service worker. */
export function createIdbCache(name = DB_NAME): ProductsCache {
  const db = openDB<SwitcherDB>(name, 1, {
    upgrade(database) {
      database.createObjectStore(STORE);
    },
  });
  return {
    async get() {
      return (await db).get(STORE, KEY);
    },
    async put(value) {
      await (await db).put(STORE, value, KEY);
    },
    async clear() {
      await (await db).clear(STORE);
    },
  };
}
