/**
 * The mock world as a real process (the bundle `npm run build:server` writes), for tests that kill, signal and
 * restart it: its output, a promise for "ready", and its exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SERVER_BUNDLE = resolve(import.meta.dirname, '../../dist-server/main.js');

/** oidc-provider's notice on Node 20 (see the README); every other line of output is the server's. */
const RUNTIME_NOTICE = /^oidc-provider WARNING: Unsupported runtime/;

export interface ServerProcess {
  child: ChildProcess;
  /** Resolves once the server printed "ready on port …"; rejects if it exits first. */
  ready: Promise<void>;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  stdout(): string;
  /** What the server wrote to stderr, without oidc-provider's runtime notice. */
  stderrLines(): string[];
}

export interface SpawnOptions {
  /** Run as this user (tests running as root use it to meet permissions, which root ignores). */
  uid?: number;
  /** Run through this command (e.g. `unshare`), the server's command line appended. */
  wrap?: string[];
}

export function startServer(args: string[], { uid, wrap = [] }: SpawnOptions = {}): ServerProcess {
  const command = [...wrap, process.execPath, SERVER_BUNDLE, ...args];
  const child = spawn(command[0]!, command.slice(1), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: '' },
    ...(uid === undefined ? {} : { uid, gid: uid }),
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | string>((done) =>
    child.on('exit', (code, signal) => done(code ?? signal ?? 'unknown')),
  );
  const ready = new Promise<void>((done, fail) => {
    const check = () => {
      if (/ready on port \d+/.test(out)) done();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => fail(new Error(`server exited (${code}) before ready: ${err || out}`)));
  });
  ready.catch(() => undefined);
  return {
    child,
    ready,
    exited,
    stdout: () => out,
    stderrLines: () => err.split('\n').filter((line) => line.trim() !== '' && !RUNTIME_NOTICE.test(line)),
  };
}

/** A fresh folder anyone may enter (so a server run as another user reaches files the test places there). */
export function scratchFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'world-resilience-'));
  chmodSync(folder, 0o755);
  return folder;
}

/** The unprivileged user for permission cases when the tests run as root (root reads and writes anything). */
export const NOBODY = 65_534;
export const asUnprivileged = (): SpawnOptions => (process.getuid?.() === 0 ? { uid: NOBODY } : {});
