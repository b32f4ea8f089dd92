/**
 * CRXJS 3.0 rebuilds an IIFE content script only when the entry file itself changes, not a module it imports, and
 * those modules are outside the main build's module graph. For `npm run dev` (CRXJS's dev server) this touches the
 * entry whenever a source file the content script may import changes, so CRXJS rebuilds it and reloads the
 * extension and its pages; for `npm run dev:firefox` (Vite's build watch) it adds those files to the watch, so
 * their change rebuilds the extension, content script included.
 */
import { readdirSync, utimesSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export function watchContentScriptImports(entry: string, sourceDirs: readonly string[]): Plugin {
  const entryPath = resolve(entry);
  const dirs = sourceDirs.map((dir) => resolve(dir) + sep);
  return {
    name: 'uls:content-script-imports',
    configureServer(server) {
      server.watcher.on('change', (file) => {
        if (file === entryPath || !dirs.some((dir) => file.startsWith(dir))) return;
        const now = new Date();
        utimesSync(entryPath, now, now);
      });
    },
    buildStart() {
      if (!this.meta.watchMode) return;
      for (const dir of dirs) {
        for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
          if (entry.isFile()) this.addWatchFile(join(entry.parentPath, entry.name));
        }
      }
    },
  };
}
