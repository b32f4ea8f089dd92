/**
 * What the background keeps in `chrome.storage.session`: the tokens and the pending sign-ins (PKCE verifier,
 * state, nonce), each under its own state, so a silent attempt and the sign-in window never take each other's.
 * Session storage lives in memory, is cleared when the browser closes, and, with the access level set to
 * TRUSTED_CONTEXTS at startup, cannot be read by content scripts. Values are validated on the way out; changes
 * are made one at a time, so a read-compare-write (`replaceTokens`) sees no other change in between.
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

const PendingSignInsSchema = v.record(v.string(), PendingSignInSchema);

/** Why the last session ended (shown once in the popup), and whether silent sign-in is held back. */
export const SessionNoteSchema = v.object({
  ended: v.optional(v.picklist(['signed_out', 'password_changed', 'deactivated'])),
  /** The person signed out of the extension only: no silent sign-in until they choose "Sign in". */
  noSilentSignIn: v.optional(v.boolean()),
});
export type SessionNote = v.InferOutput<typeof SessionNoteSchema>;

const TOKENS = 'tokens';
const PENDING = 'pendingSignIns';
const NOTE = 'sessionNote';

export interface SessionStore {
  getTokens(): Promise<Tokens | undefined>;
  setTokens(tokens: Tokens): Promise<void>;
  /**
   * Stores `next` only if the stored tokens are still those with refresh token `expected` (a refresh finishing
   * after a sign-out or a new sign-in must not bring old tokens back); `undefined` clears them on the same terms.
   * Resolves whether it did.
   */
  replaceTokens(expected: string, next: Tokens | undefined): Promise<boolean>;
  clearTokens(): Promise<void>;
  /** Keeps a sign-in's secrets under its state until `takePendingSignIn`; ones older than the maximum age go. */
  setPendingSignIn(pending: PendingSignIn, now: number): Promise<void>;
  /** The pending sign-in of `state`, removed as it is read (each state is single-use). */
  takePendingSignIn(state: string): Promise<PendingSignIn | undefined>;
  getNote(): Promise<SessionNote>;
  setNote(note: SessionNote): Promise<void>;
}

/** Per storage area, the chain its changes run on: the stores of an old and a new world share one area. */
const changesOf = new WeakMap<StorageAreaLike, Promise<unknown>>();

export function createSessionStore(area: StorageAreaLike): SessionStore {
  async function read<T>(key: string, schema: v.GenericSchema<unknown, T>): Promise<T | undefined> {
    const value = (await area.get(key))[key];
    const parsed = v.safeParse(schema, value);
    return parsed.success ? parsed.output : undefined;
  }
  /** Runs `change` after every change asked for before it, in this worker. */
  function oneAtATime<T>(change: () => Promise<T>): Promise<T> {
    const run = (changesOf.get(area) ?? Promise.resolve()).then(change, change);
    changesOf.set(
      area,
      run.catch(() => undefined),
    );
    return run;
  }
  const pendingSignIns = async () => (await read(PENDING, PendingSignInsSchema)) ?? {};
  const writePending = (pending: Record<string, PendingSignIn>) =>
    Object.keys(pending).length ? area.set({ [PENDING]: pending }) : area.remove(PENDING);
  return {
    getTokens: () => read(TOKENS, TokensSchema),
    setTokens: (tokens) => oneAtATime(() => area.set({ [TOKENS]: tokens })),
    replaceTokens: (expected, next) =>
      oneAtATime(async () => {
        if ((await read(TOKENS, TokensSchema))?.refreshToken !== expected) return false;
        await (next ? area.set({ [TOKENS]: next }) : area.remove(TOKENS));
        return true;
      }),
    clearTokens: () => oneAtATime(() => area.remove(TOKENS)),
    setPendingSignIn: (pending, now) =>
      oneAtATime(async () => {
        const fresh = Object.entries(await pendingSignIns()).filter(
          ([, other]) => now - other.createdAt <= PENDING_MAX_AGE_MS,
        );
        await writePending({ ...Object.fromEntries(fresh), [pending.state]: pending });
      }),
    takePendingSignIn: (state) =>
      oneAtATime(async () => {
        const pending = await pendingSignIns();
        const taken = Object.hasOwn(pending, state) ? pending[state] : undefined;
        if (taken) {
          delete pending[state];
          await writePending(pending);
        }
        return taken;
      }),
    getNote: async () => (await read(NOTE, SessionNoteSchema)) ?? {},
    // An empty note is no note: nothing is left in storage after an ordinary sign-out.
    setNote: (note) =>
      oneAtATime(() => (note.ended || note.noSilentSignIn ? area.set({ [NOTE]: note }) : area.remove(NOTE))),
  };
}
