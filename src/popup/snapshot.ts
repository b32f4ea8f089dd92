/**
 * The last signed-in view, kept in the extension origin's localStorage so the popup can paint it synchronously
 * when it opens, before the background (which may be waking up) answers. Holds what is on screen — name, email,
 * products — never tokens; only extension pages can read this origin's storage. Sign-out clears it, and the
 * background's answer replaces it a moment later, so a stale snapshot is never acted on.
 */
import * as v from 'valibot';
import { MeSchema, ProductEntrySchema } from '../shared/api';
import type { PopupState } from '../shared/messages';

const KEY = 'uls:popup-snapshot';

const SnapshotSchema = v.object({
  status: v.literal('signed_in'),
  me: MeSchema,
  products: v.array(ProductEntrySchema),
  fetchedAt: v.number(),
});
export type Snapshot = v.InferOutput<typeof SnapshotSchema>;

export interface SnapshotStore {
  read(): Snapshot | undefined;
  /** Remember a signed-in state; forget on signed out. */
  write(state: PopupState): void;
}

export function createSnapshotStore(storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>): SnapshotStore {
  return {
    read() {
      try {
        const parsed = v.safeParse(SnapshotSchema, JSON.parse(storage.getItem(KEY) ?? 'null'));
        return parsed.success ? parsed.output : undefined;
      } catch {
        return undefined; // unreadable snapshot: just wait for the background
      }
    },
    write(state) {
      try {
        if (state.status === 'signed_in') storage.setItem(KEY, JSON.stringify(state));
        else storage.removeItem(KEY);
      } catch {
        // Storage full or unavailable: the popup still works, it only paints a little later next time.
      }
    },
  };
}

/** A store that remembers nothing (tests, or where localStorage is unavailable). */
export const noSnapshot: SnapshotStore = { read: () => undefined, write: () => undefined };
