/**
 * Whether an email is free for a Twilio user to take (docs/architecture.md, "Identity and products"). The article warns that an email already
 * used by another SendGrid (or Segment) user may lock the user out on their next login; we refuse such a change
 * before anything is saved instead. A product user linked to a Twilio login is identified by its stable subject,
 * never its email, so only *unlinked* product users (and other Twilio users) collide.
 */
import type { SetupProductId } from '../../contract/catalogue';
import { normaliseEmail } from '../../contract/email';
import type { Db } from '../storage/database';

export type CollisionProduct = 'twilio' | SetupProductId;

export interface EmailCollision {
  product: CollisionProduct;
  /** `twilio_user`: another Twilio login; `unlinked_product_user`: a product user with its own password. */
  kind: 'twilio_user' | 'unlinked_product_user';
}

const PRODUCT_NAMES: Record<CollisionProduct, string> = { twilio: 'Twilio', segment: 'Segment', sendgrid: 'SendGrid' };

/** The product users tables this check reads, if they exist yet (the products' own migrations create them). */
const PRODUCT_TABLES: readonly { product: SetupProductId; table: string }[] = [
  { product: 'segment', table: 'segment_users' },
  { product: 'sendgrid', table: 'sendgrid_users' },
];

/** The product users tables present in this database (before the products' migrations, none). */
export function productUsersTables(db: Db): { product: SetupProductId; table: string }[] {
  return PRODUCT_TABLES.filter(({ table }) => hasProductUsersTable(db, table));
}

function hasProductUsersTable(db: Db, table: string): boolean {
  const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[];
  const names = new Set(columns.map((column) => column.name));
  return names.has('email') && names.has('twilio_sub');
}

/**
 * The first user other than Twilio user `sub` who already has `email`: another Twilio user, or an unlinked
 * Segment or SendGrid user. Undefined when the email is free. Call it inside the transaction that saves the
 * change, so the check and the write see the same data.
 */
export function findEmailCollision(db: Db, email: string, sub: string): EmailCollision | undefined {
  const normalised = normaliseEmail(email);
  const twilio = db.prepare('SELECT 1 FROM users WHERE email = ? AND id <> ?').get(normalised, sub);
  if (twilio) return { product: 'twilio', kind: 'twilio_user' };
  for (const { product, table } of productUsersTables(db)) {
    // The table name comes from the constant list above, never from input.
    const unlinked = db.prepare(`SELECT 1 FROM ${table} WHERE lower(email) = ? AND twilio_sub IS NULL`).get(normalised);
    if (unlinked) return { product, kind: 'unlinked_product_user' };
  }
  return undefined;
}

/**
 * Linked Segment and SendGrid users show their Twilio user's email (it is managed there): after the Twilio email
 * changed, they take it too. Call it in the transaction that changed it.
 */
export function moveLinkedProductEmails(db: Db, sub: string, email: string): void {
  for (const { table } of productUsersTables(db)) {
    // The table name comes from the constant list above, never from input.
    db.prepare(`UPDATE ${table} SET email = ? WHERE twilio_sub = ?`).run(normaliseEmail(email), sub);
  }
}

/** What to tell the user, naming the product and what they can do. */
export function describeEmailCollision(email: string, collision: EmailCollision): string {
  const shown = normaliseEmail(email);
  if (collision.kind === 'twilio_user') {
    return `${shown} is already used by another Twilio login. Use another email.`;
  }
  const name = PRODUCT_NAMES[collision.product];
  return `${shown} is already a ${name} user that isn't linked to Twilio. Use another email, or ask that user to change theirs.`;
}
