/**
 * The dev mailbox: every message the mock world "sends" (email-change verification links, security notices) is
 * stored here instead of leaving the machine, and shown at `http://login.twilio.localhost:<port>/dev/mailbox`.
 * Other parts call `sendNotice()` for security notices (e.g. linking calls it with `product_linked`).
 */
import { normaliseEmail } from '../../contract/email';
import type { Db } from '../storage/database';

export interface MailMessage {
  id: number;
  to: string;
  subject: string;
  body: string;
  /** The one link the message is about (a verification link), if any. */
  link: string | undefined;
  kind: MailKind;
  sentAt: number;
}

export type NoticeKind =
  | 'password_changed'
  | 'email_changed'
  | 'email_change_requested'
  | 'two_factor_on'
  | 'two_factor_off'
  | 'product_linked'
  | 'product_email_refused'
  /** A product login's own changes (Segment, SendGrid users not linked to Twilio), named by product and email. */
  | 'product_email_change_requested'
  | 'product_email_changed'
  | 'product_password_changed'
  /** An organization took in the Twilio user (SCIM, their address on its verified domain): it manages them now. */
  | 'organization_took_in';
/** Access requests (limited release): support's notice of a new request, the user's notice of the decision. */
export type AccessMailKind = 'access_requested' | 'access_granted' | 'access_declined';
export type MailKind = NoticeKind | AccessMailKind | 'email_verification';

export interface OutgoingMail {
  to: string;
  subject: string;
  body: string;
  link?: string;
  kind: MailKind;
}

interface Row {
  id: number;
  recipient: string;
  subject: string;
  body: string;
  link: string | null;
  kind: MailKind;
  sent_at: number;
}

/** Stores `mail` as sent at `now` and returns it. */
export function sendMail(db: Db, mail: OutgoingMail, now: number = Date.now()): MailMessage {
  const to = normaliseEmail(mail.to);
  const result = db
    .prepare('INSERT INTO mailbox (recipient, subject, body, link, kind, sent_at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(to, mail.subject, mail.body, mail.link ?? null, mail.kind, now);
  return { id: Number(result.lastInsertRowid), ...mail, to, link: mail.link, sentAt: now };
}

export interface SecurityNotice {
  /** The address the notice goes to (the user's current email; for an email change, also the old one). */
  to: string;
  kind: NoticeKind;
  /** Product name, for the `product_…` kinds ("Segment"). */
  product?: string;
  /** The new address, for `email_changed` / `email_change_requested` and their `product_…` kinds. */
  newEmail?: string;
  /** The organization's name, for `organization_took_in` ("Acme"). */
  organization?: string;
}

function noticeText({ to, kind, product, newEmail, organization }: SecurityNotice): { subject: string; body: string } {
  const notYou = 'If this was not you, change your password now and contact support.';
  // A product's own login is named by the product and its email: one person may have several.
  const productName = product ?? 'product';
  const productLogin = `your ${productName} login ${to}`;
  // Once the change is made, whoever made it holds the login: only the product's support can give it back.
  const productLockedOut = `If this was not you, contact ${productName} support now.`;
  switch (kind) {
    case 'password_changed':
      return {
        subject: 'Your Twilio password was changed',
        body: `The password of your Twilio login was changed, and you were signed out everywhere else. ${notYou}`,
      };
    case 'email_changed':
      return {
        subject: 'Your Twilio email was changed',
        body: `Your Twilio login now uses ${newEmail ?? 'a new email'}. ${notYou}`,
      };
    case 'email_change_requested':
      return {
        subject: 'A change of your Twilio email was requested',
        body: `Someone asked to change the email of your Twilio login to ${newEmail ?? 'a new address'}. Nothing changes until the link sent to that address is opened. ${notYou}`,
      };
    case 'two_factor_on':
      return {
        subject: 'Two-factor authentication is on',
        body: `Two-factor authentication was turned on for your Twilio login. ${notYou}`,
      };
    case 'two_factor_off':
      return {
        subject: 'Two-factor authentication is off',
        body: `Two-factor authentication was turned off for your Twilio login. ${notYou}`,
      };
    case 'product_linked':
      return {
        subject: `${product ?? 'A product'} now uses your Twilio login`,
        body: `${product ?? 'A product'} was linked to your Twilio login: sign in to it with your Twilio email and password from now on. ${notYou}`,
      };
    case 'product_email_refused':
      return {
        subject: `Your email was not added to a ${product ?? 'product'} login`,
        body: `Someone signed in to ${product ?? 'a product'} asked to use this address for their ${product ?? 'product'} login. It is your Twilio login's email, so it cannot be used for another login, and nothing changed. To use ${product ?? 'the product'} yourself, open it from the switcher in your Twilio Console. If this was not you, you can ignore this message.`,
      };
    case 'product_email_change_requested':
      return {
        subject: `A change of your ${productName} email was requested`,
        body: `Someone asked to change the email of ${productLogin} to ${newEmail ?? 'a new address'}. Nothing changes unless the change is confirmed from that address. If this was not you, change your ${productName} password now.`,
      };
    case 'product_email_changed':
      return {
        subject: `Your ${productName} email was changed`,
        body: `The email of ${productLogin} was changed to ${newEmail ?? 'a new address'}: sign in to ${productName} with it from now on. ${productLockedOut}`,
      };
    case 'product_password_changed':
      return {
        subject: `Your ${productName} password was changed`,
        body: `The password of ${productLogin} was changed, and you were signed out of ${productName} everywhere else. ${productLockedOut}`,
      };
    case 'organization_took_in': {
      const name = organization ?? 'Your organization';
      return {
        subject: `${name} now manages your Twilio login`,
        body: `${name} verified the domain of ${to}, and its administrator added your Twilio login to the ${name} organization. From now on ${name} manages your email, can deactivate your login, and can have you sign in with its single sign-on instead of your password. Your Segment and SendGrid users, workspaces and settings stay as they are. If you did not expect this, ask ${name}'s administrator or contact Twilio support.`,
      };
    }
  }
}

/** Sends a security notice to the dev mailbox (what a real system would email). */
export function sendNotice(db: Db, notice: SecurityNotice, now: number = Date.now()): MailMessage {
  return sendMail(db, { to: notice.to, kind: notice.kind, ...noticeText(notice) }, now);
}

/** Messages newest first, optionally only those to one recipient. */
export function listMail(db: Db, { to, limit = 200 }: { to?: string; limit?: number } = {}): MailMessage[] {
  const rows = (
    to
      ? db.prepare('SELECT * FROM mailbox WHERE recipient = ? ORDER BY id DESC LIMIT ?').all(normaliseEmail(to), limit)
      : db.prepare('SELECT * FROM mailbox ORDER BY id DESC LIMIT ?').all(limit)
  ) as Row[];
  return rows.map((row) => ({
    id: row.id,
    to: row.recipient,
    subject: row.subject,
    body: row.body,
    link: row.link ?? undefined,
    kind: row.kind,
    sentAt: row.sent_at,
  }));
}
