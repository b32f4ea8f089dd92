// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { SWITCHER_CHANGED } from '../../../contract/messages';
import { createBroadcast } from '../../../src/background/broadcast';

const ORIGINS = ['http://console.twilio.localhost:8787', 'http://app.segment.localhost:8787'];

function fakeTabs(ids: (number | undefined)[]) {
  const queried: string[][] = [];
  const sent: { tabId: number; message: unknown }[] = [];
  return {
    queried,
    sent,
    tabs: {
      query: async (filter: { url: string[] }) => {
        queried.push(filter.url);
        return ids.map((id) => ({ id }));
      },
      sendMessage: async (tabId: number, message: unknown) => {
        sent.push({ tabId, message });
        if (tabId === 2) throw new Error('Could not establish connection. Receiving end does not exist.');
      },
    },
  };
}

describe('the broadcast of a state change', () => {
  it("tells each open product tab and the extension's open pages, once per task", async () => {
    const { tabs, queried, sent } = fakeTabs([1, 2, undefined]);
    const runtime: unknown[] = [];
    const changed = createBroadcast(tabs, ORIGINS, {
      sendMessage: async (message) => {
        runtime.push(message);
        throw new Error('Could not establish connection. Receiving end does not exist.'); // no popup open
      },
    });
    changed();
    changed();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(queried).toEqual([['http://console.twilio.localhost/*', 'http://app.segment.localhost/*']]);
    expect(sent).toEqual([
      { tabId: 1, message: { type: SWITCHER_CHANGED } },
      { tabId: 2, message: { type: SWITCHER_CHANGED } },
    ]);
    expect(runtime).toEqual([{ type: SWITCHER_CHANGED }]);
  });
});
