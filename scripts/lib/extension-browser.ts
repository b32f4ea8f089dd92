/**
 * Launches Debian's Chromium (never a downloaded one) with the built extension loaded, for e2e tests, the
 * screenshots and the bench.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';
import { EXTENSION_ID } from '../../contract/catalogue';
import { chromiumPath, enableDeveloperMode } from './chromium';

export interface ExtensionBrowser {
  context: BrowserContext;
  serviceWorker: Worker;
  extensionOrigin: string;
  close(): Promise<void>;
}

/** Starts Chromium with the unpacked extension in `dir` (default dist-e2e) and waits for its service worker. */
export async function launchWithExtension(
  dir = 'dist-e2e',
  opts: { headless?: boolean } = {},
): Promise<ExtensionBrowser> {
  const extensionDir = resolve(dir);
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}: run \`npm run build:e2e\` first.`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'uls-profile-'));
  enableDeveloperMode(profile);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: opts.headless ?? true,
    viewport: { width: 1200, height: 800 },
    args: [
      `--disable-extensions-except=${extensionDir}`,
      `--load-extension=${extensionDir}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const serviceWorker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionOrigin = `chrome-extension://${new URL(serviceWorker.url()).host}`;
  if (extensionOrigin !== `chrome-extension://${EXTENSION_ID}`) {
    await context.close();
    throw new Error(
      `Extension loaded with id ${extensionOrigin}, expected ${EXTENSION_ID}: is manifest.json's key intact?`,
    );
  }
  return {
    context,
    serviceWorker,
    extensionOrigin,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Chromium without the extension: what a user without it (or with it disabled) gets. */
export async function launchPlain(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
  const context = await browser.newContext();
  return { context, close: () => browser.close() };
}
