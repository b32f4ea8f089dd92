import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localhostFetch } from '../../mock-server/net';
import { DEMO_IDS } from '../../mock-server/seed';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
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

    it('keeps its signing keys and SAML certificates across a restart', async () => {
      const db = join(folder, 'world.db');
      const kids = async (issuer: string) => {
        const { keys } = (await (await localhostFetch(`${issuer}/jwks`)).json()) as { keys: { kid: string }[] };
        return keys.map((key) => key.kid).sort();
      };
      /** The signing certificates Twilio's SP (for Acme) and the Acme IdP publish in their metadata. */
      const certificates = async (started: Awaited<ReturnType<typeof startWorld>>) => {
        const published = async (url: string) => {
          const xml = await (await localhostFetch(url)).text();
          return /<ds:X509Certificate>([^<]+)</.exec(xml)?.[1];
        };
        return {
          sp: await published(serviceProviderUrls(started.urls.login, DEMO_IDS.acme).metadataUrl),
          acme: await published(started.acme.idp.entityId),
        };
      };
      const first = await startWorld({ db });
      const before = { kids: await kids(first.issuer), certificates: await certificates(first) };
      await first.close();
      const second = await startWorld({ db });
      const after = { kids: await kids(second.issuer), certificates: await certificates(second) };
      expect(second.users.findByEmail('ada@example.com')?.name).toBe('Ada Lovelace');
      await second.close();
      expect(after).toEqual(before);
      expect(after.kids).toHaveLength(2);
      // Two identities made at once are two: the SP's is not the IdP's.
      expect(after.certificates.sp).toMatch(/^MII/);
      expect(after.certificates.acme).toMatch(/^MII/);
      expect(after.certificates.sp).not.toBe(after.certificates.acme);
    });
  });
});
