/**
 * The Firefox build of the extension, rebuilt on every change of what it is built from: Vite's build watch with
 * this repo's vite.config.ts (`EXTENSION_BROWSER=firefox`, as `npm run build:firefox`), written to `outDir`.
 */
import { build } from 'vite';

/**
 * How long a change must be followed by no other before it builds: a save written in steps (an editor that
 * truncates and then writes, a formatter run after it) builds once, never its broken half-way state.
 */
const BUILD_DELAY_MS = 150;

export interface FirefoxBuildWatch {
  close(): Promise<void>;
}

/**
 * Starts the watch; `onBuilt` runs after each complete build (the first included), one at a time. A failed build
 * is reported and the watch goes on: the next save that fixes it builds again.
 */
export async function watchFirefoxBuild(
  outDir: string,
  worldPort: number,
  onBuilt: () => Promise<void>,
): Promise<FirefoxBuildWatch> {
  // vite.config.ts reads both when it loads; the extension's built-in port is the world's.
  process.env.EXTENSION_BROWSER = 'firefox';
  process.env.VITE_WORLD_PORT = String(worldPort);
  const watcher = await build({ logLevel: 'warn', build: { outDir, watch: { buildDelay: BUILD_DELAY_MS } } });
  if (!('on' in watcher)) throw new Error('vite build did not start watching');
  let queue = Promise.resolve();
  // A failed build still ends with END: it must not count as built (the add-on would reload half a build).
  let failed = false;
  watcher.on('event', (event) => {
    if (event.code === 'START') failed = false;
    if (event.code === 'BUNDLE_END') void event.result.close();
    if (event.code === 'ERROR') {
      failed = true;
      // Vite has printed the error itself.
      console.error('The Firefox build failed (above); the next save builds again.');
    }
    if (event.code !== 'END' || failed) return;
    queue = queue.then(onBuilt).catch((error: Error) => console.error(`After the build: ${error.message}`));
  });
  return { close: () => watcher.close() };
}
