/**
 * Where the mock world lives for this build. The port is the only thing that varies (the e2e build uses its own),
 * so every origin the extension trusts or navigates to is derived here from the catalogue.
 */

import {
  DEFAULT_PORT,
  HOSTS,
  issuerFor,
  PRODUCT_IDS,
  PRODUCTS,
  type ProductId,
  siteOrigin,
} from '../../contract/catalogue';
import { isSafeNextPath } from '../../contract/next-path';

/** Port the extension was built for: `VITE_WORLD_PORT` at build time (`PORT=… npm start`, e2e), else the default. */
export const BUILD_PORT: number = Number(import.meta.env.VITE_WORLD_PORT || DEFAULT_PORT);

// The world's port can change at run time (the options page), so these are live bindings: each entry (background,
// popup, content script) calls `useWorldPort` once it knows the port, and every importer sees the new values.

/** Port of the mock world this context talks to. */
export let WORLD_PORT: number = BUILD_PORT;
/** The Twilio IdP's issuer identifier; also the origin of its JSON API. */
export let ISSUER: string = issuerFor(WORLD_PORT);
export let LOGIN_ORIGIN: string = siteOrigin('login', WORLD_PORT);
/** Origin of each product's site, e.g. `console` → `http://console.twilio.localhost:8787`. */
export let PRODUCT_ORIGINS: Readonly<Record<ProductId, string>> = productOrigins(WORLD_PORT);

function productOrigins(port: number): Record<ProductId, string> {
  return {
    console: siteOrigin(PRODUCTS.console.site, port),
    segment: siteOrigin(PRODUCTS.segment.site, port),
    sendgrid: siteOrigin(PRODUCTS.sendgrid.site, port),
  };
}

/** Points every origin above at the world on `port`. */
export function useWorldPort(port: number): void {
  WORLD_PORT = port;
  ISSUER = issuerFor(port);
  LOGIN_ORIGIN = siteOrigin('login', port);
  PRODUCT_ORIGINS = productOrigins(port);
}

/** The product whose site has exactly this origin (scheme, host and port), if any. */
export function productForOrigin(origin: string): ProductId | undefined {
  return PRODUCT_IDS.find((id) => PRODUCT_ORIGINS[id] === origin);
}

/**
 * The product served on this host name, whatever the port. The content script runs on the product hosts on any
 * port (manifest match patterns cannot name a port), so it recognises its page by host alone.
 */
export function productForHost(hostname: string): ProductId | undefined {
  return PRODUCT_IDS.find((id) => HOSTS[PRODUCTS[id].site] === hostname);
}

/**
 * Whether the extension may send the user to this URL: only http(s) URLs on the login host or a product host
 * of this world (the set-up pages, the products' `/login/twilio?next=…` routes, their homes), without
 * credentials, and with a `next` that, when present, is a same-origin relative path. Product URLs come from the
 * server; checking them keeps a bad response from turning the switcher into an open redirect or a
 * `javascript:` sink (the products check `next` too; this is the extension's own line).
 */
export function isAllowedDestination(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  // A blob: URL has its creator's origin; only http(s) is ever a place to go.
  if (!/^https?:$/.test(parsed.protocol) || parsed.username || parsed.password) return false;
  if (parsed.origin !== LOGIN_ORIGIN && productForOrigin(parsed.origin) === undefined) return false;
  return parsed.searchParams.getAll('next').every(isSafeNextPath);
}
