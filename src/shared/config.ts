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

/** Port of the mock world; `VITE_WORLD_PORT` at build time (the e2e build sets 18787), else the default. */
export const WORLD_PORT: number = Number(import.meta.env.VITE_WORLD_PORT || DEFAULT_PORT);

/** The Twilio IdP's issuer identifier; also the origin of its JSON API. */
export const ISSUER: string = issuerFor(WORLD_PORT);
export const LOGIN_ORIGIN: string = siteOrigin('login', WORLD_PORT);

/** Origin of each product's site, e.g. `console` → `http://console.twilio.localhost:8787`. */
export const PRODUCT_ORIGINS: Readonly<Record<ProductId, string>> = {
  console: siteOrigin(PRODUCTS.console.site, WORLD_PORT),
  segment: siteOrigin(PRODUCTS.segment.site, WORLD_PORT),
  sendgrid: siteOrigin(PRODUCTS.sendgrid.site, WORLD_PORT),
};

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

/** A same-origin relative path: one leading `/`, not `//` or `/\` (which browsers read as another host). */
function isRelativePath(value: string): boolean {
  return /^\/(?![/\\])/.test(value) && !/[\s\p{Cc}]/u.test(value);
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
  return parsed.searchParams.getAll('next').every(isRelativePath);
}
