/**
 * Dev-server plugin for `npm run dev`: CRXJS 3.0 rebuilds an IIFE content script (and reloads the extension and
 * its pages) only when the entry file itself changes, not a module it imports. This touches the entry whenever a
 * source file the content script may import changes, so every content change reaches the page.
 */
import { utimesSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { Plugin } from 'vite';

export function touchContentEntryOnChange(entry: string, sourceDirs: readonly string[]): Plugin {
  const entryPath = resolve(entry);
  const dirs = sourceDirs.map((dir) => resolve(dir) + sep);
  return {
    name: 'uls:touch-content-entry',
    apply: 'serve',
    configureServer(server) {
      server.watcher.on('change', (file) => {
        if (file === entryPath || !dirs.some((dir) => file.startsWith(dir))) return;
        const now = new Date();
        utimesSync(entryPath, now, now);
      });
    },
  };
}
