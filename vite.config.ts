import { crx, type ManifestV3Export } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { hostMatchPatterns, PRODUCT_IDS, PRODUCTS, type Site } from './contract/catalogue';
import manifest from './manifest.json' with { type: 'json' };

// The manifest's host lists come from the catalogue, so a host is written once: the extension may reach the login
// host and every product host, and its content script runs on the product hosts.
const productSites: Site[] = PRODUCT_IDS.map((id) => PRODUCTS[id].site);
const builtManifest = {
  ...manifest,
  host_permissions: hostMatchPatterns(['login', ...productSites]),
  content_scripts: manifest.content_scripts.map((script) => ({ ...script, matches: hostMatchPatterns(productSites) })),
} as ManifestV3Export;

// The content script is named `*.iife.ts`, so CRXJS bundles it as one self-contained classic script instead of
// its default loader that import()s chunks through chrome.runtime.getURL (100–200 ms, and the chunks would
// become web-accessible to every product page). See docs/architecture.md, "Extension contexts".
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [crx({ manifest: builtManifest })],
  build: {
    target: 'chrome120',
    sourcemap: false,
    emptyOutDir: true,
  },
  server: { cors: { origin: [/chrome-extension:\/\//] } },
});
