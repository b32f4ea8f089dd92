/**
 * Ending the relying parties' sessions stored in the world's database, for a back-channel logout token or a
 * deprovisioned user: the Console's in `rp_sessions`, Segment's and SendGrid's in `product_sessions`.
 */
import { decodeJwt } from 'jose';
import type { SetupProductId } from '../../contract/catalogue';
import type { Db } from './database';

/** Who the IdP says has signed out: the subject, the IdP session id, or both. */
export interface LogoutClaims {
  sub: string | undefined;
  sid: string | undefined;
}

/** The IdP session id (`sid`) and auth time an ID token carries, read without verifying (it was at sign-in). */
export function idTokenSession(idToken: string): { sid: string | undefined; authTime: number | undefined } {
  try {
    const claims = decodeJwt(idToken);
    return {
      sid: typeof claims.sid === 'string' ? claims.sid : undefined,
      authTime: typeof claims.auth_time === 'number' ? claims.auth_time : undefined,
    };
  } catch {
    return { sid: undefined, authTime: undefined };
  }
}

/**
 * Ends a relying party's sessions in `rp_sessions` (site `site`) for the subject and/or IdP session of a logout
 * token: with a `sid`, only the sessions from that IdP session; with only a `sub`, all of that user's.
 */
export function endRpSessions(db: Db, site: string, { sub, sid }: LogoutClaims): number {
  const rows = db.prepare(`SELECT id, data FROM rp_sessions WHERE site = ? AND kind = 'session'`).all(site) as {
    id: string;
    data: string;
  }[];
  const remove = db.prepare('DELETE FROM rp_sessions WHERE id = ?');
  let ended = 0;
  db.transaction(() => {
    for (const row of rows) {
      const data = JSON.parse(row.data) as { sub?: string; idToken?: string };
      if (sub && data.sub !== sub) continue;
      if (sid && idTokenSession(data.idToken ?? '').sid !== sid) continue;
      remove.run(row.id);
      ended += 1;
    }
  })();
  return ended;
}

/**
 * Ends Segment's or SendGrid's own sessions (`product_sessions`) of the product user linked to the logout token's
 * Twilio subject; with a `sid`, only the Twilio sessions opened from that IdP session (their stored ID token names
 * it). The linked user's password sessions (from before the link, or a password login that raced it) go whenever
 * the subject is named: their password is retired, so they are already refused and must not stay as rows. An
 * unlinked user's password sessions are the product's own and are never touched.
 */
export function endProductSessions(db: Db, product: SetupProductId, { sub, sid }: LogoutClaims): number {
  const usersTable = product === 'segment' ? 'segment_users' : 'sendgrid_users';
  const rows = db
    .prepare(
      `SELECT s.id, s.method, s.id_token FROM product_sessions s JOIN ${usersTable} u ON u.id = s.user_id
       WHERE s.product = ? AND u.twilio_sub IS NOT NULL AND (? IS NULL OR u.twilio_sub = ?)
       AND (s.method = 'twilio' OR ? IS NOT NULL)`,
    )
    .all(product, sub ?? null, sub ?? null, sub ?? null) as {
    id: string;
    method: 'password' | 'twilio';
    id_token: string | null;
  }[];
  const remove = db.prepare('DELETE FROM product_sessions WHERE id = ?');
  let ended = 0;
  db.transaction(() => {
    for (const row of rows) {
      if (sid && row.method === 'twilio' && idTokenSession(row.id_token ?? '').sid !== sid) continue;
      remove.run(row.id);
      ended += 1;
    }
  })();
  return ended;
}
