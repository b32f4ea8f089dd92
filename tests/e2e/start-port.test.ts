/**
 * `PORT=… npm start` builds the extension for the world's port: the build's options page names that port as its
 * built-in one and the popup signs in against the world there, with nothing set by hand. Runs `scripts/start.ts` (what
 * `npm start` runs after its dependency check) in a copy of the checkout, so its `dist/` is the copy's.
 */
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { type ExtensionBrowser, launchWithExtension } from '../../scripts/lib/extension-browser';
import { openPopup, signInFromPopup } from '../../scripts/lib/journeys';
import { type CheckoutCopy, copyCheckout, runScript, type ScriptRun } from './checkout-copy';

let copy: CheckoutCopy | undefined;
let start: ScriptRun | undefined;
let browser: ExtensionBrowser | undefined;
async function stopAll(): Promise<void> {
  await browser?.close();
  await start?.stop();
  browser = undefined;
  start = undefined;
}
afterEach(stopAll);
afterAll(() => copy?.remove());

/** Runs `npm start` in the copy with `args` and `env`, waits for the world on `port`, and loads the build. */
async function startOn(port: number, args: string[], env: NodeJS.ProcessEnv): Promise<ExtensionBrowser> {
  copy ??= copyCheckout();
  start = runScript(copy.dir, 'scripts/start.ts', ['--db', ':memory:', ...args], { VITE_WORLD_PORT: '', ...env });
  await start.waitFor(new RegExp(`ready on port ${port}`));
  expect(start.output()).toContain(`Building the extension for the world on port ${port}…`);
  browser = await launchWithExtension(join(copy.dir, 'dist'));
  return browser;
}

/** The build's options page names `port` as its built-in port (and the one in use). */
async function expectBuiltFor({ context, extensionOrigin }: ExtensionBrowser, port: number): Promise<void> {
  const options = await context.newPage();
  await options.goto(`${extensionOrigin}/src/options/index.html`);
  expect(await options.getByLabel('Port', { exact: true }).inputValue()).toBe(String(port));
  expect(await options.locator('#port-hint').textContent()).toContain(`Built-in: ${port}. In use: ${port}.`);
}

describe('npm start on another port', () => {
  it('PORT=<port> builds the extension for that port: its options page says so and ada signs in there', async () => {
    const port = await freePort();
    const { context, extensionOrigin } = await startOn(port, [], { PORT: String(port) });
    await expectBuiltFor(browser!, port);
    const popup = await openPopup(context, extensionOrigin);
    await signInFromPopup(context, popup, 'ada@example.com');
    await popup.getByText('ada@example.com').waitFor({ timeout: 30_000 });
  }, 240_000);

  it('npm start -- --port <port> builds for the port the world listens on, even with another PORT set', async () => {
    const port = await freePort();
    const built = await startOn(port, ['--port', String(port)], { PORT: String(await freePort()) });
    await expectBuiltFor(built, port);
  }, 240_000);
});
