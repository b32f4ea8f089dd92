/**
 * `npm run dev`: the mock world, restarted on every change under mock-server/ (tsx watch), and the extension from
 * CRXJS's dev server: the popup and options page update in place (Vite HMR), a change to the background reloads
 * the extension, and a change to the content script reloads it and the product pages it runs on. The dev build
 * goes to `dist-dev/` (load that one); Chromium opens with it when a display exists.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { openChromiumOrExplain } from './lib/chromium';
import { worldPortOf } from './lib/world-port';

const port = (() => {
  try {
    return worldPortOf(process.argv.slice(2));
  } catch (error) {
    console.error(`npm run dev: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
const extensionDir = 'dist-dev';
const children: ChildProcess[] = [];

function start(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  children.push(child);
  child.on('exit', (code) => stop(code ?? 0));
  return child;
}

let stopping = false;
function stop(code = 0): void {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  process.exitCode = code;
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());

// The extension talks to the world on this port (its built-in port; an options-page choice still wins). The dev
// server itself is on Vite's 5173 unless DEV_SERVER_PORT says otherwise (the dev build loads its code from there).
const devServerPort = process.env.DEV_SERVER_PORT;
const vite = start('npx', ['vite', ...(devServerPort ? ['--port', devServerPort, '--strictPort'] : [])], {
  ...process.env,
  VITE_WORLD_PORT: String(port),
});
vite.stdout?.pipe(process.stdout);

const world = start('npx', [
  'tsx',
  'watch',
  '--clear-screen=false',
  'mock-server/main.ts',
  '--port',
  String(port),
  ...process.argv.slice(2),
]);
let opened = false;
world.stdout?.on('data', async (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (opened || !chunk.toString().includes('ready')) return;
  opened = true;
  // CRXJS writes the dev build once its server is up.
  while (!existsSync(`${extensionDir}/manifest.json`) && !stopping) await sleep(200);
  const browser = openChromiumOrExplain(extensionDir, port);
  if (browser) children.push(browser);
});
