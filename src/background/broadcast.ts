/**
 * Tells the switchers in open product tabs, and the popup when it is open, that their state changed, so none
 * shows a stale list until a reload. The notice carries nothing; each asks again and learns only what it may.
 */
import { SWITCHER_CHANGED, type SwitcherChangedNotice } from '../../contract/messages';

/** The parts of `chrome.tabs` this uses; tests pass their own. */
export interface TabsLike {
  query(filter: { url: string[] }): Promise<{ id?: number }[]>;
  sendMessage(tabId: number, message: SwitcherChangedNotice): Promise<unknown>;
}

/** The part of `chrome.runtime` this uses: a message to the extension's own pages (the popup), not to tabs. */
export interface RuntimeLike {
  sendMessage(message: SwitcherChangedNotice): Promise<unknown>;
}

/**
 * A function that notifies every tab on `origins` and the extension's open pages. Calls within the same task are
 * folded into one broadcast.
 */
export function createBroadcast(tabs: TabsLike, origins: readonly string[], runtime?: RuntimeLike): () => void {
  const patterns = origins.map((origin) => `${new URL(origin).protocol}//${new URL(origin).hostname}/*`);
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    queueMicrotask(async () => {
      queued = false;
      // No extension page open: nobody receives it, and the browser says so by rejecting.
      void runtime?.sendMessage({ type: SWITCHER_CHANGED }).catch(() => undefined);
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
