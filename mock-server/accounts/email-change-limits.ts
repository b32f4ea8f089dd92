/**
 * Rate limits on asking for an email change: the collision check answers whether an address is a Twilio, Segment
 * or SendGrid user (a wanted, helpful message), so it must not serve to probe lists of addresses, and verification
 * mail must not be sent in bursts. Checks and mails are counted per user and per address (from any user), with the
 * same fixed windows as the login lookup; a refusal is 429 with Retry-After.
 */
import { normaliseEmail } from '../../contract/email';
import { ProductSettingsError, SettingsError } from '../errors';
import { type RateLimit, RateWindows } from './rate-windows';

/** A person correcting a typo a few times, not a script walking through a list. */
export const EMAIL_CHECKS_PER_USER: RateLimit = { limit: 10, windowMs: 15 * 60_000 };
/** One address asked about by many accounts is a distributed probe. */
export const EMAIL_CHECKS_PER_ADDRESS: RateLimit = { limit: 5, windowMs: 15 * 60_000 };
/** Verification mails a user may have sent, and an address may receive, per hour. */
export const VERIFICATION_MAILS_PER_USER: RateLimit = { limit: 3, windowMs: 60 * 60_000 };
export const VERIFICATION_MAILS_PER_ADDRESS: RateLimit = { limit: 3, windowMs: 60 * 60_000 };

export type LimitRefusal = (description: string, retryAfterSeconds: number) => Error;

/** The Console's refusal: its settings form again, with the reason, 429 and Retry-After. */
export const settingsRefusal: LimitRefusal = (description, retryAfterSeconds) =>
  new SettingsError('too_many_requests', description, { retryAfterSeconds });
/** A product settings page's refusal. */
export const productSettingsRefusal: LimitRefusal = (description, retryAfterSeconds) =>
  new ProductSettingsError('email', 'too_many_requests', description, { retryAfterSeconds });

interface Windows {
  checksPerUser: RateWindows;
  checksPerAddress: RateWindows;
  mailsPerUser: RateWindows;
  mailsPerAddress: RateWindows;
}

/**
 * One per world: an address is counted whichever site asks about it or mails it (the Console, Segment and
 * SendGrid each keeping their own counts let one address get three times the mail). Each site refuses in its own
 * words (`refusingWith`); user keys do not collide (Twilio and product user ids differ).
 */
export class EmailChangeLimits {
  private readonly windows: Windows;

  constructor(
    clock: () => number,
    private readonly refuse: LimitRefusal = settingsRefusal,
    windows?: Windows,
  ) {
    this.windows = windows ?? {
      checksPerUser: new RateWindows(EMAIL_CHECKS_PER_USER, clock),
      checksPerAddress: new RateWindows(EMAIL_CHECKS_PER_ADDRESS, clock),
      mailsPerUser: new RateWindows(VERIFICATION_MAILS_PER_USER, clock),
      mailsPerAddress: new RateWindows(VERIFICATION_MAILS_PER_ADDRESS, clock),
    };
  }

  /** The same counts, refused as `refuse` says (a product settings page's words). */
  refusingWith(refuse: LimitRefusal): EmailChangeLimits {
    return new EmailChangeLimits(() => 0, refuse, this.windows);
  }

  /** Counts one collision check of `email` by `userKey`, or refuses it (before the check runs). */
  takeCheck(userKey: string, email: string): void {
    const { checksPerUser, checksPerAddress } = this.windows;
    const wait = checksPerUser.take(userKey) || checksPerAddress.take(normaliseEmail(email));
    if (wait > 0) {
      throw this.refuse('You have tried too many new emails. Wait a little before trying again.', wait);
    }
  }

  /** Counts one verification mail from `userKey` to `email`, or refuses it (nothing is sent). */
  takeMail(userKey: string, email: string): void {
    const { mailsPerUser, mailsPerAddress } = this.windows;
    const wait = mailsPerUser.take(userKey) || mailsPerAddress.take(normaliseEmail(email));
    if (wait > 0) {
      throw this.refuse(
        'Too many verification emails were sent for this change. Wait a little before asking again.',
        wait,
      );
    }
  }
}
