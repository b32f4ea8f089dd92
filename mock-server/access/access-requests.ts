/**
 * Requests for unified login during the limited release (after Atlassian's "request access"): a Twilio user who
 * is not eligible asks once, support hears of it in the dev mailbox, and a support operator grants or declines.
 * Asking again while a request is open is the same request (one pending row per user, enforced by a unique index).
 * A grant makes the user eligible at once, so their products become set-up-able without signing in again; after a
 * decline they may ask again.
 */
import { randomUUID } from 'node:crypto';
import type { User, UserStore } from '../accounts/users';
import { AccessRefusal } from '../errors';
import { sendMail } from '../mailbox/mailbox';
import type { Db } from '../storage/database';

/** Where support notices go (the dev mailbox shows it like any other recipient). */
export const SUPPORT_INBOX = 'support@twilio.example';

export type AccessRequestStatus = 'pending' | 'granted' | 'declined';

export interface AccessRequest {
  id: string;
  twilioSub: string;
  status: AccessRequestStatus;
  requestedAt: number;
  decidedAt: number | undefined;
  decidedBy: string | undefined;
}

interface Row {
  id: string;
  twilio_sub: string;
  status: AccessRequestStatus;
  requested_at: number;
  decided_at: number | null;
  decided_by: string | null;
}

const toRequest = (row: Row): AccessRequest => ({
  id: row.id,
  twilioSub: row.twilio_sub,
  status: row.status,
  requestedAt: row.requested_at,
  decidedAt: row.decided_at ?? undefined,
  decidedBy: row.decided_by ?? undefined,
});

export class AccessRequests {
  constructor(
    private readonly db: Db,
    private readonly users: UserStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The user's most recent request, if any. */
  latestOf(twilioSub: string): AccessRequest | undefined {
    const row = this.db
      .prepare('SELECT * FROM access_requests WHERE twilio_sub = ? ORDER BY requested_at DESC, rowid DESC LIMIT 1')
      .get(twilioSub) as Row | undefined;
    return row && toRequest(row);
  }

  find(id: string): AccessRequest | undefined {
    const row = this.db.prepare('SELECT * FROM access_requests WHERE id = ?').get(id) as Row | undefined;
    return row && toRequest(row);
  }

  /** Open requests first (oldest first, as a queue), then decided ones (newest first). */
  list(limit = 200): AccessRequest[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM access_requests
         ORDER BY status = 'pending' DESC, CASE WHEN status = 'pending' THEN requested_at ELSE -decided_at END
         LIMIT ?`,
      )
      .all(limit) as Row[];
    return rows.map(toRequest);
  }

  /**
   * Records a request for unified login, or returns the one already open (`created: false`). Sends support a
   * notice only for a new request.
   */
  request(user: User): { request: AccessRequest; created: boolean } {
    return this.db.transaction(() => {
      const current = this.users.findById(user.id);
      if (!current || current.eligible) {
        throw new AccessRefusal('already_eligible', 'You already have unified login: set up your products instead.');
      }
      const open = this.latestOf(user.id);
      if (open?.status === 'pending') return { request: open, created: false };
      const id = `ar_${randomUUID().replaceAll('-', '')}`;
      const now = this.clock();
      this.db
        .prepare('INSERT INTO access_requests (id, twilio_sub, status, requested_at) VALUES (?, ?, ?, ?)')
        .run(id, user.id, 'pending', now);
      sendMail(
        this.db,
        {
          to: SUPPORT_INBOX,
          kind: 'access_requested',
          subject: `Access request: ${current.name} (${current.email})`,
          body: `${current.name} (${current.email}) asked for unified login to Segment and SendGrid. Grant or decline it on the support page.`,
        },
        now,
      );
      return { request: this.find(id)!, created: true };
    })();
  }

  /** Grants an open request: the user becomes eligible for unified login at once, and is told so. */
  grant(id: string, operator: User): AccessRequest {
    return this.decide(id, operator, 'granted');
  }

  /** Declines an open request; the user is told and may ask again. */
  decline(id: string, operator: User): AccessRequest {
    return this.decide(id, operator, 'declined');
  }

  private decide(id: string, operator: User, status: 'granted' | 'declined'): AccessRequest {
    return this.db.transaction(() => {
      const request = this.find(id);
      if (request?.status !== 'pending') {
        throw new AccessRefusal('not_pending', 'This request was already decided. Reload the list.');
      }
      const now = this.clock();
      this.db
        .prepare('UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?')
        .run(status, now, operator.id, id);
      const user = this.users.findById(request.twilioSub);
      if (user && status === 'granted') this.users.makeEligible(user.id);
      if (user) {
        sendMail(
          this.db,
          status === 'granted'
            ? {
                to: user.email,
                kind: 'access_granted',
                subject: 'You can now use Segment and SendGrid with your Twilio login',
                body: 'Your request for unified login was granted. Open the product switcher to set up Segment or SendGrid.',
              }
            : {
                to: user.email,
                kind: 'access_declined',
                subject: 'Your request for unified login was declined',
                body: 'Support declined your request to use Segment and SendGrid with your Twilio login for now. You can ask again later.',
              },
          now,
        );
      }
      return this.find(id)!;
    })();
  }
}
