/**
 * The one guard against open redirects (DESIGN.md §4): every `next` / `return_to` the world follows goes through
 * `safeNextPath`, which keeps only a same-origin relative path and answers `/` for anything else.
 */

/** Longest `next` kept; longer ones are not a path any page of the world links to. */
export const MAX_NEXT_PATH_LENGTH = 512;

const PROBE_ORIGIN = 'http://next-path.invalid';

/**
 * `value` when it is a path on the current origin (`/workspaces/ws_1?tab=x`), otherwise `/`.
 * Refused: absolute URLs (`https://evil.localhost/`), scheme-relative ones (`//evil.localhost`), backslash tricks
 * that browsers read as `//` (`/\evil.localhost`), other schemes (`javascript:alert(1)`), control characters
 * (a browser strips tabs and newlines, so `/\t/evil` becomes `//evil`), paths that normalise to `//evil`
 * (`/a/..//evil`), and anything that resolves elsewhere.
 */
export function safeNextPath(value: string | null | undefined): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.length > MAX_NEXT_PATH_LENGTH) return '/';
  if (value.startsWith('//')) return '/';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (char === '\\' || code < 0x20 || code === 0x7f) return '/';
  }
  let resolved: URL;
  try {
    resolved = new URL(value, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  // `/a/..//evil` normalises to `//evil`: harmless as a Location, but a page that echoes it as a link is not.
  if (resolved.origin !== PROBE_ORIGIN || resolved.pathname.startsWith('//')) return '/';
  return value;
}
