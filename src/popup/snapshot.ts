/**
 * The last signed-in view, kept in the extension origin's localStorage so the popup can paint it synchronously
 * when it opens, before the background (which may be waking up) answers and before the saved world port is read
 * (an asynchronous storage call). Holds what is on screen — name, email, products — and the port of the world its
 * links were checked against, never tokens; only extension pages can read this origin's storage. Sign-out clears
 * it, and the background's first answer replaces it (another user's state) or clears it (signed out, e.g. elsewhere
 * or after a browser restart) at once, so a stale snapshot is painted on one open at most. With it goes
 * the view itself as a tree of nodes (first-paint.tsx), so the first frame needs no rendering.
 */
import type { PopupState } from '../../contract/messages';

/** Bump when the shape of PopupState changes, so an older snapshot is ignored rather than misread. */
const KEY = 'uls:popup-snapshot:v2';

/** Part of the kept view (first-paint.tsx): a text, or an element as its tag, its attributes and its children. */
export type ViewNode = string | [tag: string, attributes: [name: string, value: string][], children: ViewNode[]];

export type SignedInState = Extract<PopupState, { status: 'signed_in' }>;

export interface Snapshot {
  state: SignedInState;
  /** The world's port when it was taken: its product links belong to that world. */
  port: number;
  /** The signed-in view painted from this snapshot, as Preact rendered it (first-paint.tsx). */
  view?: ViewNode[];
}

/**
 * Only this popup writes the snapshot, from state the background validated, into storage no page can reach; this
 * check guards against corruption and old versions without shipping a schema library in the popup.
 */
function isSnapshot(value: unknown): value is Snapshot {
  const snapshot = value as Partial<Snapshot> | null;
  if (typeof snapshot !== 'object' || snapshot === null || !Number.isInteger(snapshot.port)) return false;
  if (snapshot.view !== undefined && !Array.isArray(snapshot.view)) return false;
  const state = snapshot.state as Partial<SignedInState> | null | undefined;
  return (
    typeof state === 'object' &&
    state !== null &&
    state.status === 'signed_in' &&
    typeof state.me?.name === 'string' &&
    typeof state.me.email === 'string' &&
    typeof state.fetchedAt === 'number' &&
    Array.isArray(state.products) &&
    state.products.every((p) => typeof p?.id === 'string' && typeof p.name === 'string' && Array.isArray(p.workspaces))
  );
}

export interface SnapshotStore {
  read(): Snapshot | undefined;
  /** Remember a signed-in state of the world on `port`; forget on signed out. */
  write(state: PopupState, port: number): void;
}

/** `viewOf` renders the view a snapshot paints, kept with it (none when omitted). */
export function createSnapshotStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  viewOf?: (snapshot: Snapshot) => ViewNode[],
): SnapshotStore {
  return {
    read() {
      try {
        const value: unknown = JSON.parse(storage.getItem(KEY) ?? 'null');
        return isSnapshot(value) ? value : undefined;
      } catch {
        return undefined; // unreadable snapshot: just wait for the background
      }
    },
    write(state, port) {
      try {
        if (state.status !== 'signed_in') {
          storage.removeItem(KEY);
          return;
        }
        const snapshot: Snapshot = { state, port };
        try {
          if (viewOf) snapshot.view = viewOf(snapshot);
        } catch {
          // No view: the next open renders the snapshot with Preact instead.
        }
        storage.setItem(KEY, JSON.stringify(snapshot));
      } catch {
        // Storage full or unavailable: the popup still works, it only paints a little later next time.
      }
    },
  };
}

/** A store that remembers nothing (tests, or where localStorage is unavailable). */
export const noSnapshot: SnapshotStore = { read: () => undefined, write: () => undefined };
