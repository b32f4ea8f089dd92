// @vitest-environment node
/**
 * What the person did last wins: a refresh or a silent sign-in that finishes after a sign-out, a session end or a
 * new sign-in stores nothing and clears nothing, and a silent attempt never spoils the sign-in window's.
 */
import { describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI } from '../../../contract/catalogue';
import type { ExtensionError } from '../../../contract/errors';
import { type AuthDeps, createAuth } from '../../../src/background/auth';
import { createSessionStore } from '../../../src/background/session-store';
import { ISSUER } from '../../../src/shared/config';
import { door } from '../support/door';
import { createMemoryStorageArea } from '../support/fakes';
import { createFakeIdp, type FakeIdpOptions } from '../support/idp';

type FakeIdp = Awaited<ReturnType<typeof createFakeIdp>>;

const isRefresh = (url: string, body: string) => url === `${ISSUER}/token` && body.includes('grant_type=refresh_token');
const isRevocation = (url: string) => url === `${ISSUER}/token/revocation`;

async function setup(
  options: FakeIdpOptions & {
    hold?: (url: string, body: string) => boolean;
    launch?: (idp: FakeIdp, url: string, interactive: boolean) => Promise<string | undefined>;
  } = {},
) {
  const idp = await createFakeIdp(options);
  const area = createMemoryStorageArea();
  const held = door();
  const fetchFn: typeof fetch = async (input, init) => {
    if (options.hold?.(String(input), String(init?.body ?? ''))) await held.pass();
    return idp.fetch(input, init);
  };
  const deps: AuthDeps = {
    issuer: ISSUER,
    redirectUri: EXTENSION_REDIRECT_URI,
    session: createSessionStore(area),
    fetch: fetchFn,
    now: () => idp.now.value,
    launchWebAuthFlow: (url, interactive) =>
      options.launch ? options.launch(idp, url, interactive) : idp.authorize(url),
    jwks: () => idp.keys,
  };
  const revoked = () =>
    idp.requests.filter((r) => isRevocation(r.url)).map((r) => new URLSearchParams(r.body).get('token'));
  return { idp, area, auth: createAuth(deps), held, revoked };
}

const tokensIn = (area: ReturnType<typeof createMemoryStorageArea>) =>
  area.data.get('tokens') as { accessToken: string; refreshToken: string } | undefined;

describe('a refresh that finishes late', () => {
  it('does not sign the extension back in after a sign-out, and revokes what it got', async () => {
    const { area, auth, held, revoked } = await setup({ hold: isRefresh });
    await auth.signIn();
    const refreshing = auth.refresh().catch((error: unknown) => error);
    await held.reached;
    await auth.signOut({ extensionOnly: true });
    held.open();
    expect(((await refreshing) as ExtensionError).code).toBe('signed_out');
    expect(tokensIn(area)).toBeUndefined();
    // The rotated refresh token the late answer carried is revoked, not left live at the IdP.
    expect(revoked()).toContain('refresh-2');
  });

  it.each([
    ['answered', {}],
    ['refused', { refuseRefresh: true }],
  ])("that is %s leaves a newer sign-in's tokens as they are, and answers with them", async (_how, options) => {
    const { area, auth, held } = await setup({ hold: isRefresh, ...options });
    await auth.signIn();
    const refreshing = auth.refresh();
    await held.reached;
    await auth.signOut();
    await auth.signIn();
    const newer = tokensIn(area)!;
    held.open();
    expect(await refreshing).toBe(newer.accessToken);
    expect(tokensIn(area)).toEqual(newer);
  });

  it('still stores its tokens when nothing happened meanwhile', async () => {
    const { area, auth } = await setup();
    await auth.signIn();
    expect(await auth.refresh()).toBe('access-2');
    expect(tokensIn(area)).toMatchObject({ accessToken: 'access-2', refreshToken: 'refresh-2' });
  });
});

describe('silent sign-ins and the sign-in window', () => {
  it('asks for no silent sign-in while the window is open, and the window signs in', async () => {
    const window = door();
    let silentFlows = 0;
    const { auth, area } = await setup({
      launch: async (idp, url, interactive) => {
        if (!interactive) {
          silentFlows += 1;
          throw new Error('User interaction required.');
        }
        await window.pass(); // the person types the password
        return idp.authorize(url);
      },
    });
    const signingIn = auth.signIn();
    await window.reached;
    expect(await auth.signInSilently()).toBeUndefined();
    expect(silentFlows).toBe(0);
    window.open();
    expect((await signingIn).accessToken).toBe('access-1');
    expect(tokensIn(area)?.accessToken).toBe('access-1');
  });

  it('keeps each sign-in under its own state: a silent one that fails does not take the window’s', async () => {
    const silent = door();
    const window = door();
    const { auth, area } = await setup({
      launch: async (idp, url, interactive) => {
        if (interactive) {
          await window.pass();
          return idp.authorize(url);
        }
        await silent.pass();
        throw new Error('User interaction required.');
      },
    });
    // The silent attempt started first (a switcher asked), then the person opened the window.
    const silently = auth.signInSilently();
    await silent.reached;
    const signingIn = auth.signIn();
    await window.reached;
    expect(Object.keys(area.data.get('pendingSignIns') as object)).toHaveLength(2);
    silent.open();
    expect(await silently).toBeUndefined();
    window.open();
    expect((await signingIn).accessToken).toBe('access-1');
    expect(area.data.has('pendingSignIns')).toBe(false);
  });

  it('a silent sign-in that finishes after a sign-out stores nothing', async () => {
    const silent = door();
    const { auth, area, revoked } = await setup({
      webSession: () => true,
      launch: async (idp, url) => {
        await silent.pass();
        return idp.authorize(url);
      },
    });
    const silently = auth.signInSilently();
    await silent.reached;
    await auth.signOut({ extensionOnly: true });
    silent.open();
    expect(await silently).toBeUndefined();
    expect(tokensIn(area)).toBeUndefined();
    expect(revoked().sort()).toEqual(['access-1', 'refresh-1']);
  });
});

describe('signing out of the extension only', () => {
  it('is not undone by a silent sign-in asked for while the tokens are being revoked', async () => {
    const { auth, area, held } = await setup({ webSession: () => true, hold: isRevocation });
    await auth.signIn();
    const signingOut = auth.signOut({ extensionOnly: true });
    await held.reached;
    // A product tab's switcher asks while the revocation is on its way.
    expect(await auth.signInSilently()).toBeUndefined();
    held.open();
    await signingOut;
    expect(tokensIn(area)).toBeUndefined();
    expect(area.data.get('sessionNote')).toEqual({ noSilentSignIn: true });
  });
});

describe('a session that ends after signing out of the extension only', () => {
  it('records nothing for tokens the sign-out already cleared, and keeps the note that holds silent sign-in back', async () => {
    const { auth, area } = await setup({ webSession: () => true });
    await auth.signIn();
    await auth.signOut({ extensionOnly: true });
    // A request that started before the sign-out meets a 401 that names a reason: not the session's end.
    expect(await auth.sessionEnded('password_changed', 'access-1')).toBe(false);
    expect(area.data.get('sessionNote')).toEqual({ noSilentSignIn: true });
    expect(await auth.signInSilently()).toBeUndefined();
  });
});
