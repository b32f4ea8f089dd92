/**
 * Numbered schema migrations. Append only: a database records the highest version applied in `migrations`, and
 * each migration runs in its own transaction.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identity: users, oidc models, secrets, interactions, throttle, relying-party sessions',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        eligible INTEGER NOT NULL DEFAULT 1,
        totp_secret TEXT,
        totp_last_step INTEGER,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE oidc_models (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        grant_id TEXT,
        user_code TEXT,
        uid TEXT,
        expires_at INTEGER,
        consumed_at INTEGER,
        PRIMARY KEY (model, id)
      ) WITHOUT ROWID;
      CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE login_steps (
        interaction_uid TEXT PRIMARY KEY,
        csrf_token TEXT NOT NULL,
        pending_user_id TEXT REFERENCES users (id) ON DELETE CASCADE,
        pending_since INTEGER,
        notice TEXT,
        email TEXT,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE login_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_failure_at INTEGER NOT NULL
      );
      CREATE TABLE rp_sessions (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX rp_sessions_expiry ON rp_sessions (expires_at);
    `,
  },
];
