/**
 * The Chromium manifest as built: manifest.json plus the host lists, generated from the catalogue so each host is
 * written once. The extension may reach the login host and every product host; its content script runs on the
 * product hosts (on any port: match patterns cannot name one).
 */
import { hostMatchPatterns, PRODUCT_IDS, PRODUCTS, type Site } from '../contract/catalogue.ts';
import manifest from '../manifest.json' with { type: 'json' };

const productSites: Site[] = PRODUCT_IDS.map((id) => PRODUCTS[id].site);

export function chromiumManifest() {
  return {
    ...manifest,
    host_permissions: hostMatchPatterns(['login', ...productSites]),
    content_scripts: manifest.content_scripts.map((script) => ({
      ...script,
      matches: hostMatchPatterns(productSites),
    })),
  };
}
