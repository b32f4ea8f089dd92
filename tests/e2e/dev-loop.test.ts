/**
 * `npm run dev` in a copy of the checkout: the world and CRXJS's dev server start, Chromium loads the dev build
 * (`dist-dev/`), and edits reach it — the open popup shows an edited component without being reopened, an edit to a
 * module the content script imports reaches the product page (a save of it that does not compile is reported and
 * ends nothing), and an edit to the background reloads the extension; and when one part of the loop exits, the whole
 * loop ends, leaving nothing running.
 * The edits are made in the copy, so the working tree is never touched. No timing is asserted: each step waits for
 * its condition, generously.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { siteOrigin } from '../../contract/catalogue';
import { bindPort } from '../../mock-server/http-server';
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

/** Whether `reached()` turns true within `ms`, checking every quarter second. */
async function within(ms: number, reached: () => Promise<boolean>): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await reached()) return true;
    await new Promise((done) => setTimeout(done, 250));
  }
  return reached();
}

/**
 * Makes an edit in the copy and waits until `reached()` (at most 90 s). A change can land while the page or the
 * reloaded extension is still connecting to the dev server and be missed, as a person saving twice would notice:
 * so while nothing has happened, the file changes again (a comment), every 10 s.
 */
async function editUntil(file: string, [from, to]: [string, string], reached: () => Promise<boolean>) {
  copy!.edit(file, from, to);
  for (let change = 1; change <= 9; change += 1) {
    if (await within(10_000, reached)) return;
    copy!.append(file, `\n// dev-loop test: change ${change}\n`);
  }
  throw new Error(`${file} was edited, but the extension never showed it:\n${dev!.output().slice(-3000)}`);
}

/** What a service worker of the extension answers for `read`, or undefined while it is gone or starting. */
async function askWorkers(workers: readonly Worker[], read: () => unknown): Promise<unknown[]> {
  return Promise.all(workers.map((worker) => worker.evaluate(read).catch(() => undefined)));
}

/** `npm run dev` in a new copy of the checkout (each test its own: a loop may still be ending), ready on its port. */
async function freshLoop() {
  const own = copyCheckout();
  const port = await freePort();
  const loop = runScript(own.dir, 'scripts/dev.ts', ['--db', ':memory:'], {
    PORT: String(port),
    DEV_SERVER_PORT: String(await freePort()),
    VITE_WORLD_PORT: '',
  });
  try {
    await loop.waitFor(new RegExp(`ready on port ${port}`));
  } catch (error) {
    await loop.stop();
    own.remove();
    throw error;
  }
  return { own, port, loop };
}

