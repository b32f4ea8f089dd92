/**
 * The popup's state as signals, plus the actions that change it by sending typed messages to the background.
 * Components read the signals and call the actions; nothing else talks to the background.
 */
import { batch, computed, type ReadonlySignal, type Signal, signal } from '@preact/signals';
import type { Me, ProductEntry, SessionEndReason } from '../../contract/api';
import { ExtensionError } from '../../contract/errors';
import type { PopupState, SendMessage } from '../../contract/messages';
import { noSnapshot, type Snapshot, type SnapshotStore } from './snapshot';
import { type PopupWorld, popupWorld } from './world';

export type Status = 'loading' | 'signed_out' | 'signed_in' | 'error';
export type Busy = 'signing_in' | 'signing_out' | 'refreshing' | 'requesting_access' | null;

/** What the popup says, on its next open, when the Twilio session ended on its own. */
export const ENDED_TEXT: Record<SessionEndReason, string> = {
  signed_out: 'You signed out of Twilio — sign in again.',
  password_changed: 'Your password was changed — sign in again.',
  deactivated: 'Your Twilio user was deactivated — ask your administrator, then sign in again.',
};

export interface PopupModel {
  status: Signal<Status>;
  me: Signal<Me | null>;
  products: Signal<ProductEntry[]>;
  busy: Signal<Busy>;
  /** A message for the person, shown in an alert; null when all is well. */
  error: Signal<string | null>;
  /** Epoch ms of the shown products. */
  fetchedAt: Signal<number | null>;
  /** The Twilio login could not be reached: the products are the last known ones. */
  offline: Signal<boolean>;
  /** Why the last session ended, shown on the signed-out view; null after a sign-out of one's own. */
  ended: Signal<string | null>;
  /** Products the user can open now (active or linked). */
  readonly openableCount: ReadonlySignal<number>;
  readonly isBusy: ReadonlySignal<boolean>;
  /** Show the last signed-in view (the snapshot) at once, synchronously, and return it; loading when there is none. */
  paint(): Snapshot | undefined;
  /** Ask the background for the state (the saved world port read beside it), then refresh it from the API. */
  confirm(): Promise<void>;
  /** `paint()` then `confirm()`. */
  load(): Promise<void>;
  /** The background says the state changed (a sign-out elsewhere, a product set up): show its state now. */
  sync(): Promise<void>;
  /**
   * While open and signed in, asks the API quietly (no "Updating…"): a sign-out of Twilio in a tab whose pages do
   * not poll (a product's login page) reaches no switcher, so only this shows it here.
   */
  check(): Promise<void>;
  signIn(): Promise<void>;
  /** Sign out of the extension only (the Twilio web session stays). */
  signOut(): Promise<void>;
  /** Sign out of Twilio everywhere, the extension included. */
  signOutEverywhere(): Promise<void>;
  requestAccess(): Promise<void>;
  refresh(force?: boolean): Promise<void>;
}

