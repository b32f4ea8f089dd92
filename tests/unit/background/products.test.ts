// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { API_PATHS, type ProductEntry } from '../../../contract/api';
import { ExtensionError } from '../../../contract/errors';
import {
  createProductsService,
  FRESH_FOR_MS,
  RECHECK_SET_UP_EVERY_MS,
  SWITCHER_CONFIRMS_AFTER_MS,
} from '../../../src/background/products';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { createMemoryStorageArea } from '../support/fakes';
import { ADA, ADA_PRODUCTS, createFakeIdp, type FakeIdpOptions } from '../support/idp';

async function setup(options: FakeIdpOptions = {}) {
  const idp = await createFakeIdp(options);
  const background = backgroundOver(idp);
  const apiCalls = () => idp.requests.filter((r) => r.url.startsWith(`${ISSUER}/api/`));
  return { idp, ...background, apiCalls };
}

const SIGN_OUT_URL = `${ISSUER}${API_PATHS.signOut}`;

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

describe("a page's switcher state", () => {
  const SENDGRID_LINKED: ProductEntry = {
    id: 'sendgrid',
    name: 'SendGrid',
    status: 'linked',
    url: 'http://app.sendgrid.localhost:8787/login/twilio',
    workspaces: [
      {
        id: 'a1',
        name: 'Ada Mail',
        role: 'Admin',
        url: 'http://app.sendgrid.localhost:8787/login/twilio?next=%2Faccounts%2Fa1',
      },
    ],
  };
  const AFTER_SET_UP = [...ADA_PRODUCTS.slice(0, 2), SENDGRID_LINKED];

  it('lists the workspaces of set-up products only, without anything else about the user', async () => {
    const { auth, products } = await setup({
      products: () => [
        ...ADA_PRODUCTS.slice(0, 2),
        { ...ADA_PRODUCTS[2]!, workspaces: [{ id: 'x', name: 'Not yet', role: 'Owner', url: 'http://x/' }] },
      ],
    });
    await auth.signIn();
    expect(await products.getSwitcherState('console')).toEqual({
      status: 'signed_in',
      // The API's products, as the page's switcher needs them (no email, no tokens).
      products: ADA_PRODUCTS,
    });
  });

  it('lists at most the five most recently visited workspaces', async () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      id: `w${i}`,
      name: `W${i}`,
      role: 'Member',
      url: `http://app.segment.localhost:8787/w/w${i}`,
    }));
    const { auth, products } = await setup({
      products: () => [{ ...ADA_PRODUCTS[1]!, workspaces: many }],
    });
    await auth.signIn();
    const state = await products.getSwitcherState('console');
    const names = state.status === 'signed_in' ? state.products[0]?.workspaces?.map((w) => w.name) : [];
    expect(names).toEqual(['W0', 'W1', 'W2', 'W3', 'W4']);
  });

  it('shows a set-up that just completed on the product page it lands on, though the cache is fresh', async () => {
    let current = ADA_PRODUCTS;
    const { auth, products, apiCalls } = await setup({ products: () => current });
    await auth.signIn();
    await products.getState();
    current = AFTER_SET_UP; // the user sets SendGrid up on the login host, then lands on SendGrid
    const state = await products.getSwitcherState('sendgrid');
    expect(state.status === 'signed_in' ? state.products[2] : undefined).toEqual(SENDGRID_LINKED);
    expect(apiCalls()).toHaveLength(4);
    // …and the Console's switcher and the popup see it from the refreshed cache.
    const consoleState = await products.getSwitcherState('console');
    expect(consoleState.status === 'signed_in' ? consoleState.products[2]?.status : undefined).toBe('linked');
    expect(apiCalls()).toHaveLength(4);
  });

  it('asks again for a product page that is still not set up at most once a second', async () => {
    const { idp, auth, products, apiCalls } = await setup();
    await auth.signIn();
    await products.getState();
    await products.getSwitcherState('sendgrid');
    await products.getSwitcherState('sendgrid');
    expect(apiCalls()).toHaveLength(4);
    idp.now.value += RECHECK_SET_UP_EVERY_MS;
    await products.getSwitcherState('sendgrid');
    expect(apiCalls()).toHaveLength(6);
  });

  it('answers from a stale cache at once and refreshes it behind', async () => {
    let current = ADA_PRODUCTS;
    const { idp, auth, products, apiCalls } = await setup({ products: () => current });
    await auth.signIn();
    await products.getState();
    current = AFTER_SET_UP;
    idp.now.value += FRESH_FOR_MS;
    const stale = await products.getSwitcherState('console');
    expect(stale.status === 'signed_in' ? stale.products[2]?.status : undefined).toBe('not_set_up');
    await expect.poll(() => apiCalls().length).toBe(4);
    const fresh = await products.getSwitcherState('console');
    expect(fresh.status === 'signed_in' ? fresh.products[2]?.status : undefined).toBe('linked');
  });

  it('is signed out without tokens', async () => {
    const { products } = await setup();
    expect(await products.getSwitcherState('segment')).toEqual({ status: 'signed_out' });
  });
});

