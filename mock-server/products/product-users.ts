/**
 * The users of a product of the mock world (Segment's `segment_users`, SendGrid's `sendgrid_users`): each product
 * keeps its own users with their own password, as segment.com and sendgrid.com do. A user linked to a Twilio
 * login has `twilio_sub` set and no password (retired at link time); the product maps the Twilio subject to its
 * user, never the email.
 */

import { randomUUID } from 'node:crypto';
import { normaliseEmail } from '../../contract/email';
import type { Db } from '../storage/database';

export type LoginMethod = 'password' | 'twilio';

export interface ProductUser {
  id: string;
  email: string;
  name: string;
  /** Undefined once the user is linked to a Twilio login. */
  passwordHash: string | undefined;
  /** The Twilio user's `sub` this user is linked to. */
  twilioSub: string | undefined;
  createdVia: LoginMethod;
  timezone: string;
  createdAt: number;
}

interface Row {
  id: string;
  email: string;
  name: string;
  password_hash: string | null;
  twilio_sub: string | null;
  created_via: LoginMethod;
  timezone: string;
  created_at: number;
}

function toUser(row: Row): ProductUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    passwordHash: row.password_hash ?? undefined,
    twilioSub: row.twilio_sub ?? undefined,
    createdVia: row.created_via,
    timezone: row.timezone,
    createdAt: row.created_at,
  };
}

export interface NewProductUser {
  email: string;
  name: string;
  /** Exactly one of the two: a product password, or the Twilio login the user is created for. */
  passwordHash?: string;
  twilioSub?: string;
  timezone?: string;
  id?: string;
}

/** A new random id with a readable prefix (`seg_usr_…`, `ws_…`). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/**
 * The IANA name of `zone` as this runtime spells it (`europe/paris` → `Europe/Paris`), or undefined when it knows
 * no such zone: what is saved, so every page names the zone the same way.
 */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!zone || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Whether `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  return canonicalTimeZone(zone) !== undefined;
}

export class ProductUsers {
  constructor(
    private readonly db: Db,
    private readonly table: 'segment_users' | 'sendgrid_users',
    private readonly idPrefix: string,
    private readonly clock: () => number,
  ) {}

  findById(id: string): ProductUser | undefined {
    const row = this.db.prepare(`SELECT * FROM ${this.table} WHERE id = ?`).get(id) as Row | undefined;
    return row && toUser(row);
  }

  findByEmail(email: string): ProductUser | undefined {
    const row = this.db.prepare(`SELECT * FROM ${this.table} WHERE email = ?`).get(normaliseEmail(email)) as
      | Row
      | undefined;
    return row && toUser(row);
  }

  /** The user linked to a Twilio login (by its stable subject, never by email). */
  findByTwilioSub(sub: string): ProductUser | undefined {
    const row = this.db.prepare(`SELECT * FROM ${this.table} WHERE twilio_sub = ?`).get(sub) as Row | undefined;
    return row && toUser(row);
  }

  create(input: NewProductUser): ProductUser {
    const id = input.id ?? newId(this.idPrefix);
    this.db
      .prepare(
        `INSERT INTO ${this.table} (id, email, name, password_hash, twilio_sub, created_via, timezone, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        normaliseEmail(input.email),
        input.name,
        input.passwordHash ?? null,
        input.twilioSub ?? null,
        input.twilioSub ? 'twilio' : 'password',
        input.timezone ?? 'UTC',
        this.clock(),
      );
    return this.findById(id)!;
  }

  /**
   * Links an unlinked user to a Twilio login and retires its password, in one statement, and ends the sessions
   * that password opened (they would only be refused from now on). Returns false when the user was linked
   * meanwhile (the caller decides whether that is the same Twilio user or a conflict).
   */
  linkToTwilio(id: string, sub: string): boolean {
    const product = this.table === 'segment_users' ? 'segment' : 'sendgrid';
    return this.db.transaction(() => {
      const result = this.db
        .prepare(`UPDATE ${this.table} SET password_hash = NULL, twilio_sub = ? WHERE id = ? AND twilio_sub IS NULL`)
        .run(sub, id);
      if (result.changes !== 1) return false;
      this.db
        .prepare(`DELETE FROM product_sessions WHERE product = ? AND user_id = ? AND method = 'password'`)
        .run(product, id);
      return true;
    })();
  }

  /**
   * Changes the email of a user who is *not* linked (a linked user's email follows its Twilio login). The check
   * and the write run in one transaction; the UNIQUE email column decides races. `taken`: another user of this
   * product has it; `twilio_user`: a Twilio user has it;
   * `linked`: the user is linked to a Twilio login, nothing changed.
   */
  setEmail(id: string, email: string): 'changed' | 'taken' | 'twilio_user' | 'linked' {
    const normalised = normaliseEmail(email);
    return this.db.transaction(() => {
      // A Twilio user's email is theirs: a product-only user taking it would block their own set-up.
      if (this.db.prepare('SELECT 1 FROM users WHERE email = ?').get(normalised)) return 'twilio_user' as const;
      const other = this.db.prepare(`SELECT 1 FROM ${this.table} WHERE email = ? AND id <> ?`).get(normalised, id);
      if (other) return 'taken' as const;
      const result = this.db
        .prepare(`UPDATE ${this.table} SET email = ? WHERE id = ? AND twilio_sub IS NULL`)
        .run(normalised, id);
      return result.changes === 1 ? ('changed' as const) : ('linked' as const);
    })();
  }

  /** Sets the password of a user who is *not* linked (a linked user's password is retired). False: nothing changed. */
  setPassword(id: string, passwordHash: string): boolean {
    const result = this.db
      .prepare(`UPDATE ${this.table} SET password_hash = ? WHERE id = ? AND twilio_sub IS NULL`)
      .run(passwordHash, id);
    return result.changes === 1;
  }

  setTimezone(id: string, zone: string): void {
    if (!isTimeZone(zone)) throw new RangeError(`unknown time zone ${zone}`);
    this.db.prepare(`UPDATE ${this.table} SET timezone = ? WHERE id = ?`).run(zone, id);
  }
}
