/**
 * A Segment or SendGrid user who is not linked changes its email the way the Console does: the request stores a
 * pending change and a link goes to the new address; the change takes effect only when that link is opened by the
 * same signed-in user, once, within 30 minutes; the same rate limits as the Console's apply. Another user of the
 * product is a collision explained at once. A Twilio login's email cannot be taken, but asking for one answers as
 * any address does (its owner gets a notice instead of a link), so the page never tells who has a Twilio login; a
 * change that meets one at confirmation is refused without saying why. An address on an organization's verified
 * domain is refused outright, at the request and again at confirmation, with the same reason for every address of
 * the domain (whose organization the Twilio login shows anyway), so it tells nothing about the address.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SetupProductId } from '../../../contract/catalogue';
import { normaliseEmail } from '../../../contract/email';
import { EMAIL_CHANGE_TTL_MS } from '../../accounts/email-change';
import { type EmailChangeLimits, productSettingsRefusal } from '../../accounts/email-change-limits';
import { ProductSettingsError } from '../../errors';
import { emailDomain, type OrganizationStore } from '../../organizations/organizations';
import type { Db } from '../../storage/database';
import type { ProductUsers } from '../product-users';

interface Row {
  user_id: string;
  new_email: string;
  expires_at: number;
  used_at: number | null;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ProductEmailChanges {
  private readonly limits: EmailChangeLimits;

  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    private readonly product: SetupProductId,
    private readonly productName: string,
    private readonly users: ProductUsers,
    limits: EmailChangeLimits,
    /** Whose verified domains an address may be on (the world's one store). */
    private readonly organizations: OrganizationStore,
  ) {
    this.limits = limits.refusingWith(productSettingsRefusal);
  }

  private isTwilioLogin(email: string): boolean {
    return this.db.prepare('SELECT 1 FROM users WHERE email = ?').get(email) !== undefined;
  }

  /** The refusal when `email` belongs to another user of this product (a collision worth explaining). */
  private refuseProductCollision(email: string, userId: string): void {
    const other = this.users.findByEmail(email);
    if (other && other.id !== userId) {
      const description = `${email} is already used by another ${this.productName} user. Use another email.`;
      throw new ProductSettingsError('email', 'email_taken', description);
    }
  }

  /**
   * An address on an organization's verified domain is the organization's to give (by SCIM): a product user holding
   * it would be offered to, or block the set-up of, whoever the organization provisions with it.
   */
  private refuseOrganizationAddress(email: string): void {
    const organization = this.organizations.forEmail(email);
    if (organization) {
      const description = `Addresses at ${emailDomain(email)} are managed by ${organization.name}: its administrator gives them out. Use another email for your ${this.productName} login.`;
      throw new ProductSettingsError('email', 'email_domain_managed', description);
    }
  }

  /** At confirmation, a Twilio login's email: refused without saying whose it is. */
  private refuseTwilioLogin(email: string): void {
    if (this.isTwilioLogin(email)) {
      const description = `This email cannot be used for your ${this.productName} login. Use another email.`;
      throw new ProductSettingsError('email', 'email_unavailable', description);
    }
  }

  /**
   * Records a pending change (replacing any earlier one) and returns the secret token for the link to send. A
   * Twilio login's email gets no link but the same answer and limits (so the page does not tell whose it is):
   * `twilio_login`, and the route notifies that address's owner instead.
   */
  request(userId: string, newEmail: string): { token: string } | 'twilio_login' {
    const email = normaliseEmail(newEmail);
    // First, and not counted: the same answer for every address of the domain, whoever has one.
    this.refuseOrganizationAddress(email);
    this.limits.takeCheck(userId, email);
    this.refuseProductCollision(email, userId);
    this.limits.takeMail(userId, email);
    const dropPending = this.db.prepare(
      'DELETE FROM product_email_changes WHERE product = ? AND user_id = ? AND used_at IS NULL',
    );
    if (this.isTwilioLogin(email)) {
      dropPending.run(this.product, userId);
      return 'twilio_login';
    }
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    this.db.transaction(() => {
      dropPending.run(this.product, userId);
      this.db
        .prepare(
          `INSERT INTO product_email_changes (token_hash, product, user_id, new_email, created_at, expires_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(hashToken(token), this.product, userId, email, now, now + EMAIL_CHANGE_TTL_MS);
    })();
    return { token };
  }

  /** The new email behind `token` for `userId`, or the reason the link cannot be used. Writes nothing. */
  check(token: string, userId: string): string {
    const row =
      token.length > 0 && token.length <= 128
        ? (this.db
            .prepare('SELECT * FROM product_email_changes WHERE token_hash = ? AND product = ?')
            .get(hashToken(token), this.product) as Row | undefined)
        : undefined;
    const refuse = (description: string) => new ProductSettingsError('email', 'link_invalid', description);
    if (!row) throw refuse('This verification link is not valid. Request a new one.');
    if (row.user_id !== userId) {
      throw refuse(`This verification link belongs to another ${this.productName} user. Sign in as that user.`);
    }
    if (row.used_at !== null) throw refuse('This verification link has already been used.');
    if (row.expires_at <= this.clock()) throw refuse('This verification link has expired. Request the change again.');
    return row.new_email;
  }

  /** Applies the change behind `token` in one transaction: the link is used up and collisions are checked again. */
  confirm(token: string, userId: string): string {
    return this.db.transaction(() => {
      const email = this.check(token, userId);
      // The domain may have been verified since the link was sent.
      this.refuseOrganizationAddress(email);
      this.refuseTwilioLogin(email);
      this.refuseProductCollision(email, userId);
      const outcome = this.users.setEmail(userId, email);
      if (outcome === 'twilio_user') this.refuseTwilioLogin(email);
      if (outcome === 'taken') this.refuseProductCollision(email, '');
      if (outcome === 'linked') {
        throw new ProductSettingsError('email', 'link_invalid', 'Your email is now managed in your Twilio Console.');
      }
      this.db
        .prepare('UPDATE product_email_changes SET used_at = ? WHERE token_hash = ?')
        .run(this.clock(), hashToken(token));
      return email;
    })();
  }
}