describe('npm run dev', () => {
  it('hot-reloads the popup, and reloads the content script and the background on change', async () => {
    const started = await freshLoop();
    ({ own: copy, loop: dev } = started);
    const { port } = started;
    const manifest = join(copy.dir, 'dist-dev', 'manifest.json');
    await expect.poll(() => existsSync(manifest), GENEROUS).toBe(true);
    browser = await launchWithExtension(join(copy.dir, 'dist-dev'));
    const { context, extensionOrigin } = browser;

    // The popup, open, updates itself when a component changes.
    const popup = await context.newPage();
    await popup.goto(`${extensionOrigin}/src/popup/index.html`);
    await popup.getByRole('button', { name: 'Sign in with Twilio' }).waitFor(GENEROUS);
    const edited = popup.getByRole('button', { name: 'Sign in with Twilio, edited' });
    await editUntil(
      'src/popup/components/SignedOut.tsx',
      ['Sign in with Twilio\n', 'Sign in with Twilio, edited\n'],
      async () => (await edited.count()) === 1,
    );

    // A module the content script imports (not its entry file) changes: the product page gets the new script.
    const segment = await context.newPage();
    await segment.goto(`${siteOrigin('segment', port)}/login`);
    const marker = () => segment.evaluate(() => document.documentElement.dataset.devLoop).catch(() => undefined);
    expect(await marker()).toBeUndefined();
    await editUntil(
      'src/content/dom.ts',
      [
        '/** The one DOM helper',
        "document.documentElement.dataset.devLoop = 'content edited';\n/** The one DOM helper",
      ],
      async () => {
        // CRXJS reloads the page itself; loading it again as well keeps the wait independent of that.
        if ((await marker()) === undefined) await segment.reload().catch(() => undefined);
        return (await marker()) === 'content edited';
      },
    );

    // A save of a content-script module that does not compile is reported, and the loop goes on (CRXJS alone would
    // end its dev server, and `npm run dev` with it); the save that fixes it reaches the product page.
    const failures = () => dev!.count('The content script build failed (above); the next save builds again.');
    const failed = failures();
    const outputBefore = dev.output().length;
    copy.edit('src/content/dom.ts', "devLoop = 'content edited';", "devLoop = 'content edited' +;");
    await expect.poll(failures, GENEROUS).toBeGreaterThan(failed);
    // The report says where: the bundler's own message, with the file and line.
    expect(dev.output().slice(outputBefore)).toMatch(/src\/content\/dom\.ts:\d+:\d+/);
    expect(dev.child.exitCode).toBeNull();
    let reloaded = 0;
    await editUntil('src/content/dom.ts', ["devLoop = 'content edited' +;", "devLoop = 'content fixed';"], async () => {
      // The old script keeps running until the fixed one loads; a reload every 2 s at most picks it up.
      if ((await marker()) !== 'content fixed' && Date.now() - reloaded > 2_000) {
        reloaded = Date.now();
        await segment.reload().catch(() => undefined);
      }
      return (await marker()) === 'content fixed';
    });

    // The background changes: the extension reloads with the new service worker.
    const read = () => (globalThis as unknown as Record<string, unknown>).devLoop;
    await editUntil(
      'src/background/index.ts',
      [
        'browser.runtime.onMessage.addListener(onMessage);',
        "browser.runtime.onMessage.addListener(onMessage);\n(globalThis as Record<string, unknown>).devLoop = 'background edited';",
      ],
      async () => (await askWorkers(context.serviceWorkers(), read)).includes('background edited'),
    );
  }, 300_000);

  /** Nothing of the loop runs from its copy any more, and its port is free for the next run. */
  async function expectAllEnded(own: CheckoutCopy, port: number) {
    await expect.poll(() => own.running(), GENEROUS).toEqual([]);
    expect(await canListen(port), `port ${port} is free`).toBe(true);
  }

  it('ends as a whole when one of its parts exits: nothing of it keeps running, and the port is free again', async () => {
    const { own, port, loop } = await freshLoop();
    try {
      const vite = own.running().find(({ command }) => command.includes('node_modules/.bin/vite '));
      expect(vite, 'the dev server runs from the copy').toBeDefined();
      // The dev server dies (as it did on a content script that did not compile).
      process.kill(vite!.pid, 'SIGKILL');
      await expect.poll(() => loop.child.exitCode, GENEROUS).not.toBeNull();
      expect(loop.child.exitCode).not.toBe(0);
      expect(loop.output()).toMatch(/npm run dev: `npx vite [^`]*` ended; stopping the loop\./);
      await expectAllEnded(own, port);
    } finally {
      await loop.stop();
      own.remove();
    }
  }, 180_000);

  it('ends as a whole when its terminal closes (SIGHUP)', async () => {
    const { own, port, loop } = await freshLoop();
    try {
      // A closed terminal hangs up the loop's process group (`npm run dev` and the script): not the parts, which
      // run in their own groups, so the loop must end them.
      process.kill(-loop.child.pid!, 'SIGHUP');
      await expect.poll(() => loop.child.exitCode ?? loop.child.signalCode, GENEROUS).not.toBeNull();
      await expectAllEnded(own, port);
    } finally {
      await loop.stop();
      own.remove();
    }
  }, 180_000);
});

/** Whether the world could bind 127.0.0.1:`port` now (nothing else holds it). */
function canListen(port: number): Promise<boolean> {
  return bindPort(port).then(
    (server) => new Promise<boolean>((closed) => server.close(() => closed(true))),
    () => false,
  );
}
