/**
 * SendGrid's own data (app.sendgrid.localhost): users, accounts (plans), teammates with roles, per-user timezone.
 * Existing SendGrid users cannot be linked to a Twilio login (docs/architecture.md, "Identity and products"): a Twilio user gets a new one.
 */
import { type Home, type HomeMembership, ProductHomes } from '../products/product-homes';
import { ProductUsers } from '../products/product-users';
import type { Db } from '../storage/database';

export const SENDGRID_ROLES = ['Admin', 'Developer', 'Read-only'] as const;
export type SendGridRole = (typeof SENDGRID_ROLES)[number];

export type SendGridAccount = Home;
export type Teammate = HomeMembership<SendGridRole>;

export class SendGridStore {
  readonly users: ProductUsers;
  private readonly accounts: ProductHomes<SendGridRole>;

  constructor(db: Db, clock: () => number) {
    this.users = new ProductUsers(db, 'sendgrid_users', 'sg_usr', clock);
    this.accounts = new ProductHomes(db, clock, {
      homes: 'sendgrid_accounts',
      members: 'sendgrid_teammates',
      homeColumn: 'account_id',
      idPrefix: 'acct',
    });
  }

  createAccount(name: string, options: { id?: string; plan?: string } = {}): SendGridAccount {
    return this.accounts.create(name, options);
  }

  addTeammate(accountId: string, userId: string, role: SendGridRole): void {
    this.accounts.addMember(accountId, userId, role);
  }

  /** The user's accounts with their role, most recently visited first. */
  accountsOf(userId: string): Teammate[] {
    return this.accounts.of(userId);
  }

  teammate(userId: string, accountId: string): Teammate | undefined {
    return this.accounts.membership(userId, accountId);
  }

  markVisited(userId: string, accountId: string): void {
    this.accounts.markVisited(userId, accountId);
  }
}
