/**
 * Twilio users: the identity every product login is unified under. The email is stored normalised (NFC, trimmed,
 * lower-cased) so `Ada@Example.COM ` finds ada@example.com; the stable subject is `id`, never the email.
 */

import { randomUUID } from 'node:crypto';
import { normaliseEmail } from '../../contract/email';
import type { Db } from '../storage/database';

export interface User {
  id: string;
  email: string;
  name: string;
  /** Selected for the limited release of unified login. */
  eligible: boolean;
  /** Base32 TOTP secret when 2FA is on. */
  totpSecret: string | undefined;
  /** The Console's timezone (IANA); Segment and SendGrid keep their own. */
  timezone: string;
  createdAt: number;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  eligible: number;
  totp_secret: string | null;
  totp_last_step: number | null;
  timezone: string;
  created_at: number;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    eligible: row.eligible === 1,
    totpSecret: row.totp_secret ?? undefined,
    timezone: row.timezone,
    createdAt: row.created_at,
  };
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  eligible?: boolean;
  totpSecret?: string;
  id?: string;
}

export class UserStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  findById(id: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  findByEmail(email: string): User | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(normaliseEmail(email)) as
      | UserRow
      | undefined;
    return row && toUser(row);
  }

  /** The user and their password hash, for a login attempt. */
  findCredentials(email: string): { user: User; passwordHash: string } | undefined {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(normaliseEmail(email)) as
      | UserRow
      | undefined;
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM users').get() as { n: number }).n;
  }

  create(input: NewUser): User {
    const id = input.id ?? `usr_${randomUUID().replaceAll('-', '')}`;
    this.db
      .prepare(
        `INSERT INTO users (id, email, name, password_hash, eligible, totp_secret, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        normaliseEmail(input.email),
        input.name,
        input.passwordHash,
        input.eligible === false ? 0 : 1,
        input.totpSecret ?? null,
        this.clock(),
      );
    return this.findById(id)!;
  }

  /** The Console's timezone of the user; the caller checks `zone` is an IANA time zone. */
  setTimezone(userId: string, zone: string): void {
    this.db.prepare('UPDATE users SET timezone = ? WHERE id = ?').run(zone, userId);
  }

  /**
   * Records `step` as the user's last accepted TOTP step, only if it is later than the one stored. Returns false
   * when the step (or a later one) was already used: each step is accepted at most once.
   */
  acceptTotpStep(userId: string, step: number): boolean {
    const result = this.db
      .prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)')
      .run(step, userId, step);
    return result.changes === 1;
  }
}
