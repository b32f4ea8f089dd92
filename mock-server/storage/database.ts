/**
 * The world's SQLite database (better-sqlite3): WAL journal, foreign keys on, numbered migrations.
 * Every state change of the world runs in one transaction (`db.transaction(...)`) or is a single statement.
 *
 * A server holds its database file exclusively for its lifetime (SQLite's EXCLUSIVE locking mode; the operating
 * system releases the lock if the process dies), so a second server on the same file — with or without `--reset` —
 * refuses to start before touching anything. Write transactions begin IMMEDIATE: they take the write lock up front
 * and wait within the busy timeout, instead of failing half-way with SQLITE_BUSY_SNAPSHOT.
 */
import { accessSync, constants, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export const IN_MEMORY = ':memory:';
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /** Empty the database first (under its lock), so the world is created anew. */
  reset?: boolean;
}

/** Why the database cannot serve a world, as one line naming the path and what to do. */
export class DatabaseUnusable extends Error {
  override readonly name = 'DatabaseUnusable';
}

const SQLITE_CODE = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';

/** The one-line explanation of a SQLite (or file system) failure on `path`. */
function explain(path: string, error: unknown): DatabaseUnusable {
  const code = SQLITE_CODE(error);
  const detail = (error instanceof Error ? error.message : String(error)).split('\n', 1)[0] ?? '';
  const line = (() => {
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return `${path} is in use by another mock-server; stop that server first, or give this one another --db.`;
    }
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      return `${path} is not a usable world database (${detail}); move it away, or start with --reset to create a new demo world there.`;
    }
    if (code === 'SQLITE_FULL' || /ENOSPC|disk is full/i.test(detail)) {
      return `the disk holding ${path} is full; free some space, or give --db a path on another disk.`;
    }
    if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EROFS') {
      return `${path} cannot be written (${detail}); make it and its folder writable, or give --db another path.`;
    }
    if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_IOERR') || code === 'SQLITE_PERM') {
      return `${path} cannot be opened (${detail}); check that it and its folder are readable and writable, or give --db another path.`;
    }
    return `${path} cannot be used (${detail}); give --db another path, or start with --reset.`;
  })();
  return new DatabaseUnusable(line, { cause: error });
}

/** Every write transaction begins IMMEDIATE (better-sqlite3's default is DEFERRED). */
function immediateTransactions(db: Db): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const wrapped = transaction(fn);
    const immediate = (...args: never[]) => wrapped.immediate(...args);
    return Object.assign(immediate, {
      default: immediate,
      deferred: wrapped.deferred,
      immediate,
      exclusive: wrapped.exclusive,
    });
  }) as Db['transaction'];
}

/** Distinct SQL texts whose prepared statements are kept; past it the oldest is dropped. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * `db.prepare` hands out one prepared statement per SQL text instead of compiling it again (≈ 85 µs on this
 * schema, and most routes prepare their queries on every request). A statement is shared by everyone who prepares
 * the same SQL, so its modes (pluck, raw, expand) are reset each time it is handed out: set them at each use. A
 * statement still being iterated is not handed out again; that caller gets a fresh one.
 */
function reusedStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached?.busy) return prepare(sql);
    if (cached) return cached.reader ? cached.pluck(false).expand(false).raw(false) : cached;
    const statement = prepare(sql);
    // The SQL texts are the code's own (plus a few built per table): the limit only guards against a leak.
    if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(sql, statement);
    return statement;
  }) as Db['prepare'];
}

function dropEverything(db: Db): void {
  const objects = db
    .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'")
    .all() as { type: string; name: string }[];
  db.pragma('foreign_keys = OFF');
  db.transaction(() => {
    for (const { type, name } of objects)
      db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
  })();
  db.pragma('foreign_keys = ON');
}

function openLocked(path: string, reset: boolean): Db {
  const db = new Database(path);
  try {
    // EXCLUSIVE before WAL: no shared-memory index, and the lock is held from the first access until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('busy_timeout = 0');
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    immediateTransactions(db);
    reusedStatements(db);
    if (reset) dropEverything(db);
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`integrity check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    migrate(db);
    // The write probe: a database that cannot be written is not ready.
    db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** SQLite reports a file it may not write as a vague I/O error: say which permission is missing instead. */
function assertAccess(path: string, folder: string): void {
  const allowed = (target: string, mode: number) => {
    try {
      accessSync(target, mode);
      return true;
    } catch {
      return false;
    }
  };
  if (existsSync(path) && !allowed(path, constants.R_OK)) {
    throw new DatabaseUnusable(
      `${path} cannot be read (permission denied); make it readable and writable, or give --db another path.`,
    );
  }
  if (existsSync(path) && !allowed(path, constants.W_OK)) {
    throw new DatabaseUnusable(`${path} is read-only; make it writable, or give --db another path.`);
  }
  if (!allowed(folder, constants.W_OK)) {
    throw new DatabaseUnusable(
      `${folder} (the folder of ${path}) cannot be written; the database needs its journal there, so make it writable or give --db another path.`,
    );
  }
}

/**
 * Opens (creating if needed), locks, checks and migrates the database at `path` (a file path or `:memory:`).
 * Throws `DatabaseUnusable` with a one-line explanation when the file cannot serve a world.
 */
export function openDatabase(path: string, { reset = false }: OpenDatabaseOptions = {}): Db {
  if (path === IN_MEMORY) {
    const db = new Database(path);
    db.pragma('foreign_keys = ON');
    immediateTransactions(db);
    reusedStatements(db);
    migrate(db);
    return db;
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new DatabaseUnusable(`${path} is a directory; give --db a file path, such as ${path}/world.db.`);
  }
  try {
    const folder = dirname(path);
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true });
    assertAccess(path, folder);
    return openLocked(path, reset);
  } catch (error) {
    if (error instanceof DatabaseUnusable) throw error;
    const code = SQLITE_CODE(error);
    // --reset also replaces a file that is not a database at all (no server can be using it).
    if (reset && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'))) {
      for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
      try {
        return openLocked(path, false);
      } catch (again) {
        throw explain(path, again);
      }
    }
    throw explain(path, error);
  }
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
      if (migration.sql) db.exec(migration.sql);
      migration.run?.(db);
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
