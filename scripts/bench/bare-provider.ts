/**
 * The bench's baseline: a bare oidc-provider on its own port (memory adapter, no pages, routes, middleware, keys or
 * database of ours), so the discovery throughput of our server can be compared with the library's own in the same
 * run. `bare-provider.ts <port>` enables what the world enables — the features, scopes, claims, response types
 * and signing algorithms that make up the discovery document — so both answer the same document and the ratio
 * is what the world adds around the library; `--defaults` keeps oidc-provider's default settings (a smaller
 * document), for reference.
 *
 * `--login` also signs the extension's client in and refreshes its tokens, for the logins' comparison, the login
 * breakdown (login-breakdown.ts) and the refresh grants' comparison (server.ts): the world's metadata for that
 * client, its grant and refresh-token rules, the world's storage adapter on an in-memory database (so both sides pay
 * for the same storage), and one minimal page at the world's interaction URL that takes the email and password form,
 * verifies the password against one argon2id hash of the demo password (the world's own `verifyPassword`, the same
 * costs) and finishes the login for that email, with no throttling, cookie or other check. The verification stays
 * in because it costs a login more than its own CPU: a login of the world without it spent ≈ 0.7 ms less main-thread
 * CPU in its password step alone (most likely the caches its 19 MiB pass evicts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

const port = Number(process.argv[2]);
const defaults = process.argv.includes('--defaults');
const login = process.argv.includes('--login');
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

/**
 * What `--login` adds: the extension's client, the world's storage, and the world's grant and refresh-token rules
 * (every scope granted without a consent step; refresh tokens carry offline_access). The world's modules load only
 * here, so the discovery baseline stays the library alone.
 */
async function signingInTheExtension(): Promise<Configuration> {
  const { sqliteAdapter } = await import('../../mock-server/identity/adapter');
  const { clientMetadata } = await import('../../mock-server/identity/clients');
  const { issueRefreshToken, loadFirstPartyGrant } = await import('../../mock-server/identity/provider');
  const { openDatabase } = await import('../../mock-server/storage/database');
  return {
    clients: [client, ...clientMetadata([])],
    adapter: sqliteAdapter(openDatabase(':memory:')),
    cookies: { keys: ['bare-provider-cookie-key-for-the-bench'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: sub, email_verified: true }) }),
    conformIdTokenClaims: false,
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    issueRefreshToken,
    loadExistingGrant: loadFirstPartyGrant,
  };
}

const configuration = defaults ? { clients: [client] } : await likeTheWorld();
/** With `--login`: whether a password is the demo password, verified as the world verifies passwords. */
async function demoPasswordCheck(): Promise<(password: string) => Promise<boolean>> {
  const { hashPassword, verifyPassword } = await import('../../mock-server/accounts/passwords');
  const { DEMO_PASSWORD } = await import('../../mock-server/seed');
  const hash = await hashPassword(DEMO_PASSWORD);
  return (password) => verifyPassword(hash, password);
}
const isDemoPassword = login ? await demoPasswordCheck() : undefined;
const provider = new Provider(
  `http://login.twilio.localhost:${port}`,
  login ? { ...configuration, ...(await signingInTheExtension()) } : configuration,
);
const answer = provider.callback();

/** The minimal login page: the form the bench's browser fills, then its password verified and the login finished. */
async function loginPage(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { uid } = await provider.interactionDetails(req, res);
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(
      `<form method="post" action="/interaction/${uid}/login"><input type="hidden" name="csrf" value="bare">` +
        '<input name="email"><input name="password" type="password"></form>',
    );
    return;
  }
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  if (!(await isDemoPassword!(form.get('password') ?? ''))) {
    res.statusCode = 400;
    res.end('wrong password');
    return;
  }
  const accountId = form.get('email') ?? '';
  await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
}

/** With `--login`, the interaction URL gets the login page; without, the provider answers everything directly. */
function withLoginPage(req: IncomingMessage, res: ServerResponse): void {
  if (!req.url?.startsWith('/interaction/')) return void answer(req, res);
  loginPage(req, res).catch((error: unknown) => {
    res.statusCode = 500;
    res.end(String(error));
  });
}

createServer(login ? withLoginPage : answer).listen(port, '127.0.0.1', () => console.log('ready'));
