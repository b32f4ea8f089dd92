/**
 * A product's own sessions (Segment, SendGrid): server-side rows behind an HttpOnly, SameSite=Lax cookie named
 * after the product, a new id at every login, and a per-session CSRF token for the product's form POSTs.
 * Signed-out forms (the product's password login) use a double-submit token in a separate cookie.
 */

import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SetupProductId } from '../../contract/catalogue';
import { assertCsrfToken } from '../security';
import type { Db } from '../storage/database';
import type { LoginMethod } from './product-users';

export const PRODUCT_SESSION_TTL_MS = 8 * 60 * 60_000;

export interface ProductSession {
  id: string;
  userId: string;
  method: LoginMethod;
  csrfToken: string;
  /** The IdP's ID token for Twilio logins (for RP-initiated logout at sign-out). */
  idToken: string | undefined;
  createdAt: number;
}

const token = () => randomBytes(24).toString('base64url');

export class ProductSessions {
  readonly cookie: string;
  private readonly loginCsrfCookie: string;

  constructor(
    private readonly db: Db,
    private readonly product: SetupProductId,
    private readonly clock: () => number,
    private readonly secure = false,
  ) {
    this.cookie = `${product}_session`;
    this.loginCsrfCookie = `${product}_login_csrf`;
  }

  current(c: Context): ProductSession | undefined {
    const id = getCookie(c, this.cookie);
    if (!id || id.length > 64) return undefined;
    const row = this.db
      .prepare(
        'SELECT user_id, method, csrf_token, id_token, created_at, expires_at FROM product_sessions WHERE id = ? AND product = ?',
      )
      .get(id, this.product) as
      | {
          user_id: string;
          method: LoginMethod;
          csrf_token: string;
          id_token: string | null;
          created_at: number;
          expires_at: number;
        }
      | undefined;
    if (!row || row.expires_at <= this.clock()) return undefined;
    return {
      id,
      userId: row.user_id,
      method: row.method,
      csrfToken: row.csrf_token,
      idToken: row.id_token ?? undefined,
      createdAt: row.created_at,
    };
  }

  /** Opens a new session (always a new id; the previous one of this browser is ended). */
  start(c: Context, { userId, method, idToken }: { userId: string; method: LoginMethod; idToken?: string }): void {
    const previous = getCookie(c, this.cookie);
    if (previous) this.db.prepare('DELETE FROM product_sessions WHERE id = ?').run(previous);
    const id = token();
    const now = this.clock();
    this.db
      .prepare(
        `INSERT INTO product_sessions (id, product, user_id, method, csrf_token, id_token, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, this.product, userId, method, token(), idToken ?? null, now, now + PRODUCT_SESSION_TTL_MS);
    setCookie(c, this.cookie, id, { httpOnly: true, sameSite: 'Lax', secure: this.secure, path: '/' });
    deleteCookie(c, this.loginCsrfCookie, { path: '/' });
  }

  end(c: Context, session: ProductSession): void {
    this.db.prepare('DELETE FROM product_sessions WHERE id = ?').run(session.id);
    deleteCookie(c, this.cookie, { path: '/' });
  }

  /** Ends every other session of the user in this product (after a password change). */
  endOtherSessions(userId: string, keep: ProductSession): void {
    this.db
      .prepare('DELETE FROM product_sessions WHERE product = ? AND user_id = ? AND id <> ?')
      .run(this.product, userId, keep.id);
  }

  /** Checks a signed-in form's CSRF token. */
  assertCsrf(session: ProductSession, given: string | undefined): void {
    assertCsrfToken(session.csrfToken, given);
  }

  /** The CSRF token for the signed-out login form (double-submit cookie), created when missing. */
  loginCsrfToken(c: Context): string {
    const existing = getCookie(c, this.loginCsrfCookie);
    if (existing && existing.length <= 64) return existing;
    const fresh = token();
    setCookie(c, this.loginCsrfCookie, fresh, { httpOnly: true, sameSite: 'Lax', secure: this.secure, path: '/' });
    return fresh;
  }

  assertLoginCsrf(c: Context, given: string | undefined): void {
    const expected = getCookie(c, this.loginCsrfCookie);
    assertCsrfToken(expected || undefined, given);
  }
}
