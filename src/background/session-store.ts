/**
 * What the background keeps in `chrome.storage.session`: the tokens and the pending sign-in (PKCE verifier,
 * state, nonce). Session storage lives in memory, is cleared when the browser closes, and, with the access level
 * set to TRUSTED_CONTEXTS at startup, cannot be read by content scripts. Values are validated on the way out.
 */
import * as v from 'valibot';

/** The subset of `chrome.storage.StorageArea` the store uses; tests pass an in-memory one. */
export interface StorageAreaLike {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const TokensSchema = v.object({
  accessToken: v.string(),
  refreshToken: v.optional(v.string()),
  idToken: v.string(),
  /** Epoch ms when the access token expires. */
  expiresAt: v.number(),
  /** Subject of the verified ID token. */
  sub: v.string(),
});
export type Tokens = v.InferOutput<typeof TokensSchema>;

export const PendingSignInSchema = v.object({
  verifier: v.string(),
  state: v.string(),
  nonce: v.string(),
  /** Epoch ms; a pending sign-in older than PENDING_MAX_AGE_MS is refused. */
  createdAt: v.number(),
});
export type PendingSignIn = v.InferOutput<typeof PendingSignInSchema>;

export const PENDING_MAX_AGE_MS = 10 * 60 * 1000;

/** Why the last session ended (shown once in the popup), and whether silent sign-in is held back. */
export const SessionNoteSchema = v.object({
  ended: v.optional(v.picklist(['signed_out', 'password_changed', 'deactivated'])),
  /** The person signed out of the extension only: no silent sign-in until they choose "Sign in". */
  noSilentSignIn: v.optional(v.boolean()),
});
export type SessionNote = v.InferOutput<typeof SessionNoteSchema>;

const TOKENS = 'tokens';
const PENDING = 'pendingSignIn';
const NOTE = 'sessionNote';

export interface SessionStore {
  getTokens(): Promise<Tokens | undefined>;
  setTokens(tokens: Tokens): Promise<void>;
  clearTokens(): Promise<void>;
  getPendingSignIn(): Promise<PendingSignIn | undefined>;
  setPendingSignIn(pending: PendingSignIn): Promise<void>;
  clearPendingSignIn(): Promise<void>;
  getNote(): Promise<SessionNote>;
  setNote(note: SessionNote): Promise<void>;
}

export function createSessionStore(area: StorageAreaLike): SessionStore {
  async function read<T>(key: string, schema: v.GenericSchema<unknown, T>): Promise<T | undefined> {
    const value = (await area.get(key))[key];
    const parsed = v.safeParse(schema, value);
    return parsed.success ? parsed.output : undefined;
  }
  return {
    getTokens: () => read(TOKENS, TokensSchema),
    setTokens: (tokens) => area.set({ [TOKENS]: tokens }),
    clearTokens: () => area.remove([TOKENS, PENDING]),
    getPendingSignIn: () => read(PENDING, PendingSignInSchema),
    setPendingSignIn: (pending) => area.set({ [PENDING]: pending }),
    clearPendingSignIn: () => area.remove(PENDING),
    getNote: async () => (await read(NOTE, SessionNoteSchema)) ?? {},
    // An empty note is no note: nothing is left in storage after an ordinary sign-out.
    setNote: (note) => (note.ended || note.noSilentSignIn ? area.set({ [NOTE]: note }) : area.remove(NOTE)),
  };
}
