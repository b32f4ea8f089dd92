/**
 * Finding Firefox, and launching it with the extension as a temporary add-on through puppeteer-core over WebDriver
 * BiDi: for the e2e tests (headless) and for `npm run dev:firefox` (on screen). Nothing here downloads a browser.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { FIREFOX_ADDON_ID } from '../../contract/catalogue';
import { firstExisting } from './local-browsers';

/** `FIREFOX_PATH`, else Debian's firefox-esr, else firefox. */
export function findFirefox(): string | undefined {
  return firstExisting([process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox']);
}

/** `findFirefox()`, else a clear error saying how to get one. */
export function firefoxPath(): string {
  const found = findFirefox();
  if (!found) {
    throw new Error(
      'No Firefox found. Install one (Debian: `apt-get install -y firefox-esr`) or set FIREFOX_PATH to its binary.',
    );
  }
  return found;
}

/**
 * The moz-extension:// host is a random UUID per profile; Firefox takes a preset one from this pref, so a test
 * (or a person's bookmark) knows where the popup lives.
 */
const EXTENSION_UUID = '3c7e0f52-9b1d-4a66-8d2e-5f4b7a1c9e08';

export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>` */
  extensionOrigin: string;
  addonId: string;
  /**
   * Installs the add-on again from its folder, as about:debugging's Reload does: same id, so its storage stays
   * and Firefox restarts its background and content scripts with the new files.
   */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(
  dir = 'dist-e2e-firefox',
  { headless = true }: { headless?: boolean } = {},
): Promise<FirefoxWithExtension> {
  const extensionDir = resolve(dir);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built Firefox extension in ${extensionDir}: run \`npm run build:e2e:firefox\` first.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: firefoxPath(),
    headless,
    // WebDriver BiDi refuses to navigate to moz-extension:// pages (the popup opened as a tab) without this.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: EXTENSION_UUID }),
    },
  });
  try {
    const addonId = await browser.installExtension(extensionDir);
    return {
      browser,
      extensionOrigin: `moz-extension://${EXTENSION_UUID}`,
      addonId,
      reload: async () => void (await browser.installExtension(extensionDir)),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
