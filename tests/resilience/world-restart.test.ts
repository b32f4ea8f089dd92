/**
 * A world started from a file (`--world FILE --db PATH`) starts again from its database alone (`--db PATH`): a
 * world without Twilio users is not taken for a new database (the demo world was imported on top of it, and the
 * start failed on an email both had), and the start-up says which world it is, not the demo's personas.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { scratchFolder, startServer } from './server-process';

async function startAndStop(args: string[]) {
  const server = startServer(['--port', String(await freePort()), ...args]);
  await server.ready;
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
  return server.stdout();
}

describe('a world file without Twilio users, started again without --world', () => {
  it('starts with its own world and says so', async () => {
    const folder = scratchFolder();
    const file = join(folder, 'segment-only.json');
    const db = join(folder, 'world.db');
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        twilio: { users: [] },
        segment: { users: [{ email: 'ben@example.com', name: 'Ben Only', password: 'segment-only-pass-2026' }] },
      }),
    );
    const first = await startAndStop(['--world', file, '--db', db]);
    expect(first.split('\n')[0]).toBe(`mock-server: creating a new world from ${file} at ${db}`);
    const again = await startAndStop(['--db', db]);
    expect(again).toContain('  World: seeded from a world file (Twilio users: none)\n');
    expect(again).not.toContain('Demo users');
    expect(again).not.toContain('creating a new');
  });
});
