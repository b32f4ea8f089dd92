/**
 * SCIM app secrets are stored as argon2id hashes only: the database holds no secret in the clear, the right
 * secret gets a token, a wrong one 401 invalid_client, and migration 14 hashes secrets stored before it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { localhostFetch } from '../../mock-server/net';
import { ACME_SCIM_APP, DEMO_IDS } from '../../mock-server/seed';
import { isHashedClientSecret, verifyClientSecret } from '../../mock-server/storage/client-secrets';
import { type Db, openDatabase } from '../../mock-server/storage/database';
import { MIGRATIONS } from '../../mock-server/storage/migrations';
import { scimToken } from './scim';
import { worldForFile } from './world';

const world = await worldForFile();

/** Every text value in every table of the database that contains `needle`. */
function placesHolding(db: Db, needle: string): string[] {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
    .all() as { name: string }[];
  return tables.flatMap(({ name }) =>
    (db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[])
      .filter((row) => Object.values(row).some((value) => typeof value === 'string' && value.includes(needle)))
      .map(() => name),
  );
}

/** The `client_secret` oidc-provider's client record holds for `clientId`. */
function storedSecret(db: Db, clientId: string): string {
  const row = db.prepare(`SELECT payload FROM oidc_models WHERE model = 'Client' AND id = ?`).get(clientId) as {
    payload: string;
  };
  return (JSON.parse(row.payload) as { client_secret: string }).client_secret;
}

/** The token endpoint's answer to client credentials with HTTP Basic authentication. */
async function tokenRequest(clientId: string, clientSecret: string) {
  const response = await localhostFetch(`${world.issuer}/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'scim' }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('SCIM app secrets at rest', () => {
  it('keeps no SCIM secret in the clear anywhere in the database, only an argon2id hash', async () => {
    const created = world.organizations.scimApps.create(DEMO_IDS.acme, { name: 'Hashed at creation' });
    for (const { clientId, clientSecret } of [ACME_SCIM_APP, created]) {
      expect(placesHolding(world.db, clientSecret)).toEqual([]);
      const stored = storedSecret(world.db, clientId);
      expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyClientSecret(stored, clientSecret)).toBe(true);
    }
  });

  it('gives a token for the right secret', async () => {
    const created = world.organizations.scimApps.create(DEMO_IDS.acme, { name: 'Right secret' });
    const { status, body } = await tokenRequest(created.clientId, created.clientSecret);
    expect({ status, token_type: body.token_type, scope: body.scope }).toEqual({
      status: 200,
      token_type: 'Bearer',
      scope: 'scim',
    });
    expect(await scimToken(world, ACME_SCIM_APP)).toEqual(expect.any(String));
  });

  it('answers 401 invalid_client to a wrong secret, to the stored hash itself, and to an empty secret', async () => {
    const created = world.organizations.scimApps.create(DEMO_IDS.acme, { name: 'Wrong secret' });
    const storedHash = storedSecret(world.db, created.clientId);
    for (const secret of [`${created.clientSecret}x`, storedHash, ACME_SCIM_APP.clientSecret]) {
      expect(await tokenRequest(created.clientId, secret)).toEqual({
        status: 401,
        body: { error: 'invalid_client', error_description: 'client authentication failed' },
      });
    }
  });
});

describe('migration 14', () => {
  const folder = mkdtempSync(join(tmpdir(), 'scim-secrets-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('hashes a SCIM app secret stored in the clear before it, and leaves other clients alone', async () => {
    const path = join(folder, 'world.db');
    // A database as it was before migration 14: migrations 1–13 applied, a SCIM app secret in the clear.
    const before = new Database(path);
    before.exec(
      'CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
    );
    for (const migration of MIGRATIONS.filter(({ version }) => version <= 13)) {
      before.exec(migration.sql);
      before.prepare('INSERT INTO migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    before.prepare(`INSERT INTO organizations (id, name, created_at) VALUES ('ORold', 'Old', 0)`).run();
    before
      .prepare(
        `INSERT INTO scim_apps (client_id, organization_id, name, created_at) VALUES ('scim_old', 'ORold', 'Old app', 0)`,
      )
      .run();
    const insertClient = before.prepare(`INSERT INTO oidc_models (model, id, payload) VALUES ('Client', ?, ?)`);
    insertClient.run('scim_old', JSON.stringify({ client_id: 'scim_old', client_secret: 'old-plain-secret' }));
    insertClient.run('not_scim', JSON.stringify({ client_id: 'not_scim', client_secret: 'another-plain-secret' }));
    before.close();

    const after = openDatabase(path);
    try {
      const secretOf = (id: string) => storedSecret(after, id);
      expect(isHashedClientSecret(secretOf('scim_old'))).toBe(true);
      expect(await verifyClientSecret(secretOf('scim_old'), 'old-plain-secret')).toBe(true);
      expect(placesHolding(after, 'old-plain-secret')).toEqual([]);
      expect(secretOf('not_scim')).toBe('another-plain-secret');
      expect(after.prepare('SELECT version FROM migrations WHERE version = 14').get()).toEqual({ version: 14 });
    } finally {
      after.close();
    }
  });
});
