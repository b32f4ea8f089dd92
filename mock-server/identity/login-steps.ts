/**
 * Server-side state of one sign-in (one oidc-provider interaction): its CSRF token, the user who passed the
 * password step and still owes a TOTP code, and the notice to show after a redirect. Kept here, keyed by the
 * interaction uid (which the provider's interaction cookie binds to the browser), never in a cookie the client
 * could forge.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../storage/database';
import type { LoginNotice } from './pages';

/** How long a user who passed the password step has to enter their TOTP code. */
export const PENDING_TOTP_MS = 5 * 60_000;

export interface LoginStep {
  uid: string;
  csrfToken: string;
  /** The user who passed the password step, while their TOTP step is pending and fresh. */
  pendingUserId: string | undefined;
  /** A TOTP step was started for this sign-in but has expired. */
  pendingExpired: boolean;
  notice: LoginNotice | undefined;
  /** The email given at the first step; '' once the person asked to use another email. */
  email: string | undefined;
  /** Why the organization's IdP signed someone in whom Twilio cannot sign in (shown once). */
  ssoRefusal: string | undefined;
}

interface Row {
  interaction_uid: string;
  csrf_token: string;
  pending_user_id: string | null;
  pending_since: number | null;
  notice: string | null;
  email: string | null;
  sso_refusal: string | null;
}

const NOTICES = new Set<string>(['credentials', 'totp', 'totp_reused', 'recovery_code', 'expired', 'sso_required']);

export class LoginSteps {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number,
  ) {}

  /** The step of interaction `uid`, created with a fresh CSRF token on first sight. */
  ensure(uid: string, expiresAtMs: number): LoginStep {
    // Every request of a sign-in asks; only its first one writes (a concurrent first request keeps the row it finds).
    const existing = this.find(uid);
    if (existing) return existing;
    this.db
      .prepare(
        `INSERT INTO login_steps (interaction_uid, csrf_token, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (interaction_uid) DO NOTHING`,
      )
      .run(uid, randomBytes(24).toString('base64url'), expiresAtMs);
    return this.find(uid)!;
  }

  find(uid: string): LoginStep | undefined {
    const row = this.db.prepare('SELECT * FROM login_steps WHERE interaction_uid = ?').get(uid) as Row | undefined;
    if (!row) return undefined;
    const fresh = row.pending_since !== null && this.clock() - row.pending_since < PENDING_TOTP_MS;
    return {
      uid: row.interaction_uid,
      csrfToken: row.csrf_token,
      pendingUserId: fresh ? (row.pending_user_id ?? undefined) : undefined,
      pendingExpired: row.pending_since !== null && !fresh,
      notice: row.notice && NOTICES.has(row.notice) ? (row.notice as LoginNotice) : undefined,
      email: row.email ?? undefined,
      ssoRefusal: row.sso_refusal ?? undefined,
    };
  }

  setNotice(uid: string, notice: LoginNotice | undefined, email?: string): void {
    this.db
      .prepare('UPDATE login_steps SET notice = ?, email = COALESCE(?, email) WHERE interaction_uid = ?')
      .run(notice ?? null, email ?? null, uid);
  }

  /**
   * The email the person gave at the first step (identifier-first); an empty string means they chose to use
   * another one, so a `login_hint` no longer applies.
   */
  identify(uid: string, email: string): void {
    this.db.prepare('UPDATE login_steps SET email = ?, notice = NULL WHERE interaction_uid = ?').run(email, uid);
  }

  /** Records (or, with undefined, clears) why an SSO response could not sign its person in. */
  refuseSso(uid: string, message: string | undefined): void {
    this.db.prepare('UPDATE login_steps SET sso_refusal = ? WHERE interaction_uid = ?').run(message ?? null, uid);
  }

  startTotp(uid: string, userId: string): void {
    this.db
      .prepare('UPDATE login_steps SET pending_user_id = ?, pending_since = ?, notice = NULL WHERE interaction_uid = ?')
      .run(userId, this.clock(), uid);
  }

  /**
   * Forget every password step `userId` passed that still waits for its TOTP code: after their password changed,
   * a sign-in that proved the old one must prove the new one (it starts again at the password).
   */
  forgetPendingOf(userId: string): void {
    this.db
      .prepare('UPDATE login_steps SET pending_user_id = NULL, pending_since = NULL WHERE pending_user_id = ?')
      .run(userId);
  }

  /** Forget the password step (expired, cancelled): the user starts again from email and password. */
  resetToPassword(uid: string, notice: LoginNotice | undefined): void {
    this.db
      .prepare(
        'UPDATE login_steps SET pending_user_id = NULL, pending_since = NULL, notice = ? WHERE interaction_uid = ?',
      )
      .run(notice ?? null, uid);
  }

  finish(uid: string): void {
    this.db.prepare('DELETE FROM login_steps WHERE interaction_uid = ?').run(uid);
  }
}
