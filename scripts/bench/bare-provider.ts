/**
 * The bench's baseline: a bare oidc-provider on its own port (memory adapter, no pages, routes, middleware, keys or
 * database of ours), so the discovery throughput of our server can be compared with the library's own in the same
 * run. `bare-provider.ts <port>` enables what the world enables — the features, scopes, claims, response types
 * and signing algorithms that make up the discovery document — so both answer the same document and the ratio
 * is what the world adds around the library; `--defaults` keeps oidc-provider's default settings (a smaller
 * document), for reference.
 */
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

const port = Number(process.argv[2]);
const defaults = process.argv.includes('--defaults');
const client = { client_id: 'bare', client_secret: 'bare-secret', redirect_uris: ['http://example.localhost/cb'] };

async function signingKey(alg: 'RS256' | 'ES256') {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: alg };
}

/** The settings of mock-server/identity/provider.ts that show in discovery, with nothing of the world behind them. */
async function likeTheWorld(): Promise<Configuration> {
  return {
    clients: [client],
    jwks: { keys: [await signingKey('RS256'), await signingKey('ES256')] },
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'scim'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: { enabled: false },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
  };
}

const provider = new Provider(
  `http://login.twilio.localhost:${port}`,
  defaults ? { clients: [client] } : await likeTheWorld(),
);
createServer(provider.callback()).listen(port, '127.0.0.1', () => console.log('ready'));
