/**
 * The product catalogue: every host, origin, client id and product name, written down once.
 * The extension (and its manifest, generated in vite.config.ts), the mock server and the tests all import from here.
 */

/** Default port of the mock world (docs/architecture.md, "Hosts and port"). */
export const DEFAULT_PORT = 8787;

/**
 * Fixed extension id, derived from the public `key` in manifest.json, so the IdP can register the exact
 * redirect URI of `chrome.identity.launchWebAuthFlow`.
 */
export const EXTENSION_ID = 'ahnjchalgogoggmfhdchclcelfebfphd';
/** Path of the extension's redirect URIs (`identity.getRedirectURL('oidc')`). */
export const EXTENSION_REDIRECT_PATH = 'oidc';
/** oidc-provider refuses chrome-extension:// redirect URIs; Chrome's identity API uses this https one instead. */
export const EXTENSION_REDIRECT_URI = `https://${EXTENSION_ID}.chromiumapp.org/${EXTENSION_REDIRECT_PATH}`;
/** The Firefox add-on id (`browser_specific_settings.gecko.id`), fixed so its redirect URI is fixed too. */
export const FIREFOX_ADDON_ID = 'unified-login-switcher@twilio.example';
/**
 * Firefox's `identity.getRedirectURL()` is `https://<hex SHA-1 of the add-on id>.extensions.allizom.org/<path>`;
 * a unit test recomputes the hash and the Firefox e2e test compares it with what Firefox returns.
 */
export const FIREFOX_REDIRECT_URI = `https://b32ad2399259cca0e70cab8fcb4d282b1c3f6acd.extensions.allizom.org/${EXTENSION_REDIRECT_PATH}`;
/** Every redirect URI the IdP registers for the extension's client: Chromium's, then Firefox's. */
export const EXTENSION_REDIRECT_URIS: readonly string[] = [EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI];
export const EXTENSION_CLIENT_ID = 'switcher-extension';
/** Scopes the extension asks for: identity plus a refresh token so it can refresh before expiry. */
export const EXTENSION_SCOPE = 'openid email profile offline_access';
/**
 * Scopes the extension asks for at a refresh: its own but `openid`, so the IdP answers without a new ID token (OIDC
 * Core §12.2 allows either). The grant fixes who is signed in, and the extension verified the first ID token; a
 * new one would cost the IdP a signature per refresh for nothing. The rotated refresh token keeps every scope.
 */
export const EXTENSION_REFRESH_SCOPE = EXTENSION_SCOPE.split(' ')
  .filter((scope) => scope !== 'openid')
  .join(' ');

export const HOSTS = {
  login: 'login.twilio.localhost',
  console: 'console.twilio.localhost',
  segment: 'app.segment.localhost',
  sendgrid: 'app.sendgrid.localhost',
  /** Acme's own identity provider (a SAML 2.0 IdP), which the organization Acme connected for SSO. */
  acme: 'sso.acme.localhost',
} as const;
export type Site = keyof typeof HOSTS;

export type ProductId = 'console' | 'segment' | 'sendgrid';
export const PRODUCT_IDS: readonly ProductId[] = ['console', 'segment', 'sendgrid'];

/**
 * The products a Twilio user sets up on first switch (link or create a product user); the Console is the Twilio
 * account itself. These are also the products whose login pages redirect on a detected unified email.
 */
export const SETUP_PRODUCT_IDS = ['segment', 'sendgrid'] as const satisfies readonly ProductId[];
export type SetupProductId = (typeof SETUP_PRODUCT_IDS)[number];

export interface Product {
  id: ProductId;
  name: string;
  /** The site of the mock world that serves the product. */
  site: Site;
  /** OIDC client id of the product's own relying party. */
  clientId: string;
  blurb: string;
}

export const PRODUCTS: Record<ProductId, Product> = {
  console: {
    id: 'console',
    name: 'Twilio Console',
    site: 'console',
    clientId: 'console',
    blurb: 'Messaging, voice and your Twilio account',
  },
  segment: {
    id: 'segment',
    name: 'Segment',
    site: 'segment',
    clientId: 'segment',
    blurb: 'Customer data platform',
  },
  sendgrid: {
    id: 'sendgrid',
    name: 'SendGrid',
    site: 'sendgrid',
    clientId: 'sendgrid',
    blurb: 'Email delivery',
  },
};

/**
 * The origin of a site of the mock world as a browser reports it (`location.origin`, a message sender's origin):
 * `http://<host>:<port>`, without the port when it is http's default, 80.
 */
export function siteOrigin(site: Site, port: number = DEFAULT_PORT): string {
  return new URL(`http://${HOSTS[site]}:${port}`).origin;
}

/** The Twilio IdP's issuer identifier. */
export function issuerFor(port: number = DEFAULT_PORT): string {
  return siteOrigin('login', port);
}

/**
 * Match patterns for every host of the world on any port (manifest match patterns cannot name a port); the
 * manifest's host permissions and content-script matches are built from these.
 */
export function hostMatchPatterns(sites: readonly Site[]): string[] {
  return sites.map((site) => `http://${HOSTS[site]}/*`);
}
