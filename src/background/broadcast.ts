/**
 * Tells the switchers in open product tabs that their state changed, so none shows a stale list until a reload.
 * The notice carries nothing; each tab asks again and learns only what its page may know.
 */
import { SWITCHER_CHANGED, type SwitcherChangedNotice } from '../../contract/messages';

/** The parts of `chrome.tabs` this uses; tests pass their own. */
export interface TabsLike {
  query(filter: { url: string[] }): Promise<{ id?: number }[]>;
  sendMessage(tabId: number, message: SwitcherChangedNotice): Promise<unknown>;
}

/**
 * A function that notifies every tab on `origins`. Calls within the same task are folded into one broadcast.
 */
export function createBroadcast(tabs: TabsLike, origins: readonly string[]): () => void {
  const patterns = origins.map((origin) => `${new URL(origin).protocol}//${new URL(origin).hostname}/*`);
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    queueMicrotask(async () => {
      queued = false;
      const open = await tabs.query({ url: patterns }).catch(() => []);
      await Promise.all(
        open.map((tab) =>
          // A tab without our content script (still loading, or an error page) just does not answer.
          tab.id === undefined
            ? undefined
            : tabs.sendMessage(tab.id, { type: SWITCHER_CHANGED }).catch(() => undefined),
        ),
      );
    });
  };
}
