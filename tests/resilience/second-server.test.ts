/**
 * One server per database (issue 9, reliability 1): a second server on the same file — with or without --reset —
 * refuses with one line and exit 2, and the first keeps its data and goes on serving.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { scratchFolder, startServer } from './server-process';
import { inspect, setUp, worldWithPeople } from './world-client';

describe('a second server on the same database', () => {
  it('refuses to start, with or without --reset, and touches nothing', async () => {
    const path = join(scratchFolder(), 'world.db');
    const people = await worldWithPeople(path, 3, 'second');
    const usersBefore = inspect(path, people).users;
    const port = await freePort();
    const first = startServer(['--port', String(port), '--db', path]);
    await first.ready;
    expect(await setUp(port, people[0]!)).toBe(true);

    for (const extra of [[], ['--reset']]) {
      const second = startServer(['--port', String(await freePort()), '--db', path, ...extra]);
      expect(await second.exited).toBe(2);
      expect(second.stderrLines()).toEqual([
        `mock-server: ${path} is in use by another mock-server; stop that server first, or give this one another --db.`,
      ]);
      expect(second.stdout()).not.toContain('ready');
    }

    // The first server still writes into the same, intact file.
    expect(await setUp(port, people[1]!)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const after = inspect(path, people);
    expect(after.integrity).toBe('ok');
    expect(after.done).toEqual([people[0]!.email, people[1]!.email]);
    expect(after.users).toBe(usersBefore);
  });

  it('starts on the file once the first server has stopped, even after a kill -9', async () => {
    const path = join(scratchFolder(), 'world.db');
    await worldWithPeople(path, 1, 'after-kill');
    const first = startServer(['--port', String(await freePort()), '--db', path]);
    await first.ready;
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startServer(['--port', String(await freePort()), '--db', path]);
    await second.ready;
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
