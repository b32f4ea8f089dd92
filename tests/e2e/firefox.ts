/**
 * Launches Debian's Firefox ESR (never a downloaded one) headless through puppeteer-core over WebDriver BiDi, and
 * installs the built Firefox extension as a temporary add-on.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, ProtocolError } from 'puppeteer-core';
import { FIREFOX_ADDON_ID } from '../../contract/catalogue';

/** `FIREFOX_PATH`, else Debian's firefox-esr, else firefox, else a clear error saying how to get one. */
export function firefoxPath(): string {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter((p): p is string =>
    Boolean(p),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(
      'No Firefox found. Install one (Debian: `apt-get install -y firefox-esr`) or set FIREFOX_PATH to its binary.',
    );
  }
  return found;
}

/**
 * The moz-extension:// host is a random UUID per profile; Firefox takes a preset one from this pref, so the test
 * knows where the popup lives.
 */
const EXTENSION_UUID = '3c7e0f52-9b1d-4a66-8d2e-5f4b7a1c9e08';

export interface FirefoxWithExtension {
  browser: Browser;
  /** `moz-extension://<uuid>` */
  extensionOrigin: string;
  addonId: string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(dir = 'dist-e2e-firefox'): Promise<FirefoxWithExtension> {
  const extensionDir = resolve(dir);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built Firefox extension in ${extensionDir}: run \`npm run build:e2e:firefox\` first.`);
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: firefoxPath(),
    headless: true,
    // WebDriver BiDi refuses to navigate to moz-extension:// pages (the popup opened as a tab) without this.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: EXTENSION_UUID }),
    },
  });
  try {
    const addonId = await browser.installExtension(extensionDir);
    return { browser, extensionOrigin: `moz-extension://${EXTENSION_UUID}`, addonId, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** How long an extension page gets to open. */
const OPEN_TIMEOUT_MS = 30_000;

/**
 * Opens an extension page as a tab. BiDi reports no load event for moz-extension:// documents, so this waits for
 * the document itself instead of the navigation. A check that lands in the blank document as the navigation tears
 * it down fails with a protocol error from Firefox's remote agent (seen once in CI-like runs: "right-hand side of
 * 'in' should be an object, got null"); the next check runs in the page's own document, so the wait goes on.
 */
export async function openExtensionPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  const navigation = page.goto(url).catch(() => undefined);
  const deadline = Date.now() + OPEN_TIMEOUT_MS;
  for (;;) {
    try {
      await page.waitForFunction(
        (href) => location.href === href && document.readyState === 'complete',
        {
          timeout: Math.max(1, deadline - Date.now()),
        },
        url,
      );
      break;
    } catch (error) {
      const torn = error instanceof Error && error.cause instanceof ProtocolError;
      if (!torn || Date.now() >= deadline) throw error;
    }
  }
  void navigation;
  return page;
}
