/**
 * The Twilio IdP: oidc-provider configured for this world. The library does the protocol (RFC 9700 defaults:
 * exact redirect URIs, PKCE S256 for everyone, single-use codes, `iss` in responses, no password grant); this
 * file only decides policy and wires our users, storage, pages and keys.
 */
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { EXTENSION_CLIENT_ID, issuerFor, PRODUCTS, siteOrigin } from '../../contract/catalogue';
import type { UserStore } from '../accounts/users';
import { PAGE_HEADERS } from '../html';
import { localhostFetch } from '../net';
import { SCIM_SCOPE } from '../scim/scim-apps';
import type { Db } from '../storage/database';
import { sqliteAdapter } from './adapter';
import { afterProviderPosts } from './after-posts';
import {
  allowedCorsOrigins,
  clientMayUseOrigin,
  clientMetadata,
  type ProductClient,
  type SupportClient,
} from './clients';
import { AccountSessions, revokeExtensionAfterSignOut } from './end-sessions';
import { acceptHashedClientSecrets } from './hashed-client-secrets';
import { loadCookieKeys, loadSigningKeys } from './keys';
import { interactionPolicyFor } from './login-hint-policy';
import { LOGIN_NOTICE_PARAM, logoutPage, messagePage, signedOutPage } from './pages';
import { withPageHeaders } from './provider-headers';
import { EXTERNAL_SIGNING_FEATURE, nodeSigningKeys } from './signing-keys';
import { burnCodeOfFailedExchange } from './single-try-codes';
import { onlyOwnTokens } from './token-policy';

/** Access tokens are short-lived; the extension refreshes before expiry. */
export const ACCESS_TOKEN_TTL_SECONDS = 10 * 60;

export interface IdentityProviderOptions {
  port: number;
  db: Db;
  users: UserStore;
  clients: readonly ProductClient[];
  /** The support page's own client (access requests). */
  supportClient?: SupportClient;
}

function setPageHeaders(ctx: KoaContextWithOIDC): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
}

/**
 * Every client of this IdP is first-party, so there is no consent screen: the requested scopes are added to the
 * user's grant for the client (created on first use) and the authorization continues.
 */
export async function loadFirstPartyGrant(ctx: KoaContextWithOIDC) {
  const { oidc } = ctx;
  const client = oidc.client!;
  const session = oidc.session!;
  const accountId = session.accountId!;
  const grantId = oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  let grant = grantId ? await oidc.provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== accountId || grant.clientId !== client.clientId)) grant = undefined;
  grant ??= new oidc.provider.Grant({ accountId, clientId: client.clientId });
  const requested = [...oidc.requestParamOIDCScopes].join(' ');
  if (requested) grant.addOIDCScope(requested);
  // oidc-provider drops offline_access from a request without prompt=consent; a client allowed refresh tokens
  // (the extension) is granted it anyway, so its refresh tokens carry it and a refresh re-sending it succeeds.
  if (client.grantTypeAllowed('refresh_token')) grant.addOIDCScope('offline_access');
  await grant.save();
  return grant;
}

/**
 * The extension gets a refresh token even when the browser did not ask for prompt=consent (which oidc-provider
 * requires before it keeps offline_access in the scope).
 */
export const issueRefreshToken: NonNullable<Configuration['issueRefreshToken']> = async (_ctx, client, code) => {
  if (!client.grantTypeAllowed('refresh_token')) return false;
  if (!code.scopes.has('offline_access') && client.clientId !== EXTENSION_CLIENT_ID) return false;
  // The refresh token takes the code's scope: it is issued for offline access, so it says so.
  if (!code.scopes.has('offline_access') && code.scope !== undefined) code.scope = `${code.scope} offline_access`;
  return true;
};

