/**
 * `npm run dev`: the mock world, restarted on every change under mock-server/ (tsx watch), and the extension from
 * CRXJS's dev server: the popup and options page update in place (Vite HMR), a change to the background reloads
 * the extension, and a change to the content script reloads it and the product pages it runs on. The dev build
 * goes to `dist-dev/` (load that one); Chromium opens with it when a display exists. Firefox's loop is
 * `npm run dev:firefox` (scripts/dev-firefox.ts).
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openChromiumOrExplain } from './lib/chromium';
import { startDevSession } from './lib/dev-session';

const extensionDir = 'dist-dev';
const session = startDevSession('npm run dev');

// The extension talks to the world on this port (its built-in port; an options-page choice still wins). The dev
// server itself is on Vite's 5173 unless DEV_SERVER_PORT says otherwise (the dev build loads its code from there).
const devServerPort = process.env.DEV_SERVER_PORT;
const vite = session.start('npx', ['vite', ...(devServerPort ? ['--port', devServerPort, '--strictPort'] : [])], {
  ...process.env,
  VITE_WORLD_PORT: String(session.port),
});
vite.stdout?.pipe(process.stdout);

await session.worldReady;
// CRXJS writes the dev build once its server is up.
while (!existsSync(`${extensionDir}/manifest.json`) && !session.stopping) await sleep(200);
if (!session.stopping) {
  const browser = openChromiumOrExplain(extensionDir, session.port);
  if (browser) session.onStop(() => browser.kill('SIGTERM'));
}
