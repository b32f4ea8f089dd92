/**
 * How the dev loops end a part (scripts/lib/dev-session.ts `endGroup`): SIGTERM to the part's whole process group,
 * and SIGKILL to whatever of it still runs after the timeout — so a part that ignores SIGTERM (or a process it
 * started that does) cannot outlive the loop and keep the world's port. The dev-loop e2e tests cover the parts that
 * end on SIGTERM; this one the fallback.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { endGroup } from '../../scripts/lib/dev-session';

/** Whether `pid` runs (a zombie, never reaped where no init reaps orphans, has ended). */
function running(pid: number): boolean {
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return false;
  try {
    return readFileSync(stat, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/**
 * A part in its own process group, as the loop starts them: a process that starts a child of its own; with
 * `ignoreTerm`, both ignore SIGTERM. Resolves once both run, with the pid of the child's child.
 */
async function startPart(ignoreTerm: boolean): Promise<{ part: ChildProcess; grandchild: number }> {
  const ignore = ignoreTerm ? "process.on('SIGTERM', () => {});" : '';
  const grandchild = `${ignore} console.log('grandchild ' + process.pid); setInterval(() => {}, 1000);`;
  const script = `${ignore}
    const child = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], { stdio: ['ignore', 'inherit', 'inherit'] });
    setInterval(() => {}, 1000);`;
  const part = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  started.push(part);
  let out = '';
  const pid = await new Promise<number>((resolve, reject) => {
    part.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const found = /grandchild (\d+)/.exec(out);
      if (found) resolve(Number(found[1]));
    });
    part.once('exit', (code) => reject(new Error(`the part exited (${code}) before it was ready`)));
  });
  return { part, grandchild: pid };
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const part of started.splice(0)) {
    try {
      process.kill(-part.pid!, 'SIGKILL');
    } catch {
      // Ended already.
    }
  }
});

function exitSignal(part: ChildProcess): Promise<NodeJS.Signals | null> {
  if (part.exitCode !== null || part.signalCode !== null) return Promise.resolve(part.signalCode);
  return new Promise((done) => part.once('exit', (_code, signal) => done(signal)));
}

describe('ending a part of a dev loop', () => {
  it('ends a part that ends on SIGTERM, and what it started, with SIGTERM', async () => {
    const { part, grandchild } = await startPart(false);
    endGroup(part, 60_000);
    expect(await exitSignal(part)).toBe('SIGTERM');
    await expect.poll(() => running(grandchild), { timeout: 10_000 }).toBe(false);
  });

  it('kills a part that ignores SIGTERM, and what it started, once the timeout has passed', async () => {
    const { part, grandchild } = await startPart(true);
    endGroup(part, 3_000);
    // SIGTERM was sent to the whole group and ignored: both still run.
    await new Promise((done) => setTimeout(done, 500));
    expect(running(part.pid!)).toBe(true);
    expect(running(grandchild)).toBe(true);
    // Then the timeout's SIGKILL reaches both.
    expect(await exitSignal(part)).toBe('SIGKILL');
    await expect.poll(() => running(grandchild), { timeout: 10_000 }).toBe(false);
  });
});
