/**
 * SendGrid's own data (app.sendgrid.localhost): users, accounts (plans), teammates with roles, per-user timezone.
 * Existing SendGrid users cannot be linked to a Twilio login (DESIGN.md §2.3): a Twilio user gets a new one.
 */
import { newId, ProductUsers } from '../products/product-users';
import type { Db } from '../storage/database';

export const SENDGRID_ROLES = ['Admin', 'Developer', 'Read-only'] as const;
export type SendGridRole = (typeof SENDGRID_ROLES)[number];

export interface SendGridAccount {
  id: string;
  name: string;
  plan: string;
}

export interface Teammate extends SendGridAccount {
  role: SendGridRole;
  lastVisitedAt: number | undefined;
}

export class SendGridStore {
  readonly users: ProductUsers;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {
    this.users = new ProductUsers(db, 'sendgrid_users', 'sg_usr', clock);
  }

  createAccount(name: string, { id, plan = 'free' }: { id?: string; plan?: string } = {}): SendGridAccount {
    const account = { id: id ?? newId('acct'), name, plan };
    this.db
      .prepare('INSERT INTO sendgrid_accounts (id, name, plan, created_at) VALUES (?, ?, ?, ?)')
      .run(account.id, name, plan, this.clock());
    return account;
  }

  addTeammate(accountId: string, userId: string, role: SendGridRole): void {
    this.db
      .prepare('INSERT INTO sendgrid_teammates (account_id, user_id, role, created_at) VALUES (?, ?, ?, ?)')
      .run(accountId, userId, role, this.clock());
  }

  /** The user's accounts with their role, most recently visited first. */
  accountsOf(userId: string): Teammate[] {
    const rows = this.db
      .prepare(
        `SELECT a.id, a.name, a.plan, t.role, t.last_visited_at FROM sendgrid_teammates t
         JOIN sendgrid_accounts a ON a.id = t.account_id WHERE t.user_id = ?
         ORDER BY t.last_visited_at IS NULL, t.last_visited_at DESC, t.created_at, a.id`,
      )
      .all(userId) as { id: string; name: string; plan: string; role: SendGridRole; last_visited_at: number | null }[];
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      plan: row.plan,
      role: row.role,
      lastVisitedAt: row.last_visited_at ?? undefined,
    }));
  }

  teammate(userId: string, accountId: string): Teammate | undefined {
    return this.accountsOf(userId).find((account) => account.id === accountId);
  }

  markVisited(userId: string, accountId: string): void {
    this.db
      .prepare('UPDATE sendgrid_teammates SET last_visited_at = ? WHERE user_id = ? AND account_id = ?')
      .run(this.clock(), userId, accountId);
  }
}
