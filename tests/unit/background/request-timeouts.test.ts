// @vitest-environment node
/**
 * A Twilio login that accepts requests and never answers: every request the background makes is given up after
 * REQUEST_TIMEOUT_MS as unreachable, so the one refresh, sign-in or products fetch that callers share never holds
 * them (and the switchers' cached products are marked offline, not shown as current).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import { jsonOrUndefined, REQUEST_TIMEOUT_MS } from '../../../src/background/oidc';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { createFakeIdp } from '../support/idp';

const STILL_WAITING = 'still waiting';

/**
 * Let REQUEST_TIMEOUT_MS pass, then what `promise` has come to: its value, its error, or STILL_WAITING when it
 * still has not settled (a second and a few turns later).
 */
async function afterTimeout<T>(promise: Promise<T>): Promise<T | unknown> {
  let outcome: T | unknown = STILL_WAITING;
  void promise.then(
    (value) => {
      outcome = value;
    },
    (error: unknown) => {
      outcome = error;
    },
  );
  await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS);
  for (let turn = 0; turn < 10 && outcome === STILL_WAITING; turn += 1) await vi.advanceTimersByTimeAsync(100);
  return outcome;
}

/** The fake IdP behind a network where requests for which `hangs(url, body)` holds are never answered. */
async function world() {
  const idp = await createFakeIdp();
  let hangs: (url: string, body: string) => boolean = () => false;
  const fetchFn: typeof fetch = (input, init) => {
    if (!hangs(String(input), String(init?.body ?? ''))) return idp.fetch(input, init);
    // Like the browser's fetch: nothing comes back, and it rejects with the signal's reason once aborted.
    return new Promise((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true });
    });
  };
  const background = backgroundOver({ ...idp, fetch: fetchFn });
  return {
    idp,
    ...background,
    hang(which: (url: string, body: string) => boolean) {
      hangs = which;
    },
  };
}

const api = (url: string) => url.startsWith(`${ISSUER}/api/`);
const code = (error: unknown) => (error instanceof ExtensionError ? error.code : error);

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('a Twilio login that stops answering', () => {
  it('shows the last known products as offline in the popup and the switchers, not as current', async () => {
    const { idp, auth, products, hang } = await world();
    await auth.signIn();
    const confirmedAt = idp.now.value;
    await products.getState();
    hang(api);
    idp.now.value += 5000;

    const popup = products.refresh({ force: true });
    expect(await afterTimeout(popup)).toEqual({
      status: 'signed_in',
      me: expect.objectContaining({ sub: 'user-ada' }),
      products: expect.any(Array),
      fetchedAt: confirmedAt,
      offline: true,
    });
    expect(await products.getSwitcherState('console')).toMatchObject({ offline: { confirmedAt } });

    // Answering again: the next question is not held by the request that never came back.
    hang(() => false);
    const again = await products.refresh({ force: true });
    expect(again).toMatchObject({ status: 'signed_in', fetchedAt: idp.now.value });
    expect(again).not.toHaveProperty('offline');
  });

  it('gives up a refresh the token endpoint never answers as unreachable, keeps the session, and asks again next time', async () => {
    const { area, auth, hang } = await world();
    await auth.signIn();
    hang((url, body) => url === `${ISSUER}/token` && body.includes('grant_type=refresh_token'));
    const refreshing = auth.refresh();
    expect(code(await afterTimeout(refreshing))).toBe('network');
    expect(area.data.get('tokens')).toMatchObject({ accessToken: 'access-1', refreshToken: 'refresh-1' });

    hang(() => false);
    expect(await auth.refresh()).toBe('access-2');
  });

  it('lets a sign-in whose discovery never answers fail, so Sign in works again', async () => {
    const { auth, hang } = await world();
    hang((url) => url.endsWith('/.well-known/openid-configuration'));
    const signingIn = auth.signIn();
    expect(code(await afterTimeout(signingIn))).toBe('network');

    hang(() => false);
    expect(await auth.signIn()).toMatchObject({ sub: 'user-ada' });
  });

  it('finishes a sign-out whose revocation never answers, with the tokens gone', async () => {
    const { area, auth, hang } = await world();
    await auth.signIn();
    hang((url) => url === `${ISSUER}/token/revocation`);
    const signingOut = auth.signOut({ extensionOnly: true });
    expect(await afterTimeout(signingOut)).toBeUndefined();
    expect(area.data.has('tokens')).toBe(false);
  });
});

describe('a body that stops arriving', () => {
  const answered = (json: () => Promise<unknown>) => ({ status: 200, json }) as unknown as Response;

  it('is the Twilio login gone (network), not a body without JSON', async () => {
    const stalled = answered(() =>
      Promise.reject(new DOMException('The Twilio login did not answer in time.', 'TimeoutError')),
    );
    await expect(jsonOrUndefined(stalled)).rejects.toMatchObject({ code: 'network' });
  });

  it('differs from a body that is not JSON, which reads as nothing', async () => {
    expect(
      await jsonOrUndefined(answered(() => Promise.reject(new SyntaxError('Unexpected token <')))),
    ).toBeUndefined();
    expect(await jsonOrUndefined(answered(() => Promise.resolve({ ok: true })))).toEqual({ ok: true });
  });
});
