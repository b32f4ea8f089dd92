import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localhostFetch } from '../../mock-server/net';
import { startWorld, worldForFile } from './world';

const world = await worldForFile();

describe('discovery and keys', () => {
  it('publishes an OpenID configuration for code flow with PKCE S256, iss in responses and no password grant', async () => {
    const response = await localhostFetch(`${world.issuer}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: world.issuer,
      authorization_endpoint: `${world.issuer}/auth`,
      token_endpoint: `${world.issuer}/token`,
      jwks_uri: `${world.issuer}/jwks`,
      end_session_endpoint: `${world.issuer}/session/end`,
      revocation_endpoint: `${world.issuer}/token/revocation`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    });
    // client_credentials is for SCIM apps only (organization provisioning); still no password grant.
    expect(metadata.grant_types_supported).toEqual(['authorization_code', 'refresh_token', 'client_credentials']);
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'email', 'profile', 'offline_access']));
  });

  it('publishes public RS256 and ES256 signing keys only', async () => {
    const response = await localhostFetch(`${world.issuer}/jwks`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Record<string, unknown>[] };
    expect(keys.map((key) => key.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const key of keys) {
      expect(key).toHaveProperty('kid');
      expect(key).not.toHaveProperty('d');
      expect(key).not.toHaveProperty('p');
    }
  });

  describe('with a database file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'world-'));
    afterAll(() => rmSync(folder, { recursive: true, force: true }));

    it('keeps its signing keys across a restart', async () => {
      const db = join(folder, 'world.db');
      const kids = async (issuer: string) => {
        const { keys } = (await (await localhostFetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
        return keys.map((key) => key.kid).sort();
      };
      const first = await startWorld({ db });
      const before = await kids(first.issuer);
      await first.close();
      const second = await startWorld({ db });
      const after = await kids(second.issuer);
      expect(second.users.findByEmail('ada@example.com')?.name).toBe('Ada Lovelace');
      await second.close();
      expect(after).toEqual(before);
      expect(after).toHaveLength(2);
    });
  });
});
