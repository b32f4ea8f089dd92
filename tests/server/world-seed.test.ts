/**
 * A database remembers which world it was seeded from. A world file's world is kept as it is on the next start
 * without `--world`: one without Twilio users is not taken for a new database (the demo world was imported on top of
 * it, and failed on its emails), and no demo persona joins it. A database from before this was recorded keeps
 * behaving as it did.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { MIGRATIONS } from '../../mock-server/storage/migrations';
import { checkWorldFile } from '../../mock-server/world-file/check';

const folder = mkdtempSync(join(tmpdir(), 'world-seed-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function worldFile(input: unknown) {
  const checked = checkWorldFile(input);
  if (!checked.ok) throw new Error(checked.problems.join('\n'));
  return checked.world;
}

/** Starts a world on `db` (as `--world` does when given one), reads `read` from it and closes it. */
async function startOn<T>(db: string, read: (database: Database.Database) => T, world?: ReturnType<typeof worldFile>) {
  const started = await createWorld({ port: await freePort(), db, ...(world ? { reset: true, world } : {}) });
  try {
    return read(started.db);
  } finally {
    await started.close();
  }
}

const emails = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT email FROM ${table} ORDER BY email`).all() as { email: string }[]).map((row) => row.email);

describe('a world from a file, started again without --world', () => {
  it('keeps a world without Twilio users as it is, instead of importing the demo world on top', async () => {
    const db = join(folder, 'segment-only.db');
    const file = worldFile({
      version: 1,
      twilio: { users: [] },
      segment: { users: [{ email: 'ben@example.com', name: 'Ben Only', password: 'segment-only-pass-2026' }] },
    });
    await startOn(db, () => undefined, file);
    const again = await startOn(db, (database) => ({
      twilio: emails(database, 'users'),
      segment: emails(database, 'segment_users'),
      organizations: database.prepare('SELECT COUNT(*) AS n FROM organizations').get(),
    }));
    expect(again).toEqual({ twilio: [], segment: ['ben@example.com'], organizations: { n: 0 } });
  });

  it('gets no demo persona (the support operator with the demo password)', async () => {
    const db = join(folder, 'zoe.db');
    const file = worldFile({
      version: 1,
      twilio: { users: [{ email: 'zoe@custom.test', name: 'Zoe', eligible: true, password: 'zoe-own-pass-2026' }] },
    });
    await startOn(db, () => undefined, file);
    expect(await startOn(db, (database) => emails(database, 'users'))).toEqual(['zoe@custom.test']);
  });
});

describe('a database from before the seed was recorded (migrations 1–16)', () => {
  it('with Twilio users counts as the demo world: not seeded again, and the support operator is added', async () => {
    const path = join(folder, 'legacy.db');
    const before = new Database(path);
    before.exec(
      'CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const migration of MIGRATIONS.filter(({ version }) => version <= 16)) {
      before.exec(migration.sql);
      before.prepare('INSERT INTO migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    before
      .prepare(
        `INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('USold', 'old@example.com', 'Old', '!sso-only', 0)`,
      )
      .run();
    before.close();
    const after = await startOn(path, (database) => ({
      users: emails(database, 'users'),
      seed: database.prepare('SELECT id, source FROM world_seed').all(),
    }));
    expect(after).toEqual({ users: ['old@example.com', 'sol@example.com'], seed: [{ id: 1, source: 'demo' }] });
  });
});
