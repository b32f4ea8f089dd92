/**
 * `--export-world FILE` writes the whole file or nothing: the world goes to a temporary file beside FILE, renamed
 * into place once written, so a full disk (or a crash) mid-write leaves an earlier export at FILE as it was. A
 * failed export is one line naming FILE and the cause, exit 2, as the server's other start-up errors.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../mock-server/net';
import { scratchFolder, startServer } from './server-process';

/** A world file big enough that its export needs more than one page of a tmpfs (≈ 40 kB). */
function largeWorld(): string {
  const users = Array.from({ length: 300 }, (_, i) => ({
    email: `person-${i}@example.com`,
    name: `Person Number ${i}`,
    eligible: i % 2 === 0,
  }));
  return JSON.stringify({ version: 1, defaultPassword: 'large-world-pass', twilio: { users } });
}

const EARLIER_EXPORT = `${JSON.stringify({ version: 1, description: 'an earlier export', twilio: { users: [] } }, null, 2)}\n`;

describe('--export-world FILE', () => {
  it('leaves an earlier export untouched when the disk fills mid-write: one line, exit 2, nothing left beside it', async () => {
    const folder = scratchFolder();
    const disk = join(folder, 'disk');
    mkdirSync(disk);
    const target = join(disk, 'saved.json');
    const world = join(folder, 'large-world.json');
    writeFileSync(world, largeWorld());
    writeFileSync(join(folder, 'earlier.json'), EARLIER_EXPORT);
    // In a mount namespace of its own: a 64 kB tmpfs holding the earlier export, the rest filled up. Once the
    // server exits, what the disk holds is copied out (the tmpfs goes with the namespace).
    const root = process.getuid?.() === 0;
    const script = [
      `mount -t tmpfs -o size=64k tmpfs '${disk}'`,
      `cp '${folder}/earlier.json' '${target}'`,
      `(cat /dev/zero > '${disk}/filler' 2>/dev/null; true)`,
      `"$@"; code=$?`,
      `cp '${target}' '${folder}/after.json'`,
      `ls -A '${disk}' > '${folder}/listing'`,
      'exit $code',
    ].join('; ');
    const wrap = ['unshare', ...(root ? ['--mount'] : ['--mount', '--map-root-user']), 'sh', '-c', script, 'sh'];
    const server = startServer(
      ['--port', String(await freePort()), '--world', world, '--db', ':memory:', '--export-world', target],
      { wrap },
    );
    expect(await server.exited).toBe(2);
    expect(readFileSync(join(folder, 'after.json'), 'utf8')).toBe(EARLIER_EXPORT);
    expect(readFileSync(join(folder, 'listing'), 'utf8')).toBe('filler\nsaved.json\n');
    expect(server.stderrLines()).toEqual([
      `mock-server: cannot write ${target} (no space left on device); it is left as it was.`,
    ]);
    expect(server.stdout()).not.toContain('Wrote the world');
  });

  it('replaces an earlier export with the whole world, leaving nothing beside it', async () => {
    const folder = scratchFolder();
    const target = join(folder, 'saved.json');
    writeFileSync(target, EARLIER_EXPORT);
    const server = startServer([
      '--port',
      String(await freePort()),
      '--world',
      'mock-server/world-file/demo-world.json',
      '--db',
      ':memory:',
      '--export-world',
      target,
    ]);
    expect(await server.exited).toBe(0);
    expect(server.stdout()).toContain(`Wrote the world to ${target} (no passwords or secrets).`);
    expect(JSON.parse(readFileSync(target, 'utf8')).twilio.users[0].email).toBe('ada@example.com');
    expect(readdirSync(folder)).toEqual(['saved.json']);
  });
});
