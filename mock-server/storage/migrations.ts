/**
 * Numbered schema migrations. Append only: a database records the highest version applied in `migrations`, and
 * each migration runs in its own transaction: its SQL, then its data step (for what SQL cannot do, e.g. hashing).
 */
import type Database from 'better-sqlite3';
import { hashClientSecret, isHashedClientSecret } from './client-secrets';

/** The database (as ./database.ts opens it), named here without importing it back. */
type Db = Database.Database;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  run?: (db: Db) => void;
}

/** Migration 14: SCIM apps' client secrets, stored in the clear until then, become argon2id hashes. */
function hashScimAppSecrets(db: Db): void {
  const clients = db
    .prepare(
      `SELECT m.id, m.payload FROM oidc_models m JOIN scim_apps a ON a.client_id = m.id WHERE m.model = 'Client'`,
    )
    .all() as { id: string; payload: string }[];
  const update = db.prepare(`UPDATE oidc_models SET payload = ? WHERE model = 'Client' AND id = ?`);
  for (const { id, payload } of clients) {
    const metadata = JSON.parse(payload) as { client_secret?: string };
    if (!metadata.client_secret || isHashedClientSecret(metadata.client_secret)) continue;
    update.run(JSON.stringify({ ...metadata, client_secret: hashClientSecret(metadata.client_secret) }), id);
  }
}

/**
 * Migration 17: a database seeded before the seed was recorded is taken as seeded from the demo world when it has
 * Twilio users, which is how such a database was told from a new one until then (so it behaves as before).
 */
