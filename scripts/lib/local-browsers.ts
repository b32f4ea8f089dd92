/** What the Chromium and Firefox launchers share: finding the installed browser, and whether a window can open. */
import { existsSync } from 'node:fs';

/** The first of the paths that exists: an environment override first, then the Debian package's binaries. */
export function firstExisting(paths: readonly (string | undefined)[]): string | undefined {
  return paths.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

/** Whether this session has a display a browser window can open on. */
export const hasDisplay = (): boolean => Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
