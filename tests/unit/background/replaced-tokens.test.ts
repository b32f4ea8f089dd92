// @vitest-environment node
/**
 * Tokens a sign-in replaces, and tokens a late silent sign-in gets after the person's own sign-in, are revoked
 * only when that cannot revoke the tokens kept. The world's IdP gives a browser session one grant per client and
 * account (loadExistingGrant reuses it), and oidc-provider revokes a token's whole grant with it: the fake below
 * does the same, so a revocation that would sign the person out shows as dead tokens.
 */
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ISSUER } from '../../../src/shared/config';
import { backgroundOver } from '../support/background';
import { door } from '../support/door';
import { json } from '../support/fakes';
import { BEN, createFakeIdp } from '../support/idp';

type FakeIdp = Awaited<ReturnType<typeof createFakeIdp>>;

/** The fake IdP with oidc-provider's grants: one per subject, every token of a revoked grant refused. */
async function withGrants() {
  const claims: Record<string, unknown> = {};
  const idp = await createFakeIdp({ webSession: () => true, idTokenClaims: claims });
  const grantOf = new Map<string, string>();
  const liveGrantOf = new Map<string, string>();
  const revokedGrants = new Set<string>();
  const revoked: string[] = [];
  let issued = 0;
  const dead = (token: string | undefined) => revokedGrants.has(grantOf.get(token ?? '') ?? '');
  const fetchFn: typeof fetch = async (input, init) => {
    const url = String(input);
    const body = new URLSearchParams(String(init?.body ?? ''));
    if (url === `${ISSUER}/token/revocation`) {
      const token = body.get('token') ?? '';
      revoked.push(token);
      const grant = grantOf.get(token);
      if (grant) revokedGrants.add(grant);
      return new Response(null, { status: 200 });
    }
    if (url.startsWith(`${ISSUER}/api/`)) {
      const bearer = new Headers(init?.headers).get('authorization')?.replace('Bearer ', '');
      if (dead(bearer)) return json({ error: 'invalid_token' }, 401);
    }
    if (
      url === `${ISSUER}/token` &&
      body.get('grant_type') === 'refresh_token' &&
      dead(body.get('refresh_token') ?? '')
    ) {
      return json({ error: 'invalid_grant' }, 400);
    }
    const response = await idp.fetch(input, init);
    if (url !== `${ISSUER}/token` || !response.ok) return response;
    const answer = (await response.json()) as Record<string, string>;
    let grant: string;
    if (body.get('grant_type') === 'authorization_code') {
      // A code is issued under the subject's live grant, or a new one once that was revoked.
      const { sub } = decodeJwt(answer.id_token!);
      grant = liveGrantOf.get(sub!) ?? `grant-${sub}-${issued}`;
      if (revokedGrants.has(grant)) grant = `grant-${sub}-${issued}`;
      liveGrantOf.set(sub!, grant);
      issued += 1;
      answer.access_token = `access-${sub}-${issued}`;
      answer.refresh_token = `refresh-${sub}-${issued}`;
    } else {
      grant = grantOf.get(body.get('refresh_token') ?? '')!;
    }
    grantOf.set(answer.access_token!, grant);
    grantOf.set(answer.refresh_token!, grant);
    return json(answer);
  };
  return { idp: { ...idp, fetch: fetchFn } as FakeIdp, authorize: idp.authorize, claims, revoked };
}

/** A silent sign-in (a switcher asked) that is still under way when the person opens the sign-in window. */
async function silentThenWindow() {
  const world = await withGrants();
  const silent = door();
  const window = door();
  const background = backgroundOver(world.idp, {
    launchWebAuthFlow: async (url, interactive) => {
      await (interactive ? window : silent).pass();
      return world.authorize(url);
    },
  });
  const silently = background.auth.signInSilently();
  await silent.reached;
  const signingIn = background.auth.signIn();
  await window.reached;
  return { ...world, ...background, silent, window, silently, signingIn };
}

describe('a sign-in that replaces stored tokens', () => {
  it("of the same person revokes nothing (it would revoke the new tokens' grant), and the new tokens keep working", async () => {
    const { auth, products, area, silent, window, silently, signingIn, revoked } = await silentThenWindow();
    silent.open();
    expect((await silently)?.accessToken).toBe('access-user-ada-1');
    window.open();
    expect((await signingIn).accessToken).toBe('access-user-ada-2');
    expect(revoked).toEqual([]);
    expect((await products.refresh({ force: true })).status).toBe('signed_in');
    expect(await auth.refresh()).toMatch(/^access-/);
    expect(area.data.get('tokens')).toMatchObject({ sub: 'user-ada' });
  });

  it("of another person revokes the replaced tokens (another grant), and the new person's keep working", async () => {
    const { auth, area, silent, window, silently, signingIn, revoked, claims } = await silentThenWindow();
    silent.open();
    expect((await silently)?.sub).toBe('user-ada');
    claims.sub = BEN.sub; // the person signs in as Ben in the window
    window.open();
    expect((await signingIn).sub).toBe(BEN.sub);
    // Revoked before the sign-in answers.
    expect([...revoked].sort()).toEqual(['access-user-ada-1', 'refresh-user-ada-1']);
    expect(await auth.refresh()).toMatch(/^access-/);
    expect(area.data.get('tokens')).toMatchObject({ sub: BEN.sub });
  });
});

describe('a silent sign-in that finishes after the person signed in', () => {
  it("keeps nothing and revokes nothing of the same person's, so the window's tokens keep working", async () => {
    const { auth, area, silent, window, silently, signingIn, revoked } = await silentThenWindow();
    window.open();
    const mine = await signingIn;
    silent.open();
    expect(await silently).toBeUndefined();
    expect(area.data.get('tokens')).toEqual(mine);
    expect(revoked).toEqual([]);
    expect(await auth.refresh()).toMatch(/^access-/);
  });
});