describe('one session with the web', () => {
  it('signs in silently (prompt=none, no window) when the browser holds a Twilio session', async () => {
    const windows: boolean[] = [];
    const idp = await createFakeIdp({ webSession: () => true });
    const { products } = backgroundOver(idp, {
      launchWebAuthFlow: (url, interactive) => {
        windows.push(interactive);
        return idp.authorize(url);
      },
    });
    const state = await products.getState({ silent: 'always' });
    expect(state.status === 'signed_in' ? state.me : undefined).toEqual(ADA);
    expect(windows).toEqual([false]);
    expect(idp.lastAuthorization?.searchParams.get('prompt')).toBe('none');
    expect(idp.lastAuthorization?.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('stays signed out when the Twilio login answers login_required', async () => {
    const { products, area } = await setup();
    expect(await products.getState({ silent: 'always' })).toEqual({ status: 'signed_out' });
    expect(area.data.has('tokens')).toBe(false);
  });

  it('does not sign in silently again after a sign-out of the extension only', async () => {
    const { auth, products } = await setup({ webSession: () => true });
    await auth.signIn();
    await auth.signOut({ extensionOnly: true });
    expect(await products.getState({ silent: 'always' })).toEqual({ status: 'signed_out' });
    await auth.signIn();
    expect((await products.getState({ silent: 'always' })).status).toBe('signed_in');
  });

  it('says once why the session ended when the API gives the reason, and tells the tabs', async () => {
    let changes = 0;
    const idp = await createFakeIdp({ apiStatus: () => 401, sessionEnded: 'password_changed', refuseRefresh: true });
    const { auth, products } = backgroundOver(idp, {
      onChange: () => {
        changes += 1;
      },
    });
    await auth.signIn();
    expect(await products.refresh({ force: true })).toEqual({ status: 'signed_out', ended: 'password_changed' });
    expect(changes).toBe(1);
    expect(await products.getState()).toEqual({ status: 'signed_out' });
  });

  it('offers "Continue as" only once the API confirms the session still lives, unless it was just confirmed', async () => {
    let endedElsewhere = false;
    const { idp, auth, products, apiCalls } = await setup({
      apiStatus: () => (endedElsewhere ? 401 : 200),
      sessionEnded: 'signed_out',
      refuseRefresh: true,
    });
    await auth.signIn();
    await products.getState();
    // Just confirmed: answered from the cache, no call.
    const calls = apiCalls().length;
    expect(await products.getContinueAs()).toEqual({ name: ADA.name, email: ADA.email });
    expect(apiCalls()).toHaveLength(calls);

    endedElsewhere = true; // e.g. "Sign out" in the Console, which lands on a product's login page
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    expect(await products.getContinueAs()).toBeNull();
    // The reason stays for the popup.
    expect(await products.getState()).toEqual({ status: 'signed_out', ended: 'signed_out' });
  });

  it('offers "Continue as" from the last known state when the world cannot be reached', async () => {
    let unreachable = false;
    const { idp, auth, products } = await setup({ unreachable: () => unreachable });
    await auth.signIn();
    await products.getState();
    unreachable = true;
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    expect(await products.getContinueAs()).toEqual({ name: ADA.name, email: ADA.email });
  });

  it('notices a session ended elsewhere when a page asks, tells the tabs, and keeps the reason for the popup across a restart', async () => {
    let endedElsewhere = false;
    let changes = 0;
    const idp = await createFakeIdp({
      apiStatus: () => (endedElsewhere ? 401 : 200),
      sessionEnded: 'password_changed',
      refuseRefresh: true,
    });
    const area = createMemoryStorageArea();
    /** The background as it starts: its state in memory is new, `storage.session` (`area`) is the browser's. */
    const startBackground = () =>
      backgroundOver(idp, {
        area,
        onChange: () => {
          changes += 1;
        },
      });
    const first = startBackground();
    await first.auth.signIn();
    await first.products.getState();
    changes = 0;

    endedElsewhere = true; // e.g. the password was changed in the Console
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    // A page's switcher is answered from the cache at once; the API, asked behind it, says the session ended.
    expect((await first.products.getSwitcherState('segment')).status).toBe('signed_in');
    await expect.poll(() => changes).toBe(1);
    // Every tab asks again on the notice: signed out, and the reason is left for the popup.
    expect(await first.products.getSwitcherState('segment')).toEqual({ status: 'signed_out' });
    expect(await first.products.getSwitcherState('console')).toEqual({ status: 'signed_out' });

    // The service worker stops and starts again: the popup still says why, once.
    const second = startBackground();
    expect(await second.products.getState()).toEqual({ status: 'signed_out', ended: 'password_changed' });
    expect(await second.products.getState()).toEqual({ status: 'signed_out' });
  });

  it("asks the API behind a page's switcher only when the products were confirmed a while ago", async () => {
    const { idp, auth, products, apiCalls } = await setup();
    await auth.signIn();
    await products.getState();
    await products.getSwitcherState('console');
    expect(apiCalls()).toHaveLength(2);
    idp.now.value += SWITCHER_CONFIRMS_AFTER_MS;
    await products.getSwitcherState('console');
    await expect.poll(() => apiCalls().length).toBe(4);
    await products.getSwitcherState('console');
    expect(apiCalls()).toHaveLength(4);
  });

  it('offline, answers with the last known products marked offline and when they were confirmed', async () => {
    let down = false;
    const { idp, auth, products } = await setup({ unreachable: () => down });
    await auth.signIn();
    const confirmedAt = idp.now.value;
    await products.getState();
    down = true;
    idp.now.value += 5000;
    const popup = await products.refresh({ force: true });
    expect(popup).toMatchObject({ status: 'signed_in', fetchedAt: confirmedAt, offline: true });
    const switcher = await products.getSwitcherState('console', { recheck: true });
    expect(switcher).toMatchObject({ status: 'signed_in', offline: { confirmedAt } });
    down = false;
    idp.now.value += 5000;
    expect(await products.getSwitcherState('console', { recheck: true })).not.toHaveProperty('offline');
  });
});

describe('sign out of Twilio', () => {
  /** A background whose API answers `POST /api/sign-out` with `answer` (a status, or a network failure). */
  async function signedIn(answer: number | 'unreachable', options: FakeIdpOptions = {}) {
    const idp = await createFakeIdp(options);
    let changes = 0;
    const signOutFetch: typeof fetch = async (input, init) => {
      if (String(input) !== SIGN_OUT_URL) return idp.fetch(input, init);
      idp.requests.push({
        method: init?.method ?? 'GET',
        url: SIGN_OUT_URL,
        headers: new Headers(init?.headers),
        body: '',
      });
      if (answer === 'unreachable') throw new TypeError('Failed to fetch');
      const refusal = answer === 401 ? { error: 'invalid_token', session_ended: 'signed_out' } : { error: 'boom' };
      return new Response(answer === 204 ? null : JSON.stringify(refusal), { status: answer });
    };
    const background = backgroundOver(
      { ...idp, fetch: signOutFetch },
      {
        onChange: () => {
          changes += 1;
        },
      },
    );
    await background.auth.signIn();
    await background.products.getState();
    changes = 0;
    const signOuts = () => idp.requests.filter((r) => r.url === SIGN_OUT_URL);
    return { idp, ...background, signOuts, changes: () => changes };
  }

  it('ends the web sessions through the API, then signs the extension out and forgets the user', async () => {
    const { area, cache, products, signOuts, changes } = await signedIn(204);
    await products.signOutEverywhere();
    expect(signOuts().map((r) => [r.method, r.headers.get('authorization')])).toEqual([['POST', 'Bearer access-1']]);
    expect(area.data.has('tokens')).toBe(false);
    expect(await cache.get()).toBeUndefined();
    expect(changes()).toBe(1);
  });

  it.each([
    [
      404,
      'server',
      'Twilio did not sign you out: /api/sign-out answered HTTP 404. You are still signed in everywhere; try again.',
    ],
    [
      500,
      'server',
      'Twilio did not sign you out: /api/sign-out answered HTTP 500. You are still signed in everywhere; try again.',
    ],
    [
      'unreachable',
      'network',
      'Twilio did not sign you out: The Twilio login could not be reached. You are still signed in everywhere; try again.',
    ],
  ] as const)('when the API answers %s, says so and stays signed in to try again', async (answer, code, message) => {
    const { idp, area, cache, products, signOuts, changes } = await signedIn(answer);
    const failure = await products.signOutEverywhere().catch((error: unknown) => error);
    expect(failure instanceof ExtensionError ? [failure.code, failure.message] : failure).toEqual([code, message]);
    expect(signOuts()).toHaveLength(1);
    expect(area.data.has('tokens')).toBe(true);
    const stillSignedIn = { status: 'signed_in', me: ADA, products: ADA_PRODUCTS, fetchedAt: idp.now.value };
    expect(await products.getState()).toEqual(stillSignedIn);
    expect(await cache.get()).toEqual({ sub: ADA.sub, me: ADA, products: ADA_PRODUCTS, fetchedAt: idp.now.value });
    expect(changes()).toBe(0);
  });

  it('when the session had already ended, says so and forgets the user', async () => {
    const { area, cache, products, signOuts, changes } = await signedIn(401, { refuseRefresh: true });
    const failure = await products.signOutEverywhere().catch((error: unknown) => error);
    expect(failure instanceof ExtensionError ? failure.code : failure).toBe('signed_out');
    expect(signOuts()).toHaveLength(1);
    expect(area.data.has('tokens')).toBe(false);
    expect(await cache.get()).toBeUndefined();
    expect(changes()).toBe(1);
    expect(await products.getState()).toEqual({ status: 'signed_out', ended: 'signed_out' });
  });
});

describe("the cached user's data", () => {
  /** The browser restarts: `storage.session` and the worker's memory are empty, IndexedDB (`cache`) is kept. */
  async function afterRestart() {
    const idp = await createFakeIdp();
    const before = backgroundOver(idp);
    await before.auth.signIn();
    await before.products.getState();
    expect((await before.cache.get())?.me).toEqual(ADA);
    const products = createProductsService({
      apiOrigin: ISSUER,
      auth: backgroundOver(idp).auth,
      cache: before.cache,
      fetch: idp.fetch,
      now: () => idp.now.value,
    });
    return { cache: before.cache, products };
  }

  it('goes from IndexedDB at start-up when no one is signed in', async () => {
    const { cache, products } = await afterRestart();
    await products.clearIfSignedOut();
    expect(await cache.get()).toBeUndefined();
  });

  it('goes from IndexedDB on the first question asked signed out', async () => {
    const { cache, products } = await afterRestart();
    expect(await products.getSwitcherState('console')).toEqual({ status: 'signed_out' });
    expect(await cache.get()).toBeUndefined();
  });

  it('stays while the user is signed in', async () => {
    const { auth, cache, products } = await setup();
    await auth.signIn();
    await products.getState();
    await products.clearIfSignedOut();
    expect((await cache.get())?.me).toEqual(ADA);
  });
});
