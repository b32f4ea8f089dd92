/**
 * `npm run dev` in a copy of the checkout: the world and CRXJS's dev server start, Chromium loads the dev build
 * (`dist-dev/`), and edits reach it — the open popup shows an edited component without being reopened, an edit to a
 * module the content script imports reaches the product page, and an edit to the background reloads the extension.
 * The edits are made in the copy, so the working tree is never touched. No timing is asserted: each step waits for
 * its condition, generously.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { siteOrigin } from '../../contract/catalogue';
import { freePort } from '../../mock-server/net';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/lib/extension-browser';
import { type CheckoutCopy, copyCheckout, runScript, type ScriptRun } from './checkout-copy';

const GENEROUS = { timeout: 90_000, interval: 500 };

let copy: CheckoutCopy | undefined;
let dev: ScriptRun | undefined;
let browser: ExtensionBrowser | undefined;
afterAll(async () => {
  await browser?.close();
  await dev?.stop();
  copy?.remove();
});

/** What a service worker of the extension answers for `read`, or undefined while it is gone or starting. */
async function askWorkers(workers: readonly Worker[], read: () => unknown): Promise<unknown[]> {
  return Promise.all(workers.map((worker) => worker.evaluate(read).catch(() => undefined)));
}

describe('npm run dev', () => {
  it('hot-reloads the popup, and reloads the content script and the background on change', async () => {
    copy = copyCheckout();
    const port = await freePort();
    dev = runScript(copy.dir, 'scripts/dev.ts', ['--db', ':memory:'], {
      PORT: String(port),
      DEV_SERVER_PORT: String(await freePort()),
      VITE_WORLD_PORT: '',
    });
    await dev.waitFor(new RegExp(`ready on port ${port}`));
    const manifest = join(copy.dir, 'dist-dev', 'manifest.json');
    await expect.poll(() => existsSync(manifest), GENEROUS).toBe(true);
    browser = await launchWithExtension(join(copy.dir, 'dist-dev'));
    const { context, extensionOrigin } = browser;

    // The popup, open, updates itself when a component changes.
    const popup = await context.newPage();
    await popup.goto(`${extensionOrigin}/src/popup/index.html`);
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor(GENEROUS);
    copy.edit('src/popup/components/SignedOut.tsx', 'Sign in with Twilio\n', 'Sign in with Twilio, edited\n');
    await popup.getByRole('button', { name: 'Sign in with Twilio, edited' }).waitFor(GENEROUS);

    // A module the content script imports (not its entry file) changes: the product page gets the new script.
    const segment = await context.newPage();
    await segment.goto(`${siteOrigin('segment', port)}/login`);
    const marker = () => segment.evaluate(() => document.documentElement.dataset.devLoop).catch(() => undefined);
    expect(await marker()).toBeUndefined();
    copy.edit(
      'src/content/dom.ts',
      '/** The one DOM helper',
      "document.documentElement.dataset.devLoop = 'content edited';\n/** The one DOM helper",
    );
    await expect
      .poll(async () => {
        // CRXJS reloads the page itself; loading it again as well keeps the wait independent of that.
        if ((await marker()) === undefined) await segment.reload().catch(() => undefined);
        return marker();
      }, GENEROUS)
      .toBe('content edited');

    // The background changes: the extension reloads with the new service worker.
    copy.edit(
      'src/background/index.ts',
      'browser.runtime.onMessage.addListener(onMessage);',
      "browser.runtime.onMessage.addListener(onMessage);\n(globalThis as Record<string, unknown>).devLoop = 'background edited';",
    );
    await expect
      .poll(
        async () =>
          askWorkers(context.serviceWorkers(), () => (globalThis as unknown as Record<string, unknown>).devLoop),
        GENEROUS,
      )
      .toContain('background edited');
  }, 300_000);
});
