// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createAuth } from '../../../src/background/auth';
import { createMemoryCache } from '../../../src/background/cache';
import { createProductsService, FRESH_FOR_MS } from '../../../src/background/products';
import { createSessionStore } from '../../../src/background/session-store';
import { ISSUER } from '../../../src/shared/config';
import { createMemoryStorageArea } from '../support/fakes';
import { ADA, ADA_PRODUCTS, createFakeIdp, type FakeIdpOptions } from '../support/idp';

async function setup(options: FakeIdpOptions = {}) {
  const idp = await createFakeIdp(options);
  const area = createMemoryStorageArea();
  const auth = createAuth({
    issuer: ISSUER,
    session: createSessionStore(area),
    fetch: idp.fetch,
    now: () => idp.now.value,
    launchWebAuthFlow: (url) => idp.authorize(url),
    jwks: () => idp.keys,
  });
  const cache = createMemoryCache();
  const products = createProductsService({
    apiOrigin: ISSUER,
    auth,
    cache,
    fetch: idp.fetch,
    now: () => idp.now.value,
  });
  const apiCalls = () => idp.requests.filter((r) => r.url.startsWith(`${ISSUER}/api/`));
  return { idp, area, auth, cache, products, apiCalls };
}

describe('products state', () => {
  it('is signed out with no tokens, without calling the API', async () => {
    const { products, apiCalls } = await setup();
    expect(await products.getState()).toEqual({ status: 'signed_out' });
    expect(apiCalls()).toHaveLength(0);
  });

  it('fetches me and products with the Bearer token and caches them', async () => {
    const { idp, auth, cache, products, apiCalls } = await setup();
    await auth.signIn();
    const state = await products.getState();
    expect(state).toEqual({ status: 'signed_in', me: ADA, products: ADA_PRODUCTS, fetchedAt: idp.now.value });
    expect(apiCalls().map((r) => [r.url, r.headers.get('authorization')])).toEqual([
      [`${ISSUER}/api/me`, 'Bearer access-1'],
      [`${ISSUER}/api/products`, 'Bearer access-1'],
    ]);
    expect(await cache.get()).toEqual({ sub: ADA.sub, me: ADA, products: ADA_PRODUCTS, fetchedAt: idp.now.value });
  });

  it('serves the cached state without calling the API again', async () => {
    const { idp, auth, products, apiCalls } = await setup();
    await auth.signIn();
    await products.getState();
    idp.now.value += FRESH_FOR_MS * 10;
    expect((await products.getState()).status).toBe('signed_in');
    expect(apiCalls()).toHaveLength(2);
  });

  it('refreshes the token once after a 401 and retries', async () => {
    // The API refuses the first access token (as if revoked) and accepts the refreshed one.
    const { auth, products, apiCalls } = await setup({
      apiStatus: (request) => (request.headers.get('authorization') === 'Bearer access-1' ? 401 : 200),
    });
    await auth.signIn();
    const state = await products.refresh({ force: true });
    expect(state).toEqual({ status: 'signed_in', me: ADA, products: ADA_PRODUCTS, fetchedAt: expect.any(Number) });
    expect(apiCalls().map((r) => r.headers.get('authorization'))).toEqual([
      'Bearer access-1',
      'Bearer access-1',
      'Bearer access-2',
      'Bearer access-2',
    ]);
  });

  it('becomes signed out when the API still answers 401 after a refresh', async () => {
    const { area, auth, cache, products } = await setup({ apiStatus: () => 401 });
    await auth.signIn();
    expect(await products.refresh({ force: true })).toEqual({ status: 'signed_out' });
    expect(area.data.has('tokens')).toBe(false);
    expect(await cache.get()).toBeUndefined();
  });

  it('drops a cache that belongs to another user', async () => {
    const { auth, cache, products } = await setup();
    await cache.put({ sub: 'someone-else', me: { ...ADA, sub: 'someone-else' }, products: [], fetchedAt: 0 });
    await auth.signIn();
    const state = await products.getState();
    expect(state.status === 'signed_in' ? state.me.sub : undefined).toBe(ADA.sub);
  });
});
