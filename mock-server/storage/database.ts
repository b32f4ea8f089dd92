/**
 * The world's SQLite database (better-sqlite3): WAL journal, foreign keys on, numbered migrations.
 * Every state change of the world runs in one transaction (`db.transaction(...)`) or is a single statement.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const IN_MEMORY = ':memory:';

export interface OpenDatabaseOptions {
  /** Delete the file (and its WAL) first, so the world is created anew. */
  reset?: boolean;
}

/** Opens (creating if needed) and migrates the database at `path` (a file path or `:memory:`). */
export function openDatabase(path: string, { reset = false }: OpenDatabaseOptions = {}): Db {
  if (path !== IN_MEMORY) {
    if (reset) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    const folder = dirname(path);
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT MAX(version) AS version FROM migrations').get() as { version: number | null };
  const current = row.version ?? 0;
  const record = db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    })();
  }
}

/** Removes rows whose expiry has passed (oidc-provider artefacts, login steps, relying-party and product sessions). */
export function purgeExpired(db: Db, nowMs: number): void {
  const nowSeconds = Math.floor(nowMs / 1000);
  db.transaction(() => {
    db.prepare('DELETE FROM oidc_models WHERE expires_at IS NOT NULL AND expires_at < ?').run(nowSeconds);
    db.prepare('DELETE FROM login_steps WHERE expires_at < ?').run(nowMs);
    db.prepare('DELETE FROM rp_sessions WHERE expires_at < ?').run(nowMs);
    db.prepare('DELETE FROM product_sessions WHERE expires_at < ?').run(nowMs);
    db.prepare('DELETE FROM email_changes WHERE expires_at < ?').run(nowMs);
    db.prepare('DELETE FROM totp_enrolments WHERE expires_at < ?').run(nowMs);
    db.prepare('DELETE FROM recovery_code_reveals WHERE expires_at < ?').run(nowMs);
    for (const table of ['saml_requests', 'saml_assertions', 'saml_logins', 'acme_idp_sessions', 'acme_idp_pending']) {
      db.prepare(`DELETE FROM ${table} WHERE expires_at < ?`).run(nowMs);
    }
  })();
}
