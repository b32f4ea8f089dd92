import * as oidc from 'openid-client';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { API_PATHS, ApiErrorSchema } from '../../contract/api';
import { localhostFetch } from '../../mock-server/net';
import { signInAsExtension } from '../../scripts/lib/oidc-clients';
import { continueWithTwilio } from './products';
import { consoleBrowser, freshUser, PASSWORD, submit } from './settings';
import { worldForFile } from './world';

const world = await worldForFile();

const api = (path: string, token: string | undefined, method = 'GET') =>
  localhostFetch(`${world.urls.login}${path}`, {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

async function errorOf(response: Response) {
  expect(response.status).toBe(401);
  return v.parse(ApiErrorSchema, await response.json());
}

describe("the extension's Twilio session", () => {
  it('"Sign out of Twilio" from the extension ends the web sessions everywhere and says why on the next call', async () => {
    const { credentials } = await freshUser(world, 'leaver');
    const browser = await consoleBrowser(world, credentials);
    const other = await consoleBrowser(world, credentials);
    await continueWithTwilio(world, 'segment', credentials, { browser });
    const extension = await signInAsExtension(world, credentials);
    expect((await api(API_PATHS.me, extension.tokens.access_token)).status).toBe(200);

    const response = await api(API_PATHS.signOut, extension.tokens.access_token, 'POST');
    expect(response.status).toBe(204);

    // Both browsers' Console sessions and the Segment session ended by back-channel logout.
    expect((await browser.request(`${world.urls.console}/`)).status).toBe(303);
    expect((await other.request(`${world.urls.console}/`)).status).toBe(303);
    expect((await browser.request(`${world.urls.segment}/settings`)).status).toBe(303);
    expect(await errorOf(await api(API_PATHS.me, extension.tokens.access_token))).toEqual({
      error: 'invalid_token',
      error_description: 'You signed out of Twilio.',
      session_ended: 'signed_out',
    });
    await expect(oidc.refreshTokenGrant(extension.config, extension.tokens.refresh_token!)).rejects.toThrow();
  });

  it('refuses "Sign out of Twilio" without a token, with 401 and no reason', async () => {
    const body = await errorOf(await api(API_PATHS.signOut, undefined, 'POST'));
    expect(body).toEqual({ error: 'invalid_token', error_description: 'An access token is required.' });
  });

  it("a password change in the Console makes the extension's next call say the password was changed", async () => {
    const { credentials } = await freshUser(world, 'changer');
    const here = await consoleBrowser(world, credentials);
    const extension = await signInAsExtension(world, credentials);
    const next = 'a-much-longer-pass-2026';
    const { response } = await submit(world, here, '/settings/password', {
      current_password: PASSWORD,
      new_password: next,
      confirm_password: next,
    });
    expect(response.status).toBe(303);
    expect(await errorOf(await api(API_PATHS.products, extension.tokens.access_token))).toEqual({
      error: 'invalid_token',
      error_description: 'Your Twilio password was changed.',
      session_ended: 'password_changed',
    });
  });

  it('a token nobody ended gets the plain invalid-token answer', async () => {
    expect(await errorOf(await api(API_PATHS.me, 'not-a-real-token'))).toEqual({
      error: 'invalid_token',
      error_description: 'The access token is invalid, expired or revoked.',
    });
  });
});
