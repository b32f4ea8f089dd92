/** The background's auth and products services wired over a fake IdP, as `src/background/index.ts` wires them. */
import { EXTENSION_REDIRECT_URI } from '../../../contract/catalogue';
import { type AuthDeps, createAuth } from '../../../src/background/auth';
import { createProductsService } from '../../../src/background/products';
import { createSessionStore } from '../../../src/background/session-store';
import { ISSUER } from '../../../src/shared/config';
import { createMemoryCache, createMemoryStorageArea } from './fakes';
import type { createFakeIdp } from './idp';

type FakeIdp = Awaited<ReturnType<typeof createFakeIdp>>;

export interface BackgroundOptions {
  /** `storage.session` as the browser keeps it; a new area unless a test restarts the background over one. */
  area?: ReturnType<typeof createMemoryStorageArea>;
  launchWebAuthFlow?: AuthDeps['launchWebAuthFlow'];
  /** The extension's redirect URI (Chromium's unless a test is the Firefox build). */
  redirectUri?: string;
  /** What the background does to tell the tabs and the popup. */
  onChange?: () => void;
}

export function backgroundOver(idp: FakeIdp, options: BackgroundOptions = {}) {
  const area = options.area ?? createMemoryStorageArea();
  const session = createSessionStore(area);
  const auth = createAuth({
    issuer: ISSUER,
    redirectUri: options.redirectUri ?? EXTENSION_REDIRECT_URI,
    session,
    fetch: idp.fetch,
    now: () => idp.now.value,
    launchWebAuthFlow: options.launchWebAuthFlow ?? ((url) => idp.authorize(url)),
    jwks: () => idp.keys,
  });
  const cache = createMemoryCache();
  const products = createProductsService({
    apiOrigin: ISSUER,
    auth,
    cache,
    fetch: idp.fetch,
    now: () => idp.now.value,
    ...(options.onChange ? { onChange: options.onChange } : {}),
  });
  return { area, session, auth, cache, products };
}
