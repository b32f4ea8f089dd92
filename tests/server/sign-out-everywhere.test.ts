import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { loadSigningKeys } from '../../mock-server/identity/keys';
import { localhostFetch } from '../../mock-server/net';
import type { HeadlessBrowser } from '../../scripts/lib/headless-browser';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { continueWithTwilio } from './products';
import { consoleBrowser } from './settings';
import { ADA, worldForFile } from './world';

const world = await worldForFile();
const LOGOUT_EVENT = { 'http://schemas.openid.net/event/backchannel-logout': {} };

/** Signs out of Twilio at the IdP itself (not through the Console), confirming "Yes, sign me out". */
async function signOutAtIdp(browser: HeadlessBrowser) {
  const confirm = await browser.request(`${world.issuer}/session/end`);
  expect(confirm.status).toBe(200);
  const form = /<form id="op.logoutForm" method="post" action="([^"]+)">[\s\S]*?name="xsrf" value="([^"]+)"/.exec(
    await confirm.text(),
  );
  const done = await browser.request(new URL(form![1]!, world.issuer), { form: { xsrf: form![2]!, logout: 'yes' } });
  expect(done.status).toBe(303);
}

async function signLogoutToken(
  claims: JWTPayload,
  { key, typ = 'logout+jwt', expires = true }: { key?: JWK; typ?: string; expires?: boolean } = {},
) {
  const jwk = key ?? (await loadSigningKeys(world.db)).keys.find((candidate) => candidate.alg === 'RS256')!;
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT({ events: LOGOUT_EVENT, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: jwk.alg ?? 'RS256', typ, ...(jwk.kid ? { kid: jwk.kid } : {}) })
    .setIssuer(world.issuer)
    .setAudience('console')
    .setIssuedAt(now);
  if (expires) token.setExpirationTime(now + 120);
  return token.sign(await importJWK(jwk, jwk.alg ?? 'RS256'));
}

const postLogoutToken = (token: string | undefined) =>
  localhostFetch(`${world.urls.console}/backchannel-logout`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(token === undefined ? {} : { logout_token: token }).toString(),
  });

describe('sign out everywhere', () => {
  it("ends the Console and Segment sessions by back-channel logout and revokes the extension's tokens", async () => {
    const browser = await consoleBrowser(world, ADA);
    const segment = await continueWithTwilio(world, 'segment', ADA, { browser });
    expect(segment.response.status).toBe(303);
    expect((await browser.request(`${world.urls.segment}/settings`)).status).toBe(200);
    expect((await browser.request(`${world.urls.console}/`)).status).toBe(200);
    const extension = await signInAsExtension(world, ADA);
    const me = () =>
      localhostFetch(`${world.urls.login}${API_PATHS.me}`, {
        headers: { authorization: `Bearer ${extension.tokens.access_token}` },
      });
    expect((await me()).status).toBe(200);

    await signOutAtIdp(browser);

    // The browser still holds the Console's and Segment's cookies, but their sessions are gone.
    const consoleHome = await browser.request(`${world.urls.console}/`);
    expect(consoleHome.status).toBe(303);
    expect(consoleHome.headers.get('location')).toMatch(new RegExp(`^${world.issuer}/auth\\?`));
    expect((await browser.request(`${world.urls.segment}/settings`)).status).toBe(303);
    // The extension shows signed out on its next call.
    expect((await me()).status).toBe(401);
    await expect(oidc.refreshTokenGrant(extension.config, extension.tokens.refresh_token!)).rejects.toThrow();
  });

  it('ends only the Console sessions of the subject named by a valid logout token', async () => {
    const ada = world.users.findByEmail('ada@example.com')!;
    const adaBrowser = await consoleBrowser(world, ADA);
    const ben = await consoleBrowser(world, { email: 'ben@example.com', password: 'demo-pass-2026' });
    const response = await postLogoutToken(await signLogoutToken({ sub: ada.id }));
    expect(response.status).toBe(200);
    expect((await adaBrowser.request(`${world.urls.console}/`)).status).toBe(303);
    expect((await ben.request(`${world.urls.console}/`)).status).toBe(200);
  });

  it('refuses forged, replayed and malformed logout tokens with 400', async () => {
    const ada = world.users.findByEmail('ada@example.com')!;
    const browser = await consoleBrowser(world, ADA);

    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const foreign = { ...(await exportJWK(privateKey)), alg: 'RS256' };
    const refusals = [
      undefined,
      'not-a-jwt',
      await signLogoutToken({ sub: ada.id }, { key: foreign }),
      await signLogoutToken({ sub: ada.id, nonce: 'n' }),
      await signLogoutToken({ sub: ada.id, events: {} }),
      // Back-Channel Logout 1.0 §2.4: `exp` is required, and `events` and its member are JSON objects.
      await signLogoutToken({ sub: ada.id }, { expires: false }),
      await signLogoutToken({ sub: ada.id, events: null }),
      await signLogoutToken({ sub: ada.id, events: [LOGOUT_EVENT] }),
      await signLogoutToken({ sub: ada.id, events: { [Object.keys(LOGOUT_EVENT)[0]!]: null } }),
      await signLogoutToken({ sub: ada.id, events: { [Object.keys(LOGOUT_EVENT)[0]!]: [] } }),
      await signLogoutToken({}),
      await signLogoutToken({ sub: ada.id }, { typ: 'JWT' }),
    ];
    for (const token of refusals) {
      const response = await postLogoutToken(token);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    }
    expect((await browser.request(`${world.urls.console}/`)).status).toBe(200);

    const once = await signLogoutToken({ sub: ada.id });
    expect((await postLogoutToken(once)).status).toBe(200);
    expect((await postLogoutToken(once)).status).toBe(400);
  });
});
