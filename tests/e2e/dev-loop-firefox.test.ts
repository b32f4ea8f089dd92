/**
 * `npm run dev:firefox` in a copy of the checkout: the world starts and the Firefox build is written to
 * `dist-dev-firefox/`; an edit to a popup component, to a module only the content script imports, and to the
 * background each rebuild it, and the add-on, reloaded the way the loop reloads it where a display exists, shows
 * the edit — its storage kept across the reloads; a save written in two steps builds once; a save that does not
 * compile is reported and builds nothing.
 * (Firefox reads an unpacked add-on's pages from its folder, so the popup step shows the rebuild; the content
 * script and background steps need the reload.) The edits are made in the copy, so the working tree is never
 * touched. No timing is asserted: each step waits for its condition, generously.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { siteOrigin } from '../../contract/catalogue';
import { freePort } from '../../mock-server/net';
import { type FirefoxWithExtension, launchFirefoxWithExtension } from '../../scripts/lib/firefox';
import { type CheckoutCopy, copyCheckout, runScript, type ScriptRun } from './checkout-copy';
import { openExtensionPage } from './firefox';

const GENEROUS = { timeout: 90_000, interval: 500 };
const BUILT = /Built dist-dev-firefox\/ \((?:first build|rebuild (\d+))\)\./g;

let copy: CheckoutCopy | undefined;
let dev: ScriptRun | undefined;
let firefox: FirefoxWithExtension | undefined;
afterAll(async () => {
  await firefox?.close();
  await dev?.stop();
  copy?.remove();
});

/** How many builds the loop has announced so far. */
const builds = () => [...dev!.output().matchAll(BUILT)].length;

/** Edits a file in the copy, waits for the loop's next build, and reloads the add-on as the loop does. */
async function editAndReload(file: string, [from, to]: [string, string]): Promise<void> {
  const before = builds();
  copy!.edit(file, from, to);
  await expect.poll(builds, GENEROUS).toBeGreaterThan(before);
  await firefox!.reload();
}

/** The popup, opened afresh as a tab. */
async function openPopup(): Promise<Page> {
  return openExtensionPage(firefox!.browser, `${firefox!.extensionOrigin}/src/popup/index.html`);
}

/** What the add-on's storage holds under `key`, read from one of its pages. */
function stored(page: Page, key: string): Promise<unknown> {
  return page.evaluate(async (k) => (await chrome.storage.local.get(k))[k], key);
}

describe('npm run dev:firefox', () => {
  it('rebuilds the Firefox add-on on every change, and the reloaded add-on shows each edit', async () => {
    copy = copyCheckout();
    const port = await freePort();
    dev = runScript(copy.dir, 'scripts/dev-firefox.ts', ['--db', ':memory:'], { PORT: String(port) });
    await dev.waitFor(new RegExp(`ready on port ${port}`));
    await dev.waitFor(/Built dist-dev-firefox\/ \(first build\)/);
    // Without a display the loop says how to load and reload the add-on by hand.
    await dev.waitFor(/about:debugging.*\n.*dist-dev-firefox\/manifest\.json/);
    expect(existsSync(join(copy.dir, 'dist-dev-firefox', 'manifest.json'))).toBe(true);
    firefox = await launchFirefoxWithExtension(join(copy.dir, 'dist-dev-firefox'));

    let popup = await openPopup();
    await popup.waitForSelector('::-p-text(Sign in with Twilio)');
    await popup.evaluate(() => chrome.storage.local.set({ devLoopKept: 'kept' }));
    await popup.close();

    // A popup component changes.
    await editAndReload('src/popup/components/SignedOut.tsx', [
      'Sign in with Twilio\n',
      'Sign in with Twilio, edited\n',
    ]);
    popup = await openPopup();
    await popup.waitForSelector('::-p-text(Sign in with Twilio, edited)', GENEROUS);
    expect(await stored(popup, 'devLoopKept')).toBe('kept');
    await popup.close();

    // A module only the content script imports changes: the product page gets the new script.
    const segment = await firefox.browser.newPage();
    await segment.goto(`${siteOrigin('segment', port)}/login`);
    const marker = () => segment.evaluate(() => document.documentElement.dataset.devLoop);
    expect(await marker()).toBeUndefined();
    await editAndReload('src/content/dom.ts', [
      '/** The one DOM helper',
      "document.documentElement.dataset.devLoop = 'content edited';\n/** The one DOM helper",
    ]);
    await segment.reload();
    await expect.poll(marker, GENEROUS).toBe('content edited');

    // The background changes: the reloaded add-on runs the new one.
    await editAndReload('src/background/index.ts', [
      'browser.runtime.onMessage.addListener(onMessage);',
      "browser.runtime.onMessage.addListener(onMessage);\nvoid chrome.storage.local.set({ devLoop: 'background edited' });",
    ]);
    popup = await openPopup();
    await expect.poll(() => stored(popup, 'devLoop'), GENEROUS).toBe('background edited');
    expect(await stored(popup, 'devLoopKept')).toBe('kept');
    await popup.close();

    // A save written in two steps (the file emptied, then written) builds once: never the empty file's build
    // in between, which would reload the add-on with a broken popup. Builds run one after another, so any build
    // of that save has been announced by the time the next save's failure is reported (below).
    const beforeTwoSteps = builds();
    copy.editInTwoSteps(
      'src/popup/components/SignedOut.tsx',
      'Sign in with Twilio, edited\n',
      'Sign in with Twilio, saved\n',
    );
    await expect.poll(builds, GENEROUS).toBeGreaterThan(beforeTwoSteps);
    popup = await openPopup();
    await popup.waitForSelector('::-p-text(Sign in with Twilio, saved)', GENEROUS);
    await popup.close();

    // A save that does not compile is reported and counts as no build (the add-on is not reloaded with half a
    // build); the save that fixes it builds again.
    const before = beforeTwoSteps + 1;
    const failures = () => dev!.count('The Firefox build failed (above); the next save builds again.');
    const failed = failures();
    copy.edit('src/popup/components/SignedOut.tsx', 'Sign in with Twilio, saved\n', 'Sign in with Twilio, saved\n{\n');
    await expect.poll(failures, GENEROUS).toBeGreaterThan(failed);
    expect(builds()).toBe(before);
    copy.edit('src/popup/components/SignedOut.tsx', 'Sign in with Twilio, saved\n{\n', 'Sign in with Twilio, fixed\n');
    await expect.poll(builds, GENEROUS).toBe(before + 1);
  }, 300_000);
});
