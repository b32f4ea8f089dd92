/** Finding Chromium, and opening it with an unpacked extension for `npm start` and `npm run dev` (or explaining how). */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { siteOrigin } from '../../contract/catalogue';
import { firstExisting, hasDisplay } from './local-browsers';

/**
 * The one Chromium lookup of the repo (npm start, npm run dev, the e2e tests, the bench): `CHROME_PATH`, else
 * Debian's /usr/bin/chromium (or chromium-browser). Nothing here ever downloads a browser.
 */
export function findChromium(): string | undefined {
  return firstExisting([process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']);
}

/** `findChromium()`, else a clear error saying how to get one. */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found) {
    throw new Error(
      'No Chromium found. Install one (Debian: `apt-get install -y chromium`) or set CHROME_PATH to its binary.',
    );
  }
  return found;
}

/**
 * Turns on Developer mode in a Chromium profile, as a person loading an unpacked extension does: without it, a
 * reload of the extension (chrome.runtime.reload(), which the dev loop calls on a change) leaves it disabled as an
 * "unsupported developer extension". Keeps the rest of the profile's preferences.
 */
export function enableDeveloperMode(profileDir: string): void {
  const path = join(profileDir, 'Default', 'Preferences');
  mkdirSync(dirname(path), { recursive: true });
  let preferences: Record<string, unknown> = {};
  try {
    preferences = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    // A new profile (or one Chromium will rewrite anyway).
  }
  const extensions = (preferences.extensions ?? {}) as Record<string, unknown>;
  const ui = (extensions.ui ?? {}) as Record<string, unknown>;
  preferences.extensions = { ...extensions, ui: { ...ui, developer_mode: true } };
  writeFileSync(path, JSON.stringify(preferences));
}

/**
 * Chromium with the extension in `extensionDir`, on the Console of the world on `port`, when a display exists;
 * otherwise prints how to load it by hand and returns undefined.
 */
export function openChromiumOrExplain(extensionDir: string, port: number): ChildProcess | undefined {
  const consoleUrl = `${siteOrigin('console', port)}/`;
  const chromium = findChromium();
  if (chromium && hasDisplay()) {
    const profile = resolve('data/chromium-profile');
    enableDeveloperMode(profile);
    console.log(`Opening Chromium with the extension (${extensionDir})…`);
    return spawn(
      chromium,
      [
        `--user-data-dir=${profile}`,
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-first-run',
        '--disable-background-networking',
        consoleUrl,
      ],
      { stdio: 'ignore' },
    );
  }
  console.log(`
No display${chromium ? '' : ' or Chromium'} here, so no browser was opened. To try it by hand:
  1. Open chrome://extensions in Chromium, turn on "Developer mode".
  2. "Load unpacked" and choose ${extensionDir}
  3. Visit ${consoleUrl} and sign in from the toolbar button (Alt+Shift+L) as ada@example.com / demo-pass-2026.
Press Ctrl+C to stop.`);
  return undefined;
}