/** Words for the person: the background's messages are written for logs (HTTP statuses, token claims). */
function describe(error: unknown): string {
  if (!(error instanceof ExtensionError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'sign_in_cancelled':
      return 'Sign-in was cancelled.';
    case 'network':
      return 'The Twilio login could not be reached. Check your connection and try again.';
    case 'signed_out':
      return 'Your session has ended. Please sign in again.';
    case 'server':
      return 'The Twilio login answered with an error. Try again in a moment.';
    case 'sign_in_failed':
    case 'state_mismatch':
    case 'issuer_mismatch':
    case 'token_invalid':
      return 'Signing in with Twilio did not complete. Please try again.';
    default:
      return 'Something went wrong in the extension. Please try again.';
  }
}

/** A failed "Sign out of Twilio" leaves every session as it was: the person must know they are still signed in. */
function describeSignOutEverywhere(error: unknown): string {
  if (error instanceof ExtensionError && (error.code === 'network' || error.code === 'server')) {
    const why =
      error.code === 'network' ? 'the Twilio login could not be reached' : 'the Twilio login answered with an error';
    return `Twilio did not sign you out: ${why}. You are still signed in everywhere; try again.`;
  }
  return describe(error);
}

export function createPopupModel(
  send: SendMessage,
  snapshot: SnapshotStore = noSnapshot,
  world: PopupWorld = popupWorld(),
): PopupModel {
  const status = signal<Status>('loading', { name: 'status' });
  const me = signal<Me | null>(null, { name: 'me' });
  const products = signal<ProductEntry[]>([], { name: 'products' });
  const busy = signal<Busy>(null, { name: 'busy' });
  const error = signal<string | null>(null, { name: 'error' });
  const fetchedAt = signal<number | null>(null, { name: 'fetched-at' });
  const offline = signal(false, { name: 'offline' });
  const ended = signal<string | null>(null, { name: 'ended' });
  const openableCount = computed(
    () => products.value.filter((p) => p.status === 'active' || p.status === 'linked').length,
    { name: 'openable-count' },
  );
  const isBusy = computed(() => busy.value !== null, { name: 'is-busy' });

  function apply(state: PopupState): void {
    snapshot.write(state, world.current());
    batch(() => {
      if (state.status === 'signed_in') {
        status.value = 'signed_in';
        me.value = state.me;
        products.value = state.products;
        fetchedAt.value = state.fetchedAt;
        offline.value = state.offline === true;
        ended.value = null;
      } else {
        status.value = 'signed_out';
        me.value = null;
        products.value = [];
        fetchedAt.value = null;
        offline.value = false;
        ended.value = state.ended ? ENDED_TEXT[state.ended] : null;
      }
    });
  }

  /**
   * The newest question to the background; an answer to an older one is not shown. The person's action answers
   * with the state after it, so a refresh (or the state asked for on open) still under way when they act would
   * otherwise show the state from before it: signed in again after "Sign out".
   */
  let turn = 0;

  async function run(
    kind: Exclude<Busy, null>,
    task: () => Promise<PopupState>,
    explain: (error: unknown) => string = describe,
  ): Promise<void> {
    // One action of the person's at a time: a second one (another button, a repeated key) waits for nothing.
    if (busy.value !== null && busy.value !== 'refreshing') return;
    const mine = ++turn;
    batch(() => {
      busy.value = kind;
      error.value = null;
    });
    try {
      const state = await task();
      if (mine === turn) apply(state);
    } catch (caught) {
      // A failed action keeps what is on screen (e.g. cached products); the alert tells what went wrong.
      if (mine === turn) error.value = explain(caught);
    } finally {
      if (mine === turn) busy.value = null;
    }
  }

  /** The snapshot painted last (its port says which world its links belong to). */
  let painted: Snapshot | undefined;

  function paint(): Snapshot | undefined {
    error.value = null;
    painted = snapshot.read();
    if (painted) world.use(painted.port);
    const shown = painted?.state;
    batch(() => {
      if (shown) {
        status.value = 'signed_in';
        me.value = shown.me;
        products.value = shown.products;
        fetchedAt.value = shown.fetchedAt;
        busy.value = 'refreshing';
      } else {
        status.value = 'loading';
      }
    });
    return painted;
  }

  async function confirm(): Promise<void> {
    const mine = ++turn;
    const taken = painted;
    // Read in parallel with the background's answer, which is shown only once the links can be checked.
    const configured = world.configured().then((port) => {
      world.use(port);
      // Another world was chosen since the snapshot: its view is not this world's.
      if (taken && taken.port !== port) {
        batch(() => {
          status.value = 'loading';
          me.value = null;
          products.value = [];
          fetchedAt.value = null;
        });
      }
    });
    let state: PopupState;
    try {
      [state] = await Promise.all([send('getState', {}), configured]);
    } catch (caught) {
      if (mine !== turn) return;
      batch(() => {
        busy.value = null;
        status.value = 'error';
        error.value = describe(caught);
      });
      return;
    }
    // The person acted meanwhile (the painted snapshot is usable): their action's answer is the state.
    if (mine !== turn) return;
    busy.value = null;
    apply(state);
    // Always ask the API on open: a sign-out elsewhere (IdP, another device) must show here, not after the cache ages.
    if (state.status === 'signed_in') await refresh(true);
  }

  async function refresh(force = false): Promise<void> {
    await run('refreshing', () => send('refreshProducts', force ? { force } : {}));
  }

  return {
    status,
    me,
    products,
    busy,
    error,
    fetchedAt,
    offline,
    ended,
    openableCount,
    isBusy,
    paint,
    confirm,
    async load() {
      paint();
      await confirm();
    },
    async sync() {
      // An action of the popup's own is under way; its answer is the new state.
      if (busy.value !== null) return;
      // Not a turn of its own: the state asked for on open, still under way, must still be shown and refreshed.
      const seen = turn;
      try {
        const state = await send('getState', {});
        if (seen === turn) apply(state);
      } catch {
        // Keep what is shown; the next open asks again.
      }
    },
    async check() {
      if (busy.value !== null || status.value !== 'signed_in') return;
      const seen = turn;
      try {
        const state = await send('refreshProducts', { force: true });
        // The person's action (or an open's question) since then bumped `turn`: its answer is the state.
        if (seen === turn) apply(state);
      } catch {
        // Keep what is shown; the next check asks again.
      }
    },
    signIn: () => run('signing_in', () => send('signIn', {})),
    signOut: () => run('signing_out', () => send('signOut', {})),
    signOutEverywhere: () => run('signing_out', () => send('signOutEverywhere', {}), describeSignOutEverywhere),
    async requestAccess() {
      await run('requesting_access', async () => {
        await send('requestAccess', {});
        return send('refreshProducts', { force: true });
      });
    },
    refresh,
  };
}
