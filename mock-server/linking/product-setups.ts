/**
 * First-time set-up of a product for a Twilio user (docs/architecture.md, "Identity and products"): link an existing Segment user (proved by
 * its password) or create a new Segment or SendGrid user on a free plan. Every set-up is one transaction that
 * changes the product user and writes the audit trail together; linking retires the Segment password in it.
 *
 * Concurrency: better-sqlite3 transactions run one at a time, and each one re-reads what it depends on, so the
 * same link or create submitted twice at once yields one link / one workspace, and the second is a no-op. That
 * includes the Twilio user's email, which a change confirmed in the Console may have replaced since the request
 * read it: a new product user takes the email of now, and a link needs the Segment user to still have it.
 */

import type { SetupProductId } from '../../contract/catalogue';
import { normaliseEmail } from '../../contract/email';
import { verifyPassword } from '../accounts/passwords';
import type { User } from '../accounts/users';
import { displayNameProblem } from '../display-names';
import { SetupRefusal } from '../errors';
import { sendNotice } from '../mailbox/mailbox';
import type { ProductUser } from '../products/product-users';
import type { SegmentStore } from '../segment/store';
import type { SendGridStore } from '../sendgrid/store';
import type { Db } from '../storage/database';

export type SetupAction = 'linked' | 'created';
/** How the set-up was proved or done: the Segment user's password, or a new user created for the Twilio login. */
export type SetupMethod = 'product_password' | 'new_user';

export interface SetupRecord {
  twilioSub: string;
  product: SetupProductId;
  productUserId: string;
  action: SetupAction;
  method: SetupMethod;
  /** A sentence for the Console's account page. */
  details: string;
  at: number;
}

export interface SetupResult {
  productUser: ProductUser;
  /** False when this request found the set-up already done (e.g. the second of two identical submissions). */
  changed: boolean;
}

export const MAX_NAME_LENGTH = 64;

/** A workspace or account name as typed, trimmed; refused when too long, on several lines or with hidden characters. */
export function cleanName(value: string | undefined, fallback: string): string {
  const name = (value ?? '').normalize('NFC').trim() || fallback;
  const problem = displayNameProblem(name, MAX_NAME_LENGTH);
  if (problem) throw new SetupRefusal('invalid_name', problem);
  return name;
}

export function firstName(user: User): string {
  return user.name.split(' ')[0] || user.email.split('@')[0] || 'My';
}

export class ProductSetups {
  constructor(
    private readonly db: Db,
    private readonly segment: SegmentStore,
    private readonly sendgrid: SendGridStore,
    private readonly clock: () => number,
  ) {}

  /** The product user linked to this Twilio user, if the product is set up. */
  linkedUser(product: SetupProductId, twilioSub: string): ProductUser | undefined {
    return this.store(product).users.findByTwilioSub(twilioSub);
  }

  /** The product user with the Twilio user's email, linked or not (what the set-up page offers or explains). */
  userWithSameEmail(product: SetupProductId, twilio: User): ProductUser | undefined {
    return this.store(product).users.findByEmail(twilio.email);
  }

  /** The audit trail of a Twilio user's set-ups, oldest first. */
  setupsOf(twilioSub: string): SetupRecord[] {
    const rows = this.db
      .prepare(
        `SELECT twilio_sub, product, product_user_id, action, method, details, at FROM product_setups
         WHERE twilio_sub = ? ORDER BY at, id`,
      )
      .all(twilioSub) as {
      twilio_sub: string;
      product: SetupProductId;
      product_user_id: string;
      action: SetupAction;
      method: SetupMethod;
      details: string;
      at: number;
    }[];
    return rows.map((row) => ({
      twilioSub: row.twilio_sub,
      product: row.product,
      productUserId: row.product_user_id,
      action: row.action,
      method: row.method,
      details: row.details,
      at: row.at,
    }));
  }

  /**
   * Links the Segment user with the Twilio user's email after checking its password, retiring that password in
   * the same transaction that records the link and the audit event. Roles, workspaces and invitations stay.
   * Throws `SetupRefusal` (the caller counts `wrong_password` as a failed login for throttling).
   */
  async linkSegmentUser(twilio: User, password: string): Promise<SetupResult> {
    const already = this.segment.users.findByTwilioSub(twilio.id);
    if (already) return { productUser: already, changed: false };
    const candidate = this.segment.users.findByEmail(twilio.email);
    if (!candidate) {
      // Still spend a hash's time, so this answer is not faster than a wrong password.
      await verifyPassword(undefined, password);
      throw new SetupRefusal(
        'no_matching_user',
        `No Segment user has the email ${twilio.email}. To link a Segment user with another email, sign in to ` +
          `Segment with it and change its email to ${twilio.email} first, or create a new Segment user instead.`,
      );
    }
    if (candidate.twilioSub) throw linkedToAnother('Segment', twilio.email);
    const valid = await verifyPassword(candidate.passwordHash, password);
    if (!valid) {
      throw new SetupRefusal('wrong_password', `That is not the password of the Segment user ${candidate.email}.`);
    }
    return this.db.transaction((): SetupResult => {
      const mine = this.segment.users.findByTwilioSub(twilio.id);
      if (mine) return { productUser: mine, changed: false };
      // The password was checked outside this transaction: either email may have changed meanwhile.
      const email = this.currentEmail(twilio);
      if (email !== normaliseEmail(twilio.email)) {
        throw new SetupRefusal(
          'email_changed',
          `Your Twilio email changed to ${email} while the Segment user ${candidate.email} was being linked, so it ` +
            `was not linked. Set up Segment again for ${email}.`,
        );
      }
      if (normaliseEmail(this.segment.users.findById(candidate.id)?.email ?? '') !== email) {
        throw new SetupRefusal(
          'email_changed',
          `The Segment user ${candidate.email} changed its email while it was being linked, so it was not linked. ` +
            'Set up Segment again.',
        );
      }
      if (!this.segment.users.linkToTwilio(candidate.id, twilio.id)) throw linkedToAnother('Segment', twilio.email);
      this.record({
        twilioSub: twilio.id,
        product: 'segment',
        productUserId: candidate.id,
        action: 'linked',
        method: 'product_password',
        details: `Linked the existing Segment user ${candidate.email} by confirming its Segment password; that password no longer works.`,
      });
      sendNotice(this.db, { to: email, kind: 'product_linked', product: 'Segment' }, this.clock());
      return { productUser: this.segment.users.findById(candidate.id)!, changed: true };
    })();
  }

