import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import { reportContentScriptBuildErrors } from './scripts/content-script-build-errors.ts';
import { watchContentScriptImports } from './scripts/content-script-imports.ts';
import { firefoxManifest } from './scripts/firefox-manifest.ts';
import { chromiumManifest } from './scripts/manifest.ts';
import { popupAsOneScript } from './scripts/popup-one-script.ts';

type CrxManifest = Parameters<typeof crx>[0]['manifest'];

/** `EXTENSION_BROWSER=firefox` builds the Firefox variant (npm run build:firefox), anything else Chromium's. */
const browser = process.env.EXTENSION_BROWSER === 'firefox' ? 'firefox' : 'chrome';

// The content script is named `*.iife.ts`, so CRXJS bundles it as one self-contained classic script instead of
// its default loader that import()s chunks through chrome.runtime.getURL (100–200 ms, and the chunks would
// become web-accessible to every product page). See docs/architecture.md, "Extension contexts".
export default defineConfig(({ command }) => ({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [
    crx({
      manifest: (browser === 'firefox' ? firefoxManifest(chromiumManifest()) : chromiumManifest()) as CrxManifest,
      browser,
    }),
    popupAsOneScript(),
    watchContentScriptImports('src/content/main.iife.ts', ['src/content', 'src/shared', 'contract']),
    reportContentScriptBuildErrors(),
  ],
  build: {
    // `npm run dev` (CRXJS's dev server) writes its loader build beside the real ones, never over `dist/`.
    ...(command === 'serve' ? { outDir: browser === 'firefox' ? 'dist-dev-firefox' : 'dist-dev' } : {}),
    target: browser === 'firefox' ? 'firefox142' : 'chrome120',
    sourcemap: false,
    emptyOutDir: true,
  },
  server: { cors: { origin: [/chrome-extension:\/\//, /moz-extension:\/\//] } },
}));