function recordEarlierSeed(db: Db): void {
  db.prepare(
    `INSERT INTO world_seed (id, source, seeded_at) SELECT 1, 'demo', ? WHERE EXISTS (SELECT 1 FROM users)`,
  ).run(Date.now());
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
  {
    version: 2,
    name: 'segment: users, workspaces, memberships, invitations, session history',
    sql: `
      CREATE TABLE segment_users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        -- NULL once the user is linked to a Twilio login: the password is retired, not just ignored.
        password_hash TEXT,
        twilio_sub TEXT UNIQUE REFERENCES users (id),
        created_via TEXT NOT NULL CHECK (created_via IN ('password', 'twilio')),
        timezone TEXT NOT NULL DEFAULT 'UTC',
        created_at INTEGER NOT NULL,
        CHECK (password_hash IS NOT NULL OR twilio_sub IS NOT NULL)
      );
      CREATE TABLE segment_workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        plan TEXT NOT NULL DEFAULT 'free',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE segment_memberships (
        workspace_id TEXT NOT NULL REFERENCES segment_workspaces (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES segment_users (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('Owner', 'Member', 'Read-only')),
        created_at INTEGER NOT NULL,
        last_visited_at INTEGER,
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX segment_memberships_user ON segment_memberships (user_id);
      CREATE TABLE segment_invitations (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES segment_workspaces (id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('Owner', 'Member', 'Read-only')),
        invited_by TEXT REFERENCES segment_users (id) ON DELETE SET NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX segment_invitations_workspace ON segment_invitations (workspace_id);
      CREATE TABLE segment_session_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id TEXT NOT NULL REFERENCES segment_users (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('password', 'twilio')),
        user_agent TEXT NOT NULL
      );
      CREATE INDEX segment_session_history_user ON segment_session_history (user_id, at);
    `,
  },
  {
    version: 3,
    name: 'sendgrid: users, accounts, teammates',
    sql: `
      CREATE TABLE sendgrid_users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT,
        twilio_sub TEXT UNIQUE REFERENCES users (id),
        created_via TEXT NOT NULL CHECK (created_via IN ('password', 'twilio')),
        timezone TEXT NOT NULL DEFAULT 'UTC',
        created_at INTEGER NOT NULL,
        CHECK (password_hash IS NOT NULL OR twilio_sub IS NOT NULL)
      );
      CREATE TABLE sendgrid_accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        plan TEXT NOT NULL DEFAULT 'free',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE sendgrid_teammates (
        account_id TEXT NOT NULL REFERENCES sendgrid_accounts (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES sendgrid_users (id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('Admin', 'Developer', 'Read-only')),
        created_at INTEGER NOT NULL,
        last_visited_at INTEGER,
        PRIMARY KEY (account_id, user_id)
      );
      CREATE INDEX sendgrid_teammates_user ON sendgrid_teammates (user_id);
    `,
  },
  {
    version: 4,
    name: 'linking: audit trail of product set-ups, product sessions',
    sql: `
      CREATE TABLE product_setups (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        twilio_sub TEXT NOT NULL REFERENCES users (id),
        product TEXT NOT NULL CHECK (product IN ('segment', 'sendgrid')),
        product_user_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('linked', 'created')),
        method TEXT NOT NULL,
        details TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX product_setups_sub ON product_setups (twilio_sub, at);
      CREATE TABLE product_sessions (
        id TEXT PRIMARY KEY,
        product TEXT NOT NULL,
        user_id TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('password', 'twilio')),
        csrf_token TEXT NOT NULL,
        id_token TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX product_sessions_expiry ON product_sessions (expires_at);
    `,
  },
  {
    version: 5,
    name: 'settings: dev mailbox, email changes, recovery codes, 2FA enrolments',
    sql: `
      CREATE TABLE mailbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        link TEXT,
        kind TEXT NOT NULL,
        sent_at INTEGER NOT NULL
      );
      CREATE INDEX mailbox_recipient ON mailbox (recipient, id);
      CREATE TABLE email_changes (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        new_email TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX email_changes_user ON email_changes (user_id);
      CREATE TABLE recovery_codes (
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash TEXT NOT NULL,
        used_at INTEGER,
        PRIMARY KEY (user_id, code_hash)
      ) WITHOUT ROWID;
      CREATE TABLE totp_enrolments (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        secret TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE TABLE recovery_code_reveals (
        user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        codes TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'settings: a timezone per Twilio user (the Console), apart from those of product users',
    sql: `
      ALTER TABLE users ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC';
    `,
  },
  {
    version: 7,
    name: 'redirect on detected email: dismissed offers to use the Twilio login, per product user',
    sql: `
      CREATE TABLE product_offer_dismissals (
        product TEXT NOT NULL CHECK (product IN ('segment', 'sendgrid')),
        user_id TEXT NOT NULL,
        offer TEXT NOT NULL,
        dismissed_at INTEGER NOT NULL,
        PRIMARY KEY (product, user_id, offer)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'organizations: verified domains, managed users, SCIM apps and groups, audit trail',
    sql: `
      CREATE TABLE organizations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE organization_domains (
        organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        domain TEXT NOT NULL UNIQUE,
        verified INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX organization_domains_organization ON organization_domains (organization_id);
      ALTER TABLE users ADD COLUMN organization_id TEXT REFERENCES organizations (id);
      ALTER TABLE users ADD COLUMN organization_role TEXT CHECK (organization_role IN ('admin', 'member'));
      -- 0 once the organization deprovisions the user: no sign-in anywhere, product users kept but unreachable.
      ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
      -- The provisioning client's own id for the user (SCIM externalId), unique within the organization.
      ALTER TABLE users ADD COLUMN external_id TEXT;
      -- Bumped on every change of a managed user: SCIM meta.version / ETag and meta.lastModified.
      ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE users ADD COLUMN updated_at INTEGER;
      -- Set by a SCIM DELETE: the user is deprovisioned and gone from SCIM (404); the row stays, because product
      -- users keep pointing at it. A later SCIM create with the same userName brings the same user back.
      ALTER TABLE users ADD COLUMN deleted_at INTEGER;
      CREATE INDEX users_organization ON users (organization_id, id) WHERE organization_id IS NOT NULL;
      CREATE UNIQUE INDEX users_external_id ON users (organization_id, external_id) WHERE external_id IS NOT NULL;
      CREATE TABLE scim_apps (
        client_id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        created_by TEXT REFERENCES users (id),
        created_at INTEGER NOT NULL
      );
      CREATE INDEX scim_apps_organization ON scim_apps (organization_id);
      CREATE TABLE scim_groups (
        id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        display_name TEXT NOT NULL,
        external_id TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (organization_id, display_name)
      );
      CREATE TABLE scim_group_members (
        group_id TEXT NOT NULL REFERENCES scim_groups (id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      ) WITHOUT ROWID;
      CREATE INDEX scim_group_members_user ON scim_group_members (user_id);
      CREATE TABLE organization_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        -- Who did it: 'scim:<client id>' or 'user:<Twilio user id>'.
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target_user_id TEXT,
        details TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX organization_events_organization ON organization_events (organization_id, id);
    `,
  },
  {
    version: 9,
    name: 'request access: support operators, and requests for unified login during the limited release',
    sql: `
      ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'support_operator'));
      CREATE TABLE access_requests (
        id TEXT PRIMARY KEY,
        twilio_sub TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        status TEXT NOT NULL CHECK (status IN ('pending', 'granted', 'declined')),
        requested_at INTEGER NOT NULL,
        decided_at INTEGER,
        decided_by TEXT REFERENCES users (id) ON DELETE SET NULL
      );
      -- At most one open request per user: asking again while one is pending is the same request.
      CREATE UNIQUE INDEX access_requests_one_pending ON access_requests (twilio_sub) WHERE status = 'pending';
      CREATE INDEX access_requests_by_time ON access_requests (requested_at);
    `,
  },
  {
    version: 10,
    name: 'SCIM: the given and family names a provisioning client sends for a managed user',
    sql: `
      ALTER TABLE users ADD COLUMN given_name TEXT;
      ALTER TABLE users ADD COLUMN family_name TEXT;
    `,
  },
  {
    version: 11,
    name: 'product email changes: pending changes of a Segment or SendGrid user email, verified by mail',
    sql: `
      CREATE TABLE product_email_changes (
        token_hash TEXT PRIMARY KEY,
        product TEXT NOT NULL CHECK (product IN ('segment', 'sendgrid')),
        user_id TEXT NOT NULL,
        new_email TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      );
      CREATE INDEX product_email_changes_user ON product_email_changes (product, user_id);
      `,
  },
  {
    version: 12,
    name: 'segment: a readable device for each session history entry',
    sql: `
      ALTER TABLE segment_session_history ADD COLUMN device TEXT;
    `,
  },
  {
    version: 13,
    name: 'sso: SAML connections of organizations, sent requests, seen assertions, login tickets; the Acme IdP',
    sql: `
      CREATE TABLE sso_connections (
        organization_id TEXT PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
        idp_entity_id TEXT NOT NULL,
        sso_url TEXT NOT NULL,
        -- JSON array of PEM certificates whose keys may sign the IdP's responses.
        certificates TEXT NOT NULL,
        enforced INTEGER NOT NULL DEFAULT 0,
        allow_idp_initiated INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL,
        updated_by TEXT
      );
      -- AuthnRequests this SP sent: a response's InResponseTo must name one, unexpired, used once.
      CREATE TABLE saml_requests (
        id TEXT PRIMARY KEY,
        organization_id TEXT NOT NULL,
        interaction_uid TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        consumed_at INTEGER
      ) WITHOUT ROWID;
      -- Assertions accepted, kept until they expire: none is accepted twice.
      CREATE TABLE saml_assertions (
        issuer TEXT NOT NULL,
        assertion_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (issuer, assertion_id)
      ) WITHOUT ROWID;
      -- A verified SSO sign-in on its way from the ACS to the browser's sign-in page (single use).
      CREATE TABLE saml_logins (
        ticket TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        interaction_uid TEXT,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      -- Why an authentic SSO response could not sign its person in (not provisioned, …), shown on the sign-in page.
      ALTER TABLE login_steps ADD COLUMN sso_refusal TEXT;
      -- The bundled Acme IdP (Acme's own system, sharing the file only because the demo world is one process).
      CREATE TABLE acme_idp_users (
        email TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE acme_idp_sessions (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL REFERENCES acme_idp_users (email) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE acme_idp_pending (
        id TEXT PRIMARY KEY,
        sp_entity_id TEXT,
        request_id TEXT,
        relay_state TEXT,
        login_hint TEXT,
        csrf_token TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 14,
    name: 'scim apps: client secrets stored as argon2id hashes, no longer in the clear',
    sql: '',
    run: hashScimAppSecrets,
  },
  {
    version: 15,
    name: 'organizations: domain verification by a DNS TXT record (token, who and when); the demo DNS',
    sql: `
      ALTER TABLE organization_domains ADD COLUMN verification_token TEXT;
      ALTER TABLE organization_domains ADD COLUMN verified_at INTEGER;
      ALTER TABLE organization_domains ADD COLUMN verified_by TEXT;
      -- The demo world's stand-in for public DNS: TXT records a tester publishes on the dev page /dev/dns.
      CREATE TABLE demo_dns_txt_records (
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (name, value)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 16,
    name: 'identity: oidc models in a rowid table, so storing a token no longer rewrites a b-tree of whole rows',
    // A WITHOUT ROWID table keeps each ≈ 500-byte row inside its primary-key b-tree: every new token (random id)
    // split pages of whole rows, twice per refresh grant. A rowid table appends the row and indexes its key.
    sql: `
      CREATE TABLE oidc_models_by_rowid (
        model TEXT NOT NULL,
        id TEXT NOT NULL,
        payload TEXT NOT NULL,
        grant_id TEXT,
        user_code TEXT,
        uid TEXT,
        expires_at INTEGER,
        consumed_at INTEGER,
        PRIMARY KEY (model, id)
      );
      INSERT INTO oidc_models_by_rowid (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
        SELECT model, id, payload, grant_id, user_code, uid, expires_at, consumed_at FROM oidc_models;
      DROP TABLE oidc_models;
      ALTER TABLE oidc_models_by_rowid RENAME TO oidc_models;
      CREATE INDEX oidc_models_grant ON oidc_models (grant_id) WHERE grant_id IS NOT NULL;
      CREATE INDEX oidc_models_uid ON oidc_models (model, uid) WHERE uid IS NOT NULL;
      CREATE INDEX oidc_models_user_code ON oidc_models (model, user_code) WHERE user_code IS NOT NULL;
      CREATE INDEX oidc_models_expiry ON oidc_models (expires_at) WHERE expires_at IS NOT NULL;
    `,
  },
  {
    version: 17,
    name: 'seeding: the world a database was seeded from (the demo world or a world file), recorded with it',
    // Written in the seed's own transaction. Without it a world file's world with no Twilio users looked like a new
    // database on its next start (and got the demo world on top), and a world file's world got the demo's personas.
    sql: `
      CREATE TABLE world_seed (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        source TEXT NOT NULL CHECK (source IN ('demo', 'file')),
        seeded_at INTEGER NOT NULL
      );
    `,
    run: recordEarlierSeed,
  },
  {
    version: 18,
    name: 'email changes: a pending change cancelled by a password change, kept so its link says so',
    sql: `
      ALTER TABLE email_changes ADD COLUMN cancelled_at INTEGER;
    `,
  },
];
