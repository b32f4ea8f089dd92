/**
 * Deprovisioning: when an organization deactivates (or deletes) a managed user, every way in closes at once —
 * their grants are revoked (the extension's and the products' access and refresh tokens stop working), their IdP
 * sessions end with a back-channel logout to each product they reached, and the Console's, Segment's and
 * SendGrid's own sessions of that user are ended here as well, in case a product missed its logout token. Their
 * product users stay, with their workspaces and roles, unreachable until the organization reactivates them.
 */

import type Provider from 'oidc-provider';
import { AccountSessions } from '../identity/end-sessions';
import type { Db } from '../storage/database';
import { endProductSessions, endRpSessions } from '../storage/session-ends';

export interface SignedOut {
  grantsRevoked: number;
  idpSessionsEnded: number;
  productSessionsEnded: number;
}

export class Deprovisioning {
  private readonly sessions: AccountSessions;

  constructor(
    provider: Provider,
    private readonly db: Db,
  ) {
    this.sessions = new AccountSessions(provider, db);
  }

  /** Signs the (already deactivated) user out of everything. */
  async signOutEverywhere(userId: string): Promise<SignedOut> {
    const idpSessionsEnded = await this.sessions.endIdpSessions(userId);
    const grantsRevoked = await this.sessions.revokeGrants(userId);
    const productSessionsEnded =
      endRpSessions(this.db, 'console', { sub: userId, sid: undefined }) +
      endProductSessions(this.db, 'segment', { sub: userId, sid: undefined }) +
      endProductSessions(this.db, 'sendgrid', { sub: userId, sid: undefined });
    return { grantsRevoked, idpSessionsEnded, productSessionsEnded };
  }
}
