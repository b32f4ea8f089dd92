/** Gzip sizes of what the browser loads for the content script and for the popup, from a built extension. */
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const gz = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

/** Every file a page or script pulls in: `<script src>`, `<link href>`, static and dynamic `import`s. */
function closure(dist: string, entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const text = readFileSync(join(dist, entry), 'utf8');
  const refs = entry.endsWith('.html')
    ? [...text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1]!)
    : [...text.matchAll(/(?:from|import)\s*\(?\s*["'`]([^"'`]+\.js)["'`]/g)].map((m) => m[1]!);
  for (const ref of refs) {
    const path = ref.startsWith('/') ? ref.slice(1) : posix.join(dirname(entry), ref);
    closure(dist, posix.normalize(path), seen);
  }
  return seen;
}

export function bundleSizes(dist: string): {
  contentScriptGzipBytes: number;
  popupGzipBytes: number;
  popupFiles: string[];
} {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8')) as {
    content_scripts: { js: string[] }[];
    action: { default_popup: string };
  };
  const contentFiles = manifest.content_scripts.flatMap((c) => c.js.flatMap((js) => [...closure(dist, js)]));
  const popupFiles = [...closure(dist, manifest.action.default_popup)];
  const sum = (files: string[]) => [...new Set(files)].reduce((n, f) => n + gz(join(dist, f)), 0);
  return { contentScriptGzipBytes: sum(contentFiles), popupGzipBytes: sum(popupFiles), popupFiles };
}
