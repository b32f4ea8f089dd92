/**
 * `npm run dev:firefox`: the mock world under tsx watch, and the Firefox build of the extension (`npm run
 * build:firefox`'s) rebuilt on every change into `dist-dev-firefox/` by Vite's build watch — CRXJS's dev server
 * serves Chromium only. Where a display exists, Firefox opens with it as a temporary add-on and the loop reloads
 * the add-on after each rebuild (popup, options page, background and content script alike); elsewhere it prints
 * how to load it in about:debugging and reload it there.
 */
import { siteOrigin } from '../contract/catalogue';
import { startDevSession } from './lib/dev-session';
import { type FirefoxWithExtension, findFirefox, launchFirefoxWithExtension } from './lib/firefox';
import { watchFirefoxBuild } from './lib/firefox-build-watch';
import { hasDisplay } from './lib/local-browsers';

const extensionDir = 'dist-dev-firefox';
const session = startDevSession('npm run dev:firefox');
const consoleUrl = `${siteOrigin('console', session.port)}/`;
const firefoxBinary = findFirefox();

let firefox: FirefoxWithExtension | undefined;
let builds = 0;
const watcher = await watchFirefoxBuild(extensionDir, session.port, async () => {
  builds += 1;
  console.log(`Built ${extensionDir}/ (${builds === 1 ? 'first build' : `rebuild ${builds - 1}`}).`);
  if (builds === 1) return onFirstBuild();
  if (!firefox?.browser.connected) return;
  await firefox.reload();
  console.log('Reloaded the add-on in Firefox.');
});
session.onStop(() => watcher.close());

async function onFirstBuild(): Promise<void> {
  await session.worldReady;
  if (session.stopping) return;
  if (firefoxBinary && hasDisplay()) {
    console.log(`Opening Firefox with the add-on (${extensionDir})…`);
    firefox = await launchFirefoxWithExtension(extensionDir, { headless: false });
    session.onStop(() => firefox?.close());
    firefox.browser.on('disconnected', () => {
      if (session.stopping) return;
      console.log(`Firefox was closed. ${extensionDir}/ goes on rebuilding: load it in about:debugging, or restart.`);
    });
    const [page] = await firefox.browser.pages();
    await (page ?? (await firefox.browser.newPage())).goto(consoleUrl);
    return;
  }
  console.log(`
No display${firefoxBinary ? '' : ' or Firefox'} here, so no browser was opened. To try it by hand:
  1. Open about:debugging#/runtime/this-firefox in Firefox 142 or later, "Load Temporary Add-on…" and choose
     ${extensionDir}/manifest.json
  2. Visit ${consoleUrl} and sign in from the toolbar button as ada@example.com / demo-pass-2026.
  3. After each "Built ${extensionDir}/" line, press Reload on the add-on in about:debugging.
Press Ctrl+C to stop.`);
}
