/**
 * What the SP remembers between messages, in SQLite so it survives a restart and is atomic:
 * - the AuthnRequests it sent (ID, organization, the sign-in they belong to): a response's InResponseTo must name
 *   one that this SP sent for that organization, unexpired, and each is used once;
 * - the assertion IDs it accepted, until they expire: the same assertion is never accepted twice;
 * - the login tickets that carry a verified SSO sign-in from the ACS (a cross-site POST, which carries no
 *   SameSite=Lax cookie) to the sign-in page in the user's own browser (a top-level GET, which does).
 */
import { randomBytes } from 'node:crypto';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Db } from '../storage/database';

/** How long the IdP may take to answer an AuthnRequest (the person signs in there). */
export const REQUEST_TTL_MS = 10 * 60_000;
export const TICKET_TTL_MS = 2 * 60_000;

export type RequestState = 'unknown' | 'pending' | 'used' | 'expired';

export class SamlState {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /** Records an AuthnRequest about to be sent; returns its ID. */
  newRequest(organizationId: string, interactionUid: string): string {
    const id = `_${randomBytes(20).toString('hex')}`;
    const now = this.clock();
    this.db
      .prepare(
        'INSERT INTO saml_requests (id, organization_id, interaction_uid, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, organizationId, interactionUid, now, now + REQUEST_TTL_MS);
    return id;
  }

  requestState(organizationId: string, id: string): RequestState {
    const row = this.db
      .prepare('SELECT expires_at, consumed_at FROM saml_requests WHERE id = ? AND organization_id = ?')
      .get(id, organizationId) as { expires_at: number; consumed_at: number | null } | undefined;
    if (!row) return 'unknown';
    if (row.consumed_at !== null) return 'used';
    return row.expires_at <= this.clock() ? 'expired' : 'pending';
  }

  /** Marks the request used; false if it already was (two responses raced for it). Returns its sign-in. */
  consumeRequest(organizationId: string, id: string): string | undefined {
    const row = this.db
      .prepare(
        `UPDATE saml_requests SET consumed_at = ? WHERE id = ? AND organization_id = ? AND consumed_at IS NULL
         AND expires_at > ? RETURNING interaction_uid`,
      )
      .get(this.clock(), id, organizationId, this.clock()) as { interaction_uid: string } | undefined;
    return row?.interaction_uid;
  }

  /**
   * node-saml's view of the requests of one organization: it asks whether an InResponseTo is pending. Saving is
   * ours (`newRequest`) and so is consuming (`consumeRequest`, atomic), so those two are no-ops here.
   */
  cacheFor(organizationId: string): CacheProvider {
    return {
      saveAsync: async (): Promise<CacheItem | null> => null,
      getAsync: async (id) => {
        const row = this.db
          .prepare(
            `SELECT created_at FROM saml_requests WHERE id = ? AND organization_id = ? AND consumed_at IS NULL
             AND expires_at > ?`,
          )
          .get(id, organizationId, this.clock()) as { created_at: number } | undefined;
        return row ? new Date(row.created_at).toISOString() : null;
      },
      removeAsync: async () => null,
    };
  }

  /** Records an accepted assertion; false if this issuer's assertion ID was accepted before. */
  firstUseOfAssertion(issuer: string, assertionId: string, expiresAt: number): boolean {
    const result = this.db
      .prepare(
        `INSERT INTO saml_assertions (issuer, assertion_id, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (issuer, assertion_id) DO NOTHING`,
      )
      .run(issuer, assertionId, expiresAt);
    return result.changes === 1;
  }

  /** A single-use ticket for the verified sign-in of `userId` (for sign-in `interactionUid`, if SP-initiated). */
  issueTicket(userId: string, interactionUid: string | undefined): string {
    const ticket = randomBytes(24).toString('base64url');
    this.db
      .prepare('INSERT INTO saml_logins (ticket, user_id, interaction_uid, expires_at) VALUES (?, ?, ?, ?)')
      .run(ticket, userId, interactionUid ?? null, this.clock() + TICKET_TTL_MS);
    return ticket;
  }

  /** The user an IdP-initiated ticket signs in, while it is unused and unexpired (the ticket stays unused). */
  idpInitiatedUser(ticket: string): string | undefined {
    const row = this.db
      .prepare('SELECT user_id FROM saml_logins WHERE ticket = ? AND expires_at > ? AND interaction_uid IS NULL')
      .get(ticket, this.clock()) as { user_id: string } | undefined;
    return row?.user_id;
  }

  /**
   * Redeems a ticket for the sign-in `interactionUid`; an SP-initiated ticket only for its own sign-in. Single use.
   */
  redeemTicket(ticket: string, interactionUid: string): string | undefined {
    const row = this.db
      .prepare(
        `DELETE FROM saml_logins WHERE ticket = ? AND expires_at > ? AND (interaction_uid IS NULL OR interaction_uid = ?)
         RETURNING user_id`,
      )
      .get(ticket, this.clock(), interactionUid) as { user_id: string } | undefined;
    return row?.user_id;
  }
}