export async function createIdentityProvider({
  port,
  db,
  users,
  clients,
  supportClient,
}: IdentityProviderOptions): Promise<Provider> {
  const corsOrigins = allowedCorsOrigins(port);
  /** The home of the product whose client asks to sign out; the Console's for any other (the extension, none). */
  const homeOf = (clientId: string | undefined) => {
    const product = Object.values(PRODUCTS).find((candidate) => candidate.clientId === clientId) ?? PRODUCTS.console;
    return `${siteOrigin(product.site, port)}/`;
  };
  const configuration: Configuration = {
    adapter: sqliteAdapter(db),
    clients: clientMetadata(clients, supportClient),
    jwks: { keys: nodeSigningKeys(await loadSigningKeys(db)) },
    cookies: {
      keys: await loadCookieKeys(db),
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    findAccount(_ctx, sub) {
      const user = users.findById(sub);
      // A user deactivated by their organization has no account here: no login, refresh or userinfo.
      if (!user?.active) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, email: user.email, email_verified: true, name: user.name }),
      };
    },
    claims: { openid: ['sub', 'amr'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', SCIM_SCOPE],
    // Put email and name in the ID token too: the extension and the products read them from there.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    // A product's hint of why it sent the user here (e.g. a retired product password); only known values are shown.
    extraParams: [LOGIN_NOTICE_PARAM],
    allowOmittingSingleRegisteredRedirectUri: false,
    clientBasedCORS: (_ctx, origin, client) => clientMayUseOrigin(corsOrigins, client.clientId, origin),
    loadExistingGrant: loadFirstPartyGrant,
    issueRefreshToken,
    // The extension's tokens outlive the IdP browser session; the products' are tied to it.
    expiresWithSession: async (ctx, code) =>
      ctx.oidc.client?.clientId !== EXTENSION_CLIENT_ID && !code.scopes.has('offline_access'),
    // Node cannot resolve *.localhost: back-channel logouts (the provider's only outgoing requests here) go through
    // the world's localhost agent, which also replaces oidc-provider's SSRF-guarding dispatcher (it refuses loopback).
    fetch: (url, options) => localhostFetch(url, options as RequestInit),
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: interactionPolicyFor(users),
    },
    features: {
      devInteractions: { enabled: false },
      // Signatures through node:crypto (signing-keys.ts).
      externalSigningSupport: EXTERNAL_SIGNING_FEATURE,
      revocation: { enabled: true, allowedPolicy: onlyOwnTokens },
      introspection: { enabled: true, allowedPolicy: onlyOwnTokens },
      // SCIM apps (organization provisioning clients) get their access tokens with the client credentials grant.
      clientCredentials: { enabled: true },
      resourceIndicators: { enabled: false },
      // Sign out everywhere: each product the session reached gets a logout token (see clients.ts).
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          setPageHeaders(ctx);
          // "No, stay signed in" only goes back (to the product that asked, else the Console): oidc-provider's own
          // "no" would still end that product's session (its grant revoked, a back-channel logout sent to it).
          ctx.body = logoutPage(form, homeOf(ctx.oidc.client?.clientId));
        },
        postLogoutSuccessSource: async (ctx) => {
          setPageHeaders(ctx);
          ctx.body = signedOutPage(ctx.oidc.client?.clientName);
        },
      },
    },
    ttl: {
      AccessToken: ACCESS_TOKEN_TTL_SECONDS,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      RefreshToken: (ctx, _token, client) => {
        // oidc-provider's default: a rotated public-client refresh token keeps its predecessor's expiry.
        const rotated = ctx?.oidc?.entities.RotatedRefreshToken;
        if (rotated && client.clientAuthMethod === 'none') return rotated.remainingTTL;
        return 14 * 24 * 60 * 60;
      },
      // SCIM apps' tokens: an hour, then the provisioning client asks again.
      ClientCredentials: 60 * 60,
      Interaction: 60 * 60,
      Session: 14 * 24 * 60 * 60,
      Grant: 14 * 24 * 60 * 60,
    },
    renderError: async (ctx, out) => {
      setPageHeaders(ctx);
      ctx.body = messagePage(
        'Sign-in could not continue',
        out.error_description ?? out.error ?? 'The request was not valid.',
      );
    },
  };
  const provider = new Provider(issuerFor(port), configuration);
  withPageHeaders(provider);
  acceptHashedClientSecrets(provider);
  afterProviderPosts(provider, [
    burnCodeOfFailedExchange(provider),
    revokeExtensionAfterSignOut(new AccountSessions(provider, db)),
  ]);
  provider.on('backchannel.error', (_ctx, error, client) =>
    console.warn('[identity] back-channel logout failed', client.clientId, error.message),
  );
  provider.on('server_error', (_ctx, error) => console.error('[identity] server_error', error));
  return provider;
}
