/**
 * The OIDC clients the Twilio IdP knows: the three products' relying parties (confidential) and the extension
 * (a public client using PKCE, redirecting to its chromiumapp.org URI in Chromium and its allizom.org URI in
 * Firefox). Every redirect URI is matched exactly.
 */

import type { ClientMetadata } from 'oidc-provider';
import {
  EXTENSION_CLIENT_ID,
  EXTENSION_ID,
  EXTENSION_REDIRECT_URIS,
  PRODUCTS,
  type ProductId,
  siteOrigin,
} from '../../contract/catalogue';
import type { Db } from '../storage/database';
import { loadClientSecret } from './keys';

/** Where a product's relying party receives the authorization response. */
export const BACKCHANNEL_LOGOUT_PATH = '/backchannel-logout';
export const CALLBACK_PATH = '/callback';
/**
 * Where the Twilio login sends a relying party after "Yes, sign me out" (with the `state` of its sign-out): only
 * then does the product end its own session. "No, stay signed in" goes back to the product's home instead.
 */
export const POST_LOGOUT_PATH = '/signed-out';

export interface ProductClient {
  productId: ProductId;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
}

/** The confidential client of each product, with its secret from the database. */
export async function productClients(db: Db, port: number): Promise<ProductClient[]> {
  return Promise.all(
    Object.values(PRODUCTS).map(async (product) => {
      const origin = siteOrigin(product.site, port);
      return {
        productId: product.id,
        clientId: product.clientId,
        clientSecret: await loadClientSecret(db, product.clientId),
        redirectUri: `${origin}${CALLBACK_PATH}`,
        postLogoutRedirectUri: `${origin}${POST_LOGOUT_PATH}`,
      };
    }),
  );
}

/** Support's page on the login host signs its operators in as a confidential client of its own. */
export const SUPPORT_CLIENT_ID = 'support';
export const SUPPORT_CALLBACK_PATH = '/support/callback';
export type SupportClient = Omit<ProductClient, 'productId'>;

export async function supportClient(db: Db, port: number): Promise<SupportClient> {
  const origin = siteOrigin('login', port);
  return {
    clientId: SUPPORT_CLIENT_ID,
    clientSecret: await loadClientSecret(db, SUPPORT_CLIENT_ID),
    redirectUri: `${origin}${SUPPORT_CALLBACK_PATH}`,
    postLogoutRedirectUri: `${origin}/support`,
  };
}

export function clientMetadata(products: readonly ProductClient[], support?: SupportClient): ClientMetadata[] {
  const confidential = products.map(
    (client): ClientMetadata => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      client_name: PRODUCTS[client.productId].name,
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [client.redirectUri],
      post_logout_redirect_uris: [client.postLogoutRedirectUri],
      // Sign out everywhere: the IdP POSTs a logout token (with the IdP session's sid) to each product.
      backchannel_logout_uri: `${new URL(client.redirectUri).origin}${BACKCHANNEL_LOGOUT_PATH}`,
      backchannel_logout_session_required: true,
      // auth_time in every ID token: the Console's settings accept a login under 5 minutes old as re-authentication.
      require_auth_time: true,
    }),
  );
  const extension: ClientMetadata = {
    client_id: EXTENSION_CLIENT_ID,
    client_name: 'Unified Login Switcher',
    token_endpoint_auth_method: 'none',
    application_type: 'web',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...EXTENSION_REDIRECT_URIS],
    // It refreshes its tokens often and gets an ID token each time: ES256 is as strong as RS256 and signs in a tenth
    // of the CPU time. Its own verification (jose) takes any key of the JWKS.
    id_token_signed_response_alg: 'ES256',
  };
  const supportPage: ClientMetadata[] = support
    ? [
        {
          client_id: support.clientId,
          client_secret: support.clientSecret,
          client_name: 'Twilio support',
          token_endpoint_auth_method: 'client_secret_basic',
          application_type: 'web',
          grant_types: ['authorization_code'],
          response_types: ['code'],
          redirect_uris: [support.redirectUri],
          post_logout_redirect_uris: [support.postLogoutRedirectUri],
        },
      ]
    : [];
  return [...confidential, extension, ...supportPage];
}

/**
 * Firefox gives an installed add-on a random `moz-extension://<UUID>` origin per profile, so the IdP cannot list
 * the extension's Firefox origin; it accepts this shape for the extension's own (public, PKCE) client only.
 */
const FIREFOX_EXTENSION_ORIGIN = /^moz-extension:\/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `clientId` may call the provider's CORS endpoints (token, revocation) from `origin`. */
export function clientMayUseOrigin(corsOrigins: ReadonlySet<string>, clientId: string, origin: string): boolean {
  return corsOrigins.has(origin) || (clientId === EXTENSION_CLIENT_ID && FIREFOX_EXTENSION_ORIGIN.test(origin));
}

/** Origins allowed to call the provider's CORS endpoints and the JSON API from a browser. */
export function allowedCorsOrigins(port: number): Set<string> {
  return new Set([
    `chrome-extension://${EXTENSION_ID}`,
    ...Object.values(PRODUCTS).map((product) => siteOrigin(product.site, port)),
  ]);
}
