import { crx } from '@crxjs/vite-plugin';
import { defineConfig } from 'vite';
import manifest from './manifest.json' with { type: 'json' };

// The content script is named `*.iife.ts`, so CRXJS bundles it as one self-contained classic script instead of
// its default loader that import()s chunks through chrome.runtime.getURL (100–200 ms, and the chunks would
// become web-accessible to every product page). See DESIGN.md §5.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  plugins: [crx({ manifest: manifest as Parameters<typeof crx>[0]['manifest'] })],
  build: {
    target: 'chrome120',
    sourcemap: false,
    emptyOutDir: true,
  },
  server: { cors: { origin: [/chrome-extension:\/\//] } },
});
