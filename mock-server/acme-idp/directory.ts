/**
 * The Acme IdP's own directory and state — Acme's identity system, not Twilio's: its users and passwords, its
 * browser sessions, and the sign-ins in progress (which service provider asked, and for which AuthnRequest).
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from '../accounts/passwords';
import type { Db } from '../storage/database';

export const ACME_IDP_PASSWORD = 'acme-pass-2026';

/** Acme's people. tom exists only here: Acme has not provisioned him to Twilio. */
export const ACME_IDP_PEOPLE: readonly { email: string; name: string }[] = [
  { email: 'sam@acme.test', name: 'Sam Rivera' },
  { email: 'sue@acme.test', name: 'Sue Tanaka' },
  { email: 'ida@acme.test', name: 'Ida Novak' },
  { email: 'tom@acme.test', name: 'Tom Becker' },
];

const SESSION_TTL_MS = 8 * 60 * 60_000;
const PENDING_TTL_MS = 30 * 60_000;

export interface AcmePerson {
  email: string;
  name: string;
  passwordHash: string;
}

/** A sign-in in progress at the IdP: for `spEntityId` (null: the IdP's own home page). */
export interface PendingSignIn {
  id: string;
  spEntityId: string | undefined;
  requestId: string | undefined;
  relayState: string | undefined;
  loginHint: string | undefined;
  csrfToken: string;
}

interface PendingRow {
  id: string;
  sp_entity_id: string | null;
  request_id: string | null;
  relay_state: string | null;
  login_hint: string | null;
  csrf_token: string;
}

export class AcmeDirectory {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /** Seeds Acme's people once (all with the demo password); true when it did. */
  async seed(): Promise<boolean> {
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM acme_idp_users').get() as { n: number }).n;
    if (count > 0) return false;
    const hashes = await Promise.all(ACME_IDP_PEOPLE.map(() => hashPassword(ACME_IDP_PASSWORD)));
    const insert = this.db.prepare(
      'INSERT INTO acme_idp_users (email, name, password_hash) VALUES (?, ?, ?) ON CONFLICT (email) DO NOTHING',
    );
    this.db.transaction(() => {
      ACME_IDP_PEOPLE.forEach((person, i) => {
        insert.run(person.email, person.name, hashes[i]);
      });
    })();
    return true;
  }

  person(email: string): AcmePerson | undefined {
    const row = this.db.prepare('SELECT * FROM acme_idp_users WHERE email = ?').get(email) as
      | { email: string; name: string; password_hash: string }
      | undefined;
    return row && { email: row.email, name: row.name, passwordHash: row.password_hash };
  }

  startSession(email: string): string {
    const id = randomBytes(24).toString('base64url');
    this.db
      .prepare('INSERT INTO acme_idp_sessions (id, email, expires_at) VALUES (?, ?, ?)')
      .run(id, email, this.clock() + SESSION_TTL_MS);
    return id;
  }

  sessionPerson(id: string | undefined): AcmePerson | undefined {
    if (!id) return undefined;
    const row = this.db
      .prepare('SELECT email FROM acme_idp_sessions WHERE id = ? AND expires_at > ?')
      .get(id, this.clock()) as { email: string } | undefined;
    return row && this.person(row.email);
  }

  endSession(id: string | undefined): void {
    if (id) this.db.prepare('DELETE FROM acme_idp_sessions WHERE id = ?').run(id);
  }

  startSignIn(input: Omit<PendingSignIn, 'id' | 'csrfToken'>): PendingSignIn {
    const pending = {
      ...input,
      id: randomBytes(18).toString('base64url'),
      csrfToken: randomBytes(24).toString('base64url'),
    };
    this.db
      .prepare(
        `INSERT INTO acme_idp_pending (id, sp_entity_id, request_id, relay_state, login_hint, csrf_token, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        pending.id,
        input.spEntityId ?? null,
        input.requestId ?? null,
        input.relayState ?? null,
        input.loginHint ?? null,
        pending.csrfToken,
        this.clock() + PENDING_TTL_MS,
      );
    return pending;
  }

  signIn(id: string | undefined): PendingSignIn | undefined {
    if (!id) return undefined;
    const row = this.db
      .prepare('SELECT * FROM acme_idp_pending WHERE id = ? AND expires_at > ?')
      .get(id, this.clock()) as PendingRow | undefined;
    return (
      row && {
        id: row.id,
        spEntityId: row.sp_entity_id ?? undefined,
        requestId: row.request_id ?? undefined,
        relayState: row.relay_state ?? undefined,
        loginHint: row.login_hint ?? undefined,
        csrfToken: row.csrf_token,
      }
    );
  }

  /** A sign-in is answered once. */
  finishSignIn(id: string): boolean {
    return this.db.prepare('DELETE FROM acme_idp_pending WHERE id = ?').run(id).changes === 1;
  }

  purgeExpired(now: number): void {
    this.db.prepare('DELETE FROM acme_idp_sessions WHERE expires_at < ?').run(now);
    this.db.prepare('DELETE FROM acme_idp_pending WHERE expires_at < ?').run(now);
  }
}
