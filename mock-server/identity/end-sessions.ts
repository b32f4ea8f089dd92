/**
 * Ending a Twilio user's sessions from the server side: their grants (and with them every access token, refresh
 * token and code, through the adapter's `revokeByGrantId`), their IdP sessions (oidc-provider `Session` records,
 * with a back-channel logout to each product they signed in to), and the extension's grants when the user signs
 * out of Twilio at the IdP. Used by a password change and by sign-out everywhere.
 */
import type Provider from 'oidc-provider';
import type { SessionEndReason } from '../../contract/api';
import { EXTENSION_CLIENT_ID } from '../../contract/catalogue';
import type { Db } from '../storage/database';
import type { AfterPost } from './after-posts';

/** Tokens remembered per world after their grant was revoked, so a 401 can say why; oldest forgotten first. */
const MAX_ENDED_TOKENS = 10_000;
const endedTokens = new WeakMap<Db, Map<string, SessionEndReason>>();

function endedTokensOf(db: Db): Map<string, SessionEndReason> {
  const ended = endedTokens.get(db) ?? new Map<string, SessionEndReason>();
  endedTokens.set(db, ended);
  return ended;
}

/**
 * Why the token with this id stopped working, when its grant was revoked by a sign-out or a password change.
 * Kept in memory only: after a restart of the world a 401 just says the token is invalid.
 */
export function sessionEndReasonFor(db: Db, tokenId: string): SessionEndReason | undefined {
  return endedTokens.get(db)?.get(tokenId);
}

interface SessionPayload {
  accountId?: string;
  authorizations?: Record<string, { sid?: string; grantId?: string }>;
}

export class AccountSessions {
  constructor(
    private readonly provider: Provider,
    private readonly db: Db,
  ) {}

  /** Ids of the account's grants, optionally only those of one client. */
  private grantIds(accountId: string, clientId?: string): string[] {
    const rows = this.db
      .prepare(
        `SELECT id FROM oidc_models WHERE model = 'Grant' AND json_extract(payload, '$.accountId') = ?
         AND (? IS NULL OR json_extract(payload, '$.clientId') = ?)`,
      )
      .all(accountId, clientId ?? null, clientId ?? null) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /**
   * Revokes the account's grants (all clients, or only `clientId`): every token and code issued under them stops
   * working at once, and the grant itself is gone.
   */
  async revokeGrants(
    accountId: string,
    options: { clientId?: string; reason?: SessionEndReason } = {},
  ): Promise<number> {
    const { clientId, reason } = options;
    const ids = this.grantIds(accountId, clientId);
    if (reason) this.rememberEnded(ids, reason);
    for (const grantId of ids) {
      await this.provider.AccessToken.adapter.revokeByGrantId(grantId);
      await this.provider.Grant.adapter.destroy(grantId);
    }
    return ids.length;
  }

  /** Remember the access and refresh tokens of these grants as ended for `reason`. */
  private rememberEnded(grantIds: readonly string[], reason: SessionEndReason): void {
    const ended = endedTokensOf(this.db);
    const tokens = this.db.prepare(
      `SELECT id FROM oidc_models WHERE grant_id = ? AND model IN ('AccessToken', 'RefreshToken')`,
    );
    for (const grantId of grantIds) {
      for (const { id } of tokens.all(grantId) as { id: string }[]) {
        ended.delete(id);
        ended.set(id, reason);
      }
    }
    for (const id of ended.keys()) {
      if (ended.size <= MAX_ENDED_TOKENS) break;
      ended.delete(id);
    }
  }

  /**
   * Ends the account's IdP sessions except the one holding `keepSid` (the browser making the change), and tells
   * each product the ended sessions were signed in to (back-channel logout), so their sessions end too.
   */
  async endIdpSessions(accountId: string, { keepSid }: { keepSid?: string } = {}): Promise<number> {
    const rows = this.db
      .prepare(
        `SELECT id, payload FROM oidc_models WHERE model = 'Session' AND json_extract(payload, '$.accountId') = ?`,
      )
      .all(accountId) as { id: string; payload: string }[];
    let ended = 0;
    for (const row of rows) {
      const session = JSON.parse(row.payload) as SessionPayload;
      const authorizations = Object.entries(session.authorizations ?? {});
      if (keepSid && authorizations.some(([, authorization]) => authorization.sid === keepSid)) continue;
      await this.provider.Session.adapter.destroy(row.id);
      ended += 1;
      await Promise.all(
        authorizations.map(async ([clientId, { sid }]) => {
          const client = await this.provider.Client.find(clientId);
          if (!client?.backchannelLogoutUri || !sid) return;
          // Best effort, like oidc-provider's own end_session: a product that does not answer keeps its session.
          await (client as unknown as { backchannelLogout(sub: string, sid: string): Promise<void> })
            .backchannelLogout(accountId, sid)
            .catch((error: unknown) => console.warn('[identity] back-channel logout failed', clientId, error));
        }),
      );
    }
    return ended;
  }
}

/**
 * After a confirmed sign-out at the IdP (RP-initiated logout with "Yes, sign me out"), also revokes the account's
 * grants for the extension: its tokens are not tied to the browser session (they survive an ordinary logout), so
 * without this the extension would still show the user signed in. Its next API call gets 401.
 */
/** After the sign-out is confirmed at the IdP (the confirmation is a POST): the extension's grant goes too. */
export function revokeExtensionAfterSignOut(sessions: AccountSessions): AfterPost {
  return (ctx) => {
    const oidcCtx = ctx.oidc;
    if (oidcCtx?.route !== 'end_session_confirm' || ctx.status !== 303) return undefined;
    if (!oidcCtx.params?.logout) return undefined;
    const accountId = oidcCtx.session?.accountId;
    if (!accountId) return undefined;
    return sessions.revokeGrants(accountId, { clientId: EXTENSION_CLIENT_ID, reason: 'signed_out' });
  };
}
