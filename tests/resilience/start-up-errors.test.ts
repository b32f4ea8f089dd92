/**
 * Start-up errors (issue 9, reliability 4–5): each unusable database is one line naming the path and what to do,
 * exit code 2, no stack trace, and never "ready"; a busy port fails before anything is created.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { asUnprivileged, type SpawnOptions, scratchFolder, startServer } from './server-process';

async function refusal(args: string[], options: SpawnOptions = {}) {
  const port = await freePort();
  const server = startServer(['--port', String(port), ...args], options);
  const code = await server.exited;
  return { code, lines: server.stderrLines(), stdout: server.stdout() };
}

/** Exit 2, one line, no stack trace, never ready. */
function expectOneLine(result: Awaited<ReturnType<typeof refusal>>, line: string) {
  expect(result.code).toBe(2);
  expect(result.lines).toEqual([line]);
  expect(result.stdout).not.toContain('ready');
}

/** A world database that a server created and stopped cleanly. */
async function existingWorld(folder: string): Promise<string> {
  const path = join(folder, 'world.db');
  const port = await freePort();
  const server = startServer(['--port', String(port), '--db', path]);
  await server.ready;
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  return path;
}

describe('start-up errors', () => {
  it('refuses a file that is not a database', async () => {
    const path = join(scratchFolder(), 'garbage.db');
    writeFileSync(path, 'this is not a database\n'.repeat(200));
    expectOneLine(
      await refusal(['--db', path]),
      `mock-server: ${path} is not a usable world database (file is not a database); move it away, or start with --reset to create a new demo world there.`,
    );
  });

  it('refuses a truncated database found by the integrity check', async () => {
    const path = await existingWorld(scratchFolder());
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const result = await refusal(['--db', path]);
    expect(result.code).toBe(2);
    expect(result.lines).toHaveLength(1);
    expect(result.lines[0]).toMatch(
      new RegExp(
        `^mock-server: ${path.replaceAll('/', '\\/')} is not a usable world database \\(.+\\); move it away, or start with --reset to create a new demo world there\\.$`,
      ),
    );
  });

  it('replaces a file that is not a database when started with --reset', async () => {
    const path = join(scratchFolder(), 'garbage.db');
    writeFileSync(path, 'not a database');
    const server = startServer(['--port', String(await freePort()), '--db', path, '--reset']);
    await server.ready;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });

  it('refuses a database it cannot read', async () => {
    const path = await existingWorld(scratchFolder());
    chmodSync(path, 0o000);
    expectOneLine(
      await refusal(['--db', path], asUnprivileged()),
      `mock-server: ${path} cannot be read (permission denied); make it readable and writable, or give --db another path.`,
    );
  });

  it('refuses a read-only database: a database that cannot be written is not ready', async () => {
    const folder = scratchFolder();
    const path = await existingWorld(folder);
    chmodSync(path, 0o444);
    expectOneLine(
      await refusal(['--db', path], asUnprivileged()),
      `mock-server: ${path} is read-only; make it writable, or give --db another path.`,
    );
  });

  it('refuses a database whose folder cannot be written (no room for its journal)', async () => {
    const folder = scratchFolder();
    const path = await existingWorld(folder);
    chmodSync(path, 0o666);
    chmodSync(folder, 0o555);
    expectOneLine(
      await refusal(['--db', path], asUnprivileged()),
      `mock-server: ${folder} (the folder of ${path}) cannot be written; the database needs its journal there, so make it writable or give --db another path.`,
    );
  });

  it('refuses a directory given as --db', async () => {
    const folder = scratchFolder();
    expectOneLine(
      await refusal(['--db', folder]),
      `mock-server: ${folder} is a directory; give --db a file path, such as ${folder}/world.db.`,
    );
  });

  it('refuses to create a world on a full disk', async () => {
    // A 128 kB tmpfs in a mount namespace of the server's own (gone when it exits): too small for a world.
    const folder = scratchFolder();
    const disk = join(folder, 'disk');
    mkdirSync(disk);
    const path = join(disk, 'world.db');
    const root = process.getuid?.() === 0;
    const wrap = [
      'unshare',
      ...(root ? ['--mount'] : ['--mount', '--map-root-user']),
      'sh',
      '-c',
      `mount -t tmpfs -o size=128k tmpfs '${disk}' && exec "$@"`,
      'sh',
    ];
    expectOneLine(
      await refusal(['--db', path], { wrap }),
      `mock-server: the disk holding ${path} is full; free some space, or give --db a path on another disk.`,
    );
  });

  it('creates nothing when the port is busy', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((done) =>
      blocker.listen(0, '127.0.0.1', () => done((blocker.address() as { port: number }).port)),
    );
    const folder = scratchFolder();
    const path = join(folder, 'sub', 'world.db');
    try {
      const server = startServer(['--port', String(port), '--db', path]);
      expect(await server.exited).toBe(2);
      expect(server.stderrLines()).toEqual([
        `mock-server: cannot listen on 127.0.0.1:${port} (listen EADDRINUSE: address already in use 127.0.0.1:${port})`,
      ]);
      expect(server.stdout()).toBe('');
      expect(readdirSync(folder)).toEqual([]);
    } finally {
      blocker.close();
    }
  });

  it('announces a new database before creating it', async () => {
    const path = join(scratchFolder(), 'new', 'world.db');
    const server = startServer(['--port', String(await freePort()), '--db', path]);
    await server.ready;
    expect(server.stdout().split('\n')[0]).toBe(`mock-server: creating a new demo world at ${path}`);
    expect(existsSync(path)).toBe(true);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
