/**
 * The Twilio login session of a browser on the login host, read from oidc-provider's own session cookie (the one
 * the IdP sets at login), so the set-up pages know who is signed in to Twilio without a login of their own.
 * Set-up forms carry a CSRF token derived from the session id (HMAC), so it changes with every new login.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { User, UserStore } from '../accounts/users';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

export interface TwilioSession {
  user: User;
  /** The IdP session's id (`jti`), new at every login. */
  sessionId: string;
}

/** The signed-in Twilio user of this request (via the IdP's session cookie), or undefined. */
export async function currentTwilioSession(
  provider: Provider,
  users: UserStore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<TwilioSession | undefined> {
  const ctx = provider.createContext(req, res);
  const session = await provider.Session.get(ctx);
  const user = session.accountId ? users.findById(session.accountId) : undefined;
  return user?.active && session.jti ? { user, sessionId: session.jti } : undefined;
}

/** The key behind set-up CSRF tokens, created once per world. */
export function loadSetupCsrfKey(db: Db): Promise<string> {
  return loadOrCreateSecret(db, 'setup-csrf-key', () => randomBytes(32).toString('base64url'));
}

/** The CSRF token of one kind of login-host form (set-up, support, SSO account switch) for one IdP session. */
export function sessionCsrfToken(
  key: string,
  session: TwilioSession,
  purpose: 'setup' | 'support' | 'sso-switch',
): string {
  return createHmac('sha256', key).update(`${purpose}:${session.sessionId}`).digest('base64url');
}

/** The CSRF token of the set-up forms for one IdP session. */
export function setupCsrfToken(key: string, session: TwilioSession): string {
  return sessionCsrfToken(key, session, 'setup');
}
