/**
 * `npm start`: builds the extension, starts the mock world, and opens Chromium with the extension loaded when a
 * display exists; otherwise prints how to load the unpacked extension by hand.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_PORT, siteOrigin } from '../contract/catalogue';

const port = Number(process.env.PORT || DEFAULT_PORT);
const extensionDir = resolve('dist');

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function findChromium(): string | undefined {
  return [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
    .filter((p): p is string => Boolean(p))
    .find((p) => existsSync(p));
}

console.log('Building the extension…');
run('npx', ['vite', 'build', '--logLevel', 'warn']);

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
  openBrowser();
});

function openBrowser(): void {
  const consoleUrl = `${siteOrigin('console', port)}/`;
  const chromium = findChromium();
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (chromium && hasDisplay) {
    const profile = resolve('data/chromium-profile');
    mkdirSync(profile, { recursive: true });
    console.log(`Opening Chromium with the extension (${extensionDir})…`);
    browser = spawn(
      chromium,
      [
        `--user-data-dir=${profile}`,
        `--disable-extensions-except=${extensionDir}`,
        `--load-extension=${extensionDir}`,
        '--no-first-run',
        '--disable-background-networking',
        consoleUrl,
      ],
      { stdio: 'ignore' },
    );
    return;
  }
  console.log(`
No display${chromium ? '' : ' or Chromium'} here, so no browser was opened. To try it by hand:
  1. Open chrome://extensions in Chromium, turn on "Developer mode".
  2. "Load unpacked" and choose ${extensionDir}
  3. Visit ${consoleUrl} and sign in from the toolbar button (Alt+Shift+L) as ada@example.com / demo-pass-2026.
Press Ctrl+C to stop the mock world.`);
}
