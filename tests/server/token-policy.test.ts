/**
 * Introspection and revocation policy (issue 9, security 7): a client may introspect and revoke only the tokens
 * issued to it; another client's token looks like an unknown one.
 */
import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { API_PATHS } from '../../contract/api';
import { localhostFetch } from '../../mock-server/net';
import { productClient, signInAsExtension, signInWithCode } from '../../scripts/lib/oidc-clients';
import { ADA, worldForFile } from './world';

const world = await worldForFile();

const me = (token: string) =>
  localhostFetch(`${world.urls.login}${API_PATHS.me}`, { headers: { authorization: `Bearer ${token}` } });

describe('introspection and revocation', () => {
  it('lets a client introspect its own access token', async () => {
    const { config, redirectUri } = await productClient(world, 'console');
    const { tokens } = await signInWithCode(config, ADA, { redirectUri });
    const answer = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(answer.active).toBe(true);
    expect(answer.client_id).toBe('console');
  });

  it("answers {active:false} when the Console introspects the extension's token", async () => {
    const { tokens } = await signInAsExtension(world, ADA);
    const { config } = await productClient(world, 'console');
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
    expect(await oidc.tokenIntrospection(config, tokens.refresh_token!)).toEqual({ active: false });
  });

  it("answers {active:false} when Segment introspects the Console's token", async () => {
    const consoleClient = await productClient(world, 'console');
    const { tokens } = await signInWithCode(consoleClient.config, ADA, { redirectUri: consoleClient.redirectUri });
    const { config } = await productClient(world, 'segment');
    expect(await oidc.tokenIntrospection(config, tokens.access_token)).toEqual({ active: false });
  });

  it("does not let the Console revoke the extension's tokens: 200 as for an unknown token, and they keep working", async () => {
    const { config: extension, tokens } = await signInAsExtension(world, ADA);
    const { config } = await productClient(world, 'console');
    await oidc.tokenRevocation(config, tokens.access_token);
    await oidc.tokenRevocation(config, tokens.refresh_token!);
    expect((await me(tokens.access_token)).status).toBe(200);
    const refreshed = await oidc.refreshTokenGrant(extension, tokens.refresh_token!);
    expect((await me(refreshed.access_token)).status).toBe(200);
  });

  it('lets the extension revoke its own access token', async () => {
    const { config, tokens } = await signInAsExtension(world, ADA);
    await oidc.tokenRevocation(config, tokens.access_token);
    expect((await me(tokens.access_token)).status).toBe(401);
  });
});
