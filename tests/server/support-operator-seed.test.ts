/**
 * The demo world's support operator is added once per world: a restart after sol changed her email does not create
 * another one at her old address (with the demo password), and a database from before support operators existed
 * gets none over an email another user holds or on an organization's verified domain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../mock-server/storage/migrations';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { consoleBrowser, mailbox, PASSWORD, submit } from './settings';
import { startWorld } from './world';

const folder = mkdtempSync(join(tmpdir(), 'support-operator-seed-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const SOL = { email: 'sol@example.com', password: PASSWORD };

/** Starts the world on `db`, reads `read` from its database and closes it. */
async function startOn<T>(db: string, read: (database: Database.Database) => T): Promise<T> {
  const world = await startWorld({ db });
  try {
    return read(world.db);
  } finally {
    await world.close();
  }
}

const supportOperators = (db: Database.Database) =>
  (db.prepare(`SELECT email FROM users WHERE role = 'support_operator'`).all() as { email: string }[]).map(
    (row) => row.email,
  );
const twilioEmails = (db: Database.Database) =>
  (db.prepare('SELECT email FROM users ORDER BY email').all() as { email: string }[]).map((row) => row.email);

/** A database as migrations 1–16 left it (before support operators and the recorded seed), with `rows` in it. */
function legacyDatabase(name: string, rows: string): string {
  const path = join(folder, name);
  const before = new Database(path);
  before.exec('CREATE TABLE migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const migration of MIGRATIONS.filter(({ version }) => version <= 16)) {
    before.exec(migration.sql);
    before.prepare('INSERT INTO migrations VALUES (?, ?, 0)').run(migration.version, migration.name);
  }
  before.exec(
    `INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('USold', 'old@example.com', 'Old', '!sso-only', 0);
     ${rows}`,
  );
  before.close();
  return path;
}

describe('the support operator, after sol changed her email', () => {
  it('is still sol alone after a restart on the same database: nobody is created at sol@example.com', async () => {
    const db = join(folder, 'sol-moved.db');
    const world = await startWorld({ db });
    try {
      const browser = await consoleBrowser(world, SOL);
      const newEmail = 'sol.support@example.com';
      const requested = await submit(world, browser, '/settings/email', {
        new_email: newEmail,
        current_password: SOL.password,
      });
      expect(requested.response.status).toBe(303);
      const [link] = (await mailbox(world, newEmail)).links;
      const token = new URL(link!).searchParams.get('token')!;
      const confirmPage = await (await browser.request(link!)).text();
      const confirmed = await browser.request(`${world.urls.console}/settings/email/verify`, {
        form: { csrf: csrfTokenIn(confirmPage), token },
      });
      expect(confirmed.headers.get('location')).toBe('/settings?done=email-changed');
      expect(supportOperators(world.db)).toEqual([newEmail]);
    } finally {
      await world.close();
    }

    const restarted = await startOn(db, (database) => ({
      supportOperators: supportOperators(database),
      atOldEmail: twilioEmails(database).filter((email) => email === SOL.email),
    }));
    expect(restarted).toEqual({ supportOperators: ['sol.support@example.com'], atOldEmail: [] });
  });
});

describe('a database from before support operators existed', () => {
  it('gets no support operator over the email of an unlinked Segment user', async () => {
    const db = legacyDatabase(
      'segment-sol.db',
      `INSERT INTO segment_users (id, email, name, password_hash, created_via, created_at)
       VALUES ('seg_usr_sol', 'sol@example.com', 'Sol Segment', 'segment-hash', 'password', 0);`,
    );
    const after = await startOn(db, (database) => ({
      twilio: twilioEmails(database),
      segment: database.prepare('SELECT id, email, twilio_sub FROM segment_users').all(),
    }));
    expect(after).toEqual({
      twilio: ['old@example.com'],
      segment: [{ id: 'seg_usr_sol', email: 'sol@example.com', twilio_sub: null }],
    });
  });

  it('gets no support operator on a domain an organization verified', async () => {
    const db = legacyDatabase(
      'verified-example-com.db',
      `INSERT INTO organizations (id, name, created_at) VALUES ('ORexample', 'Example', 0);
       INSERT INTO organization_domains (organization_id, domain, verified, created_at)
       VALUES ('ORexample', 'example.com', 1, 0);`,
    );
    expect(await startOn(db, twilioEmails)).toEqual(['old@example.com']);
  });

  it('gets one support operator, sol@example.com, when the address is free, and no other on the next start', async () => {
    const db = legacyDatabase('free.db', '');
    expect(await startOn(db, supportOperators)).toEqual(['sol@example.com']);
    expect(await startOn(db, twilioEmails)).toEqual(['old@example.com', 'sol@example.com']);
  });
});
