/**
 * A throw-away copy of the checkout for tests that run `npm start` or `npm run dev` and edit sources: the sources
 * are copied (so edits never touch the working tree), node_modules is hard-linked (fast, and Vite serves it as part
 * of the copy), and scripts run as a process group the test ends as a whole.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SOURCES = ['src', 'contract', 'scripts', 'mock-server', 'public'];
const ROOT_FILES = ['package.json', 'tsconfig.json', 'vite.config.ts', 'manifest.json', '.env.e2e'];

export interface CheckoutCopy {
  dir: string;
  /** Replaces `from` (which must occur) with `to` in a copied file. */
  edit(file: string, from: string, to: string): void;
  /**
   * `edit`, saved as some editors save: the file is emptied first, and written 20 ms later (two changes for a
   * watcher to see).
   */
  editInTwoSteps(file: string, from: string, to: string): void;
  /** Appends `text` to a copied file. */
  append(file: string, text: string): void;
  /** The processes running from the copy (their command line names its folder). */
  running(): { pid: number; command: string }[];
  remove(): void;
}

export function copyCheckout(): CheckoutCopy {
  const root = resolve(import.meta.dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'uls-checkout-'));
  for (const name of [...SOURCES, ...ROOT_FILES]) {
    if (existsSync(join(root, name))) cpSync(join(root, name), join(dir, name), { recursive: true });
  }
  // Hard links (Node's cpSync cannot make them), without Vite's dependency cache: the copy builds its own.
  const linked = spawnSync('cp', ['-al', join(root, 'node_modules'), join(dir, 'node_modules')]);
  if (linked.status !== 0) throw new Error(`cannot link node_modules: ${linked.stderr}`);
  rmSync(join(dir, 'node_modules', '.vite'), { recursive: true, force: true });
  const edited = (file: string, from: string, to: string) => {
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} has no "${from}" to edit`);
    return text.replace(from, to);
  };
  return {
    dir,
    edit(file, from, to) {
      writeFileSync(join(dir, file), edited(file, from, to));
    },
    editInTwoSteps(file, from, to) {
      const text = edited(file, from, to);
      writeFileSync(join(dir, file), '');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
      writeFileSync(join(dir, file), text);
    },
    append: (file, text) => appendFileSync(join(dir, file), text),
    running: () =>
      spawnSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
        .stdout.split('\n')
        .map((line) => line.trim().match(/^(\d+) (.*)$/))
        .filter((match) => match !== null && match[2]!.includes(dir))
        .map((match) => ({ pid: Number(match![1]), command: match![2]! })),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ScriptRun {
  child: ChildProcess;
  output(): string;
  /** How many times the output has said `text` so far. */
  count(text: string): number;
  /** Resolves when the output matches `pattern`; rejects if the script exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  /**
   * Ends the script and its process group, and waits for it to exit (a dev loop ends the process groups of its own
   * parts itself).
   */
  stop(): Promise<void>;
}

export function runScript(dir: string, script: string, args: string[], env: NodeJS.ProcessEnv): ScriptRun {
  const child = spawn(process.execPath, [join(dir, 'node_modules/tsx/dist/cli.mjs'), script, ...args], {
    cwd: dir,
    env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  return {
    child,
    output: () => out,
    count: (text) => out.split(text).length - 1,
    waitFor: (pattern) =>
      new Promise<void>((done, fail) => {
        const check = () => {
          if (pattern.test(out)) done();
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        check();
        void exited.then(() => fail(new Error(`${script} exited before printing ${pattern}:\n${out}`)));
      }),
    async stop() {
      const signal = (name: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, name);
        } catch {
          // The group is gone already.
        }
      };
      if (child.exitCode === null) signal('SIGTERM');
      await exited;
      // Whatever the script started and did not wait for.
      signal('SIGKILL');
    },
  };
}
