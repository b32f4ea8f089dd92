/**
 * Changing a Twilio user's email: the request stores a pending change and a verification link goes to the new
 * address; the change takes effect only when that link is opened by the same user, once, within 30 minutes.
 * Collisions (another Twilio user, an unlinked Segment or SendGrid user) are checked at request time and again,
 * inside the transaction that writes, at verification time; the UNIQUE email column decides races. Linked
 * Segment/SendGrid users take the new email in the same transaction (they are found by subject, not email).
 * A password change cancels the user's pending change: whoever the new password shuts out may have asked for it,
 * so its link must not change the email afterwards.
 */

import { createHash, randomBytes } from 'node:crypto';
import { emailCharacterProblem, isEmailAddress, normaliseEmail } from '../../contract/email';
import { SettingsError } from '../errors';
import type { Db } from '../storage/database';
import { EmailChangeLimits } from './email-change-limits';
import { describeEmailCollision, findEmailCollision, moveLinkedProductEmails } from './email-collision';

export const EMAIL_CHANGE_TTL_MS = 30 * 60_000;

export interface PendingEmailChange {
  userId: string;
  newEmail: string;
  expiresAt: number;
}

interface Row {
  token_hash: string;
  user_id: string;
  new_email: string;
  expires_at: number;
  used_at: number | null;
  cancelled_at: number | null;
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** The normalised new email, or a `SettingsError` saying what is wrong with it. */
export function validNewEmail(input: string, currentEmail: string): string {
  const problem = emailCharacterProblem(input);
  if (problem) throw new SettingsError('invalid_email', problem);
  const email = normaliseEmail(input);
  if (!isEmailAddress(email)) {
    throw new SettingsError('invalid_email', 'Enter a valid email address, like name@example.com.');
  }
  if (email === normaliseEmail(currentEmail)) {
    throw new SettingsError('same_email', 'That is already your email.');
  }
  return email;
}

function refuseCollision(db: Db, email: string, userId: string): void {
  const collision = findEmailCollision(db, email, userId);
  if (collision) throw new SettingsError('email_taken', describeEmailCollision(email, collision));
}

export class EmailChanges {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
    private readonly limits = new EmailChangeLimits(clock),
  ) {}

  /**
   * Records a pending change of `userId`'s email to `newEmail` (replacing any earlier one) and returns the secret
   * token for the verification link. Throws `email_taken` when the email already belongs to someone else, and
   * `too_many_requests` (429) past the limits on collision checks and verification mails (email-change-limits.ts).
   */
  request(userId: string, newEmail: string): { token: string; expiresAt: number } {
    this.limits.takeCheck(userId, newEmail);
    const token = randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = now + EMAIL_CHANGE_TTL_MS;
    this.db.transaction(() => {
      refuseCollision(this.db, newEmail, userId);
      this.limits.takeMail(userId, newEmail);
      // A cancelled change keeps its row until it expires, so its link keeps saying why it no longer works.
      this.db
        .prepare('DELETE FROM email_changes WHERE user_id = ? AND used_at IS NULL AND cancelled_at IS NULL')
        .run(userId);
      this.db
        .prepare(
          'INSERT INTO email_changes (token_hash, user_id, new_email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(hashToken(token), userId, normaliseEmail(newEmail), now, expiresAt);
    })();
    return { token, expiresAt };
  }

  /** The pending change behind `token` for `userId`, or the reason the link cannot be used. Writes nothing. */
  check(token: string, userId: string): PendingEmailChange {
    const row =
      token.length > 0 && token.length <= 128
        ? (this.db.prepare('SELECT * FROM email_changes WHERE token_hash = ?').get(hashToken(token)) as Row | undefined)
        : undefined;
    if (!row) throw new SettingsError('link_invalid', 'This verification link is not valid. Request a new one.');
    if (row.user_id !== userId) {
      throw new SettingsError(
        'link_other_user',
        'This verification link belongs to another Twilio login. Sign in as the user who asked for the change.',
      );
    }
    if (row.used_at !== null) throw new SettingsError('link_used', 'This verification link has already been used.');
    if (row.cancelled_at !== null) {
      throw new SettingsError(
        'link_cancelled',
        'This verification link is no longer valid: the password of this Twilio login was changed after the change of email was asked for. Request the change again if you still want it.',
      );
    }
    if (row.expires_at <= this.clock()) {
      throw new SettingsError('link_expired', 'This verification link has expired. Request the change again.');
    }
    return { userId: row.user_id, newEmail: row.new_email, expiresAt: row.expires_at };
  }

  /** After `userId`'s password changed: their pending change, if any, can no longer be confirmed. */
  cancelPendingOf(userId: string): void {
    this.db
      .prepare(
        'UPDATE email_changes SET cancelled_at = ? WHERE user_id = ? AND used_at IS NULL AND cancelled_at IS NULL',
      )
      .run(this.clock(), userId);
  }

  /**
   * Applies the change behind `token` for `userId` in one transaction: the link is checked and used up, the
   * collision check runs again, and the UNIQUE email column settles a race between two users.
   */
  confirm(token: string, userId: string): { oldEmail: string; newEmail: string } {
    return this.db.transaction(() => {
      const pending = this.check(token, userId);
      const current = this.db.prepare('SELECT email FROM users WHERE id = ?').get(userId) as
        | { email: string }
        | undefined;
      if (!current) throw new SettingsError('link_invalid', 'This verification link is not valid.');
      refuseCollision(this.db, pending.newEmail, userId);
      try {
        this.db.prepare('UPDATE users SET email = ? WHERE id = ?').run(pending.newEmail, userId);
        moveLinkedProductEmails(this.db, userId, pending.newEmail);
      } catch (cause) {
        if ((cause as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new SettingsError(
            'email_taken',
            describeEmailCollision(pending.newEmail, { product: 'twilio', kind: 'twilio_user' }),
            { cause },
          );
        }
        throw cause;
      }
      this.db.prepare('UPDATE email_changes SET used_at = ? WHERE token_hash = ?').run(this.clock(), hashToken(token));
      return { oldEmail: current.email, newEmail: pending.newEmail };
    })();
  }
}
