/**
 * kill -9 in the middle of ~100 concurrent set-ups (issue 9, reliability): after a restart on the same file every
 * acknowledged set-up is there, nothing is half-done, and SQLite's integrity check is ok.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { scratchFolder, startServer } from './server-process';
import { inspect, setUp, worldWithPeople } from './world-client';

const PEOPLE = 99;
/** Acknowledged set-ups before the kill: well into the burst, with the rest still in flight. */
const KILL_AFTER = 30;

describe('a kill -9 during set-ups', () => {
  it('keeps every acknowledged set-up and leaves nothing half-done', async () => {
    const path = join(scratchFolder(), 'world.db');
    const people = await worldWithPeople(path, PEOPLE, 'crash');
    const port = await freePort();
    const server = startServer(['--port', String(port), '--db', path]);
    await server.ready;

    const acknowledged: string[] = [];
    const outcomes = await Promise.allSettled(
      people.map(async (person) => {
        const done = await setUp(port, person);
        if (!done) return;
        acknowledged.push(person.email);
        if (acknowledged.length === KILL_AFTER) server.child.kill('SIGKILL');
      }),
    );
    expect(await server.exited).toBe('SIGKILL');
    // Some set-ups were still in flight: the kill really happened mid-way.
    expect(outcomes.some((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);

    // The same file serves again (its start-up runs the integrity check and the write probe).
    const restarted = startServer(['--port', String(await freePort()), '--db', path]);
    await restarted.ready;
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);

    const after = inspect(path, people);
    expect(after.integrity).toBe('ok');
    expect(after.done).toEqual(expect.arrayContaining(acknowledged));
    expect(after.halfDone).toEqual({
      linkWithoutAuditEvent: 0,
      auditEventWithoutLink: 0,
      linkedWithLivePassword: 0,
      workspaceWithoutOwner: 0,
      accountWithoutAdmin: 0,
    });
  });
});
