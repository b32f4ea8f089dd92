/**
 * What `npm run dev` and `npm run dev:firefox` share: the world's port, read from the arguments as the server reads
 * it; the mock world under `tsx watch` (restarted on every change under mock-server/ or contract/); and the
 * processes and watchers the loop started, all ended together on Ctrl+C or when one of them exits.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { worldPortOf } from './world-port';

export interface DevSession {
  /** The world's port (the extension is built for it). */
  port: number;
  /** Resolves once the world first prints "ready". */
  worldReady: Promise<void>;
  /** Whether the loop is ending. */
  readonly stopping: boolean;
  /** Starts a process whose exit ends the loop; its standard output is left to the caller. */
  start(command: string, args: string[], env?: NodeJS.ProcessEnv): ChildProcess;
  /** Something else to end with the loop (a browser window, a build watcher). */
  onStop(end: () => unknown): void;
}

/** How long a part of the loop has to end after SIGTERM (the world drains its requests first) before SIGKILL. */
const END_TIMEOUT_MS = 15_000;

/** SIGTERM to the child's process group; SIGKILL to what is left of it after `timeoutMs`. */
export function endGroup(child: ChildProcess, timeoutMs = END_TIMEOUT_MS): void {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name);
    } catch {
      // The group has ended already.
    }
  };
  signal('SIGTERM');
  setTimeout(() => signal('SIGKILL'), timeoutMs).unref();
}

export function startDevSession(command: string): DevSession {
  const args = process.argv.slice(2);
  let port: number;
  try {
    port = worldPortOf(args);
  } catch (error) {
    console.error(`${command}: ${(error as Error).message}`);
    process.exit(2);
  }
  const ends: Array<() => unknown> = [];
  let stopping = false;
  function stop(code = 0): void {
    if (stopping) return;
    stopping = true;
    for (const end of ends) void Promise.resolve(end()).catch(() => undefined);
    process.exitCode = code;
  }
  // The parts are in their own process groups (below), so a closed terminal's SIGHUP reaches only this process.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop());

  function start(name: string, childArgs: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
    // Each in its own process group, ended as a whole: `npx` runs the command through npm and a shell, and a
    // signal to `npx` alone would leave the command running (the world holding its port after the loop ended).
    const child = spawn(name, childArgs, { stdio: ['ignore', 'pipe', 'inherit'], env, detached: true });
    ends.push(() => endGroup(child));
    child.on('exit', (code, signal) => {
      if (!stopping) console.error(`${command}: \`${[name, ...childArgs].join(' ')}\` ended; stopping the loop.`);
      stop(code ?? (signal ? 1 : 0));
    });
    return child;
  }

  const world = start('npx', [
    'tsx',
    'watch',
    '--clear-screen=false',
    'mock-server/main.ts',
    '--port',
    String(port),
    ...args,
  ]);
  const worldReady = new Promise<void>((ready) => {
    world.stdout?.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      if (chunk.toString().includes('ready')) ready();
    });
  });

  return {
    port,
    worldReady,
    get stopping() {
      return stopping;
    },
    start,
    onStop: (end) => ends.push(end),
  };
}
