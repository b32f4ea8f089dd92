/**
 * The world-file flags on the command line, against the compiled server (as `npm run server` runs it): an invalid
 * file is refused before anything starts — each problem named by its path, exit 2, no database written — and
 * `--export-world` writes a file that `--world` takes back.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { checkWorldFile } from '../../mock-server/world-file/check';
import { scimClient, scimToken } from './scim';
import type { TestWorld } from './world';
import { demoWith, INVALID_FILES } from './world-files';

let dir: string;
let server: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'uls-world-cli-'));
  // Inside the checkout, so the server's packages (left external, as in `npm run build:server`) resolve.
  server = join('dist-server', `world-file-cli-test-${process.pid}.js`);
  await build({
    entryPoints: ['mock-server/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    outfile: server,
    logLevel: 'warning',
  });
}, 60_000);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(server, { force: true });
});

async function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [server, '--port', String(await freePort()), ...args], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { code, stdout, stderr };
}

describe('npm run server -- --world FILE', () => {
  it.each(INVALID_FILES)(
    'refuses a file with %s: exit 2, its problems by path, no database',
    async (kind, file, problems) => {
      const path = join(dir, `${kind.replaceAll(' ', '-')}.json`);
      const db = join(dir, `${kind.replaceAll(' ', '-')}.db`);
      writeFileSync(path, JSON.stringify(file));
      const { code, stderr, stdout } = await run(['--world', path, '--db', db]);
      expect(code).toBe(2);
      expect(stderr).toContain(
        `mock-server: ${path} is not a valid world file; nothing was started:\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
      );
      expect(stdout).not.toContain('ready on port');
      expect(existsSync(db)).toBe(false);
    },
  );

  it('refuses a file that is not JSON, and one that does not exist', async () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "version": 1, ');
    const broken = await run(['--world', path, '--db', ':memory:']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json is not a valid world file; nothing was started:\n {2}not JSON \(/);
    const missing = await run(['--world', join(dir, 'nowhere.json'), '--db', ':memory:']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'nowhere.json is not a valid world file; nothing was started:\n  cannot read the file (ENOENT)',
    );
  });

  it('exports the world it started from a file, and that export starts the same world', async () => {
    const demo = join(dir, 'demo-export.json');
    const first = await run([
      '--world',
      'mock-server/world-file/demo-world.json',
      '--db',
      ':memory:',
      '--export-world',
      demo,
    ]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`Wrote the world to ${demo} (no passwords or secrets).`);
    const again = join(dir, 'demo-export-again.json');
    const second = await run(['--world', demo, '--db', ':memory:', '--export-world', again]);
    expect(second.code).toBe(0);
    const strip = (path: string) => {
      const { description: _, ...state } = JSON.parse(readFileSync(path, 'utf8'));
      return state;
    };
    expect(strip(again)).toEqual(strip(demo));
    expect(readFileSync(demo, 'utf8')).not.toContain('demo-pass-2026');
  });

  it('exports a world where SCIM deleted a user with a linked Segment user, and that export starts (exit 0)', async () => {
    const db = join(dir, 'scim-deleted.db');
    const file = checkWorldFile(
      demoWith((f) => f.segment.users.push({ email: 'sam@acme.test', name: 'Sam Rivera', linkedTo: 'sam@acme.test' })),
    );
    if (!file.ok) throw new Error(file.problems.join('\n'));
    const world = (await createWorld({ port: await freePort(), db, world: file.world })) as TestWorld;
    try {
      await world.listen();
      const sam = world.users.findByEmail('sam@acme.test')!;
      const scim = await scimClient(world, await scimToken(world));
      expect((await scim.send('DELETE', `/Users/${sam.id}`)).status).toBe(204);
    } finally {
      await world.close();
    }
    const exported = join(dir, 'scim-deleted.json');
    const first = await run(['--db', db, '--export-world', exported]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(readFileSync(exported, 'utf8')).segment.users.at(-1)).toEqual({
      email: 'sam@acme.test',
      name: 'Sam Rivera',
    });
    const second = await run(['--world', exported, '--db', ':memory:', '--export-world', join(dir, 'again.json')]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Wrote the world to ${join(dir, 'again.json')} (no passwords or secrets).`);
  });
});
