/**
 * The one rule for a `next` / `return_to` path, shared by the world (every redirect it follows) and the extension
 * (every `next` it sends or navigates with): only a same-origin relative path, never a way to another host.
 */

/** Longest `next` kept; longer ones are not a path any page of the world links to. */
export const MAX_NEXT_PATH_LENGTH = 512;

const PROBE_ORIGIN = 'http://next-path.invalid';

/**
 * Whether `value` is a path on the current origin (`/workspaces/ws_1?tab=x`).
 * Refused: absolute URLs (`https://evil.localhost/`), scheme-relative ones (`//evil.localhost`), backslashes, which
 * browsers read as `/` (`/\evil.localhost`), other schemes (`javascript:alert(1)`), whitespace and control
 * characters (a browser strips tabs and newlines, so `/\t/evil` becomes `//evil`), paths that normalise to `//evil`
 * (`/a/..//evil`: harmless as a Location, but not when a page echoes it as a link), and anything over
 * `MAX_NEXT_PATH_LENGTH`.
 */
export function isSafeNextPath(value: string | null | undefined): value is string {
  if (typeof value !== 'string' || value.length > MAX_NEXT_PATH_LENGTH) return false;
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s\p{Cc}]/u.test(value)) return false;
  let resolved: URL;
  try {
    resolved = new URL(value, PROBE_ORIGIN);
  } catch {
    return false;
  }
  return resolved.origin === PROBE_ORIGIN && !resolved.pathname.startsWith('//');
}

/** `value` when it is a safe `next` path (see `isSafeNextPath`), otherwise `/`. */
export function safeNextPath(value: string | null | undefined): string {
  return isSafeNextPath(value) ? value : '/';
}
