/**
 * `npm start`: builds the extension, starts the mock world, and opens Chromium with the extension loaded when a
 * display exists; otherwise prints how to load the unpacked extension by hand.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { openChromiumOrExplain } from './lib/chromium';
import { worldPortOf } from './lib/world-port';

const port = (() => {
  try {
    return worldPortOf(process.argv.slice(2));
  } catch (error) {
    console.error(`npm start: ${(error as Error).message}`);
    return process.exit(2);
  }
})();
const extensionDir = resolve('dist');

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

console.log(`Building the extension for the world on port ${port}…`);
// The built-in port of the extension is the world's (an options-page choice, when made, still wins).
run('npx', ['vite', 'build', '--logLevel', 'warn'], { ...process.env, VITE_WORLD_PORT: String(port) });

run('npm', ['run', 'build:server', '--silent']);
const server = spawn(process.execPath, ['dist-server/main.js', '--port', String(port), ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let browser: ChildProcess | undefined;

function stop(code = 0): void {
  browser?.kill('SIGTERM');
  server.kill('SIGTERM');
  server.once('exit', () => process.exit(code));
}
process.on('SIGINT', () => stop());
process.on('SIGTERM', () => stop());
server.on('exit', (code) => {
  browser?.kill('SIGTERM');
  process.exit(code ?? 0);
});

let opened = false;
server.stdout?.on('data', (chunk: Buffer) => {
  process.stdout.write(chunk);
  if (opened || !chunk.toString().includes('ready')) return;
  opened = true;
  browser = openChromiumOrExplain(extensionDir, port);
});
