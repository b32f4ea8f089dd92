/**
 * Twilio users: the identity every product login is unified under. The email is stored normalised (NFC, trimmed,
 * lower-cased) so `Ada@Example.COM ` finds ada@example.com; the stable subject is `id`, never the email.
 */
import { randomBytes } from 'node:crypto';
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
  /** `support_operator`: may decide access requests (the support page on the login host). */
  role: UserRole;
  /** False once the user's organization deprovisioned them: no sign-in anywhere until reactivated. */
  active: boolean;
  /** The organization managing this user (users of a verified domain), if any. */
  organizationId: string | undefined;
  organizationRole: OrganizationRole | undefined;
  createdAt: number;
}

export type UserRole = 'member' | 'support_operator';
export type OrganizationRole = 'admin' | 'member';

interface UserRow {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  eligible: number;
  totp_secret: string | null;
  totp_last_step: number | null;
  timezone: string;
  role: UserRole;
  active: number;
  organization_id: string | null;
  organization_role: OrganizationRole | null;
  created_at: number;
}

/** Twilio user ids: `US` + 32 hex characters. */
export function newUserId(): string {
  return `US${randomBytes(16).toString('hex')}`;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    eligible: row.eligible === 1,
    totpSecret: row.totp_secret ?? undefined,
    timezone: row.timezone,
    role: row.role,
    active: row.active === 1,
    organizationId: row.organization_id ?? undefined,
    organizationRole: row.organization_role ?? undefined,
    createdAt: row.created_at,
  };
}

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
  eligible?: boolean;
  totpSecret?: string;
  role?: UserRole;
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
    const id = input.id ?? newUserId();
    this.db
      .prepare(
        `INSERT INTO users (id, email, name, password_hash, eligible, totp_secret, role, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        normaliseEmail(input.email),
        input.name,
        input.passwordHash,
        input.eligible === false ? 0 : 1,
        input.totpSecret ?? null,
        input.role ?? 'member',
        this.clock(),
      );
    return this.findById(id)!;
  }

  /** The user's new password (already hashed). */
  setPasswordHash(userId: string, passwordHash: string): void {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
  }

  /** The Console's timezone of the user; the caller checks `zone` is an IANA time zone. */
  setTimezone(userId: string, zone: string): void {
    this.db.prepare('UPDATE users SET timezone = ? WHERE id = ?').run(zone, userId);
  }

  /** Admits the user to the limited release of unified login (an access request was granted). */
  makeEligible(userId: string): void {
    this.db.prepare('UPDATE users SET eligible = 1 WHERE id = ?').run(userId);
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