  /**
   * Creates a Segment user for the Twilio user, on the free plan, with a new workspace they own. Refused when a
   * Segment user with the same email exists: an unlinked one is to be linked instead, never duplicated.
   */
  createSegmentUser(asRead: User, workspaceName: string | undefined): SetupResult {
    const name = cleanName(workspaceName, `${firstName(asRead)}'s workspace`);
    return this.db.transaction((): SetupResult => {
      const twilio = { ...asRead, email: this.currentEmail(asRead) };
      const mine = this.segment.users.findByTwilioSub(twilio.id);
      if (mine) return { productUser: mine, changed: false };
      const sameEmail = this.segment.users.findByEmail(twilio.email);
      if (sameEmail?.twilioSub) throw linkedToAnother('Segment', twilio.email);
      if (sameEmail) {
        throw new SetupRefusal(
          'link_existing_instead',
          `A Segment user with the email ${twilio.email} already exists. Link it instead of creating a second one: ` +
            'enter its Segment password.',
        );
      }
      const user = this.segment.users.create({ email: twilio.email, name: twilio.name, twilioSub: twilio.id });
      const workspace = this.segment.createWorkspace(name, { plan: 'free' });
      this.segment.addMember(workspace.id, user.id, 'Owner');
      this.record({
        twilioSub: twilio.id,
        product: 'segment',
        productUserId: user.id,
        action: 'created',
        method: 'new_user',
        details: `Created a new Segment user on the free plan with the workspace "${workspace.name}" (Owner).`,
      });
      return { productUser: user, changed: true };
    })();
  }

  /**
   * Creates a SendGrid user for the Twilio user, with a new account on the free plan where they are Admin.
   * Existing SendGrid users cannot be linked; one with the same email is a conflict, explained, never overwritten.
   */
  createSendGridUser(asRead: User, accountName: string | undefined): SetupResult {
    const name = cleanName(accountName, `${firstName(asRead)}'s account`);
    return this.db.transaction((): SetupResult => {
      const twilio = { ...asRead, email: this.currentEmail(asRead) };
      const mine = this.sendgrid.users.findByTwilioSub(twilio.id);
      if (mine) return { productUser: mine, changed: false };
      const sameEmail = this.sendgrid.users.findByEmail(twilio.email);
      if (sameEmail?.twilioSub) throw linkedToAnother('SendGrid', twilio.email);
      if (sameEmail) {
        throw new SetupRefusal(
          'email_in_use',
          `A SendGrid user with the email ${twilio.email} already exists, and existing SendGrid users can't be ` +
            'linked to a Twilio login. To create a new one, first sign in to SendGrid with that user and change its ' +
            'email, or contact support.',
        );
      }
      const user = this.sendgrid.users.create({ email: twilio.email, name: twilio.name, twilioSub: twilio.id });
      const account = this.sendgrid.createAccount(name, { plan: 'free' });
      this.sendgrid.addTeammate(account.id, user.id, 'Admin');
      this.record({
        twilioSub: twilio.id,
        product: 'sendgrid',
        productUserId: user.id,
        action: 'created',
        method: 'new_user',
        details: `Created a new SendGrid user with the account "${account.name}" on the free plan (Admin).`,
      });
      return { productUser: user, changed: true };
    })();
  }

  /** The Twilio user's email as stored now (a change confirmed since `twilio` was read), normalised. */
  private currentEmail(twilio: User): string {
    const row = this.db.prepare('SELECT email FROM users WHERE id = ?').get(twilio.id) as { email: string } | undefined;
    return normaliseEmail(row?.email ?? twilio.email);
  }

  private store(product: SetupProductId): SegmentStore | SendGridStore {
    return product === 'segment' ? this.segment : this.sendgrid;
  }

  private record(entry: Omit<SetupRecord, 'at'>): void {
    this.db
      .prepare(
        `INSERT INTO product_setups (twilio_sub, product, product_user_id, action, method, details, at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.twilioSub,
        entry.product,
        entry.productUserId,
        entry.action,
        entry.method,
        entry.details,
        this.clock(),
      );
  }
}

function linkedToAnother(productName: string, email: string): SetupRefusal {
  return new SetupRefusal(
    'linked_to_another',
    `The ${productName} user ${email} is already linked to a different Twilio login. Sign in with that Twilio ` +
      'login, or contact support.',
  );
}
