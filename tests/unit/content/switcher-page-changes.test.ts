/**
 * The switcher when the page changes under it: a navigation re-rendered (SPA navigation) replaces the slot, a page
 * empties the slot, or the slot appears only after the page loaded.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendMessage, SwitcherState } from '../../../contract/messages';
import { MARKER_ATTRIBUTE, REMOUNT_AT_MOST_EVERY_MS } from '../../../src/content/mount';
import { ASK_AGAIN_EVERY_MS, keepSwitcher, type SwitcherDeps } from '../../../src/content/switcher';

const SIGNED_OUT: SwitcherState = { status: 'signed_out' };
const NAV = '<nav aria-label="Console"><a href="/">Home</a><div id="product-switcher-slot"></div></nav>';

let controller: AbortController;
let asked: number;
let listening: number;

function deps(): SwitcherDeps {
  const send = (async () => {
    asked += 1;
    return SIGNED_OUT;
  }) as SendMessage;
  return {
    send,
    hostname: 'console.twilio.localhost',
    navigate: () => undefined,
    onStateChanged: () => {
      listening += 1;
      return () => {
        listening -= 1;
      };
    },
  };
}

const hosts = () => [...document.querySelectorAll(`[${MARKER_ATTRIBUTE}="switcher"]`)];
const slot = () => document.getElementById('product-switcher-slot');

beforeEach(() => {
  vi.useFakeTimers();
  controller = new AbortController();
  asked = 0;
  listening = 0;
  document.body.innerHTML = NAV;
});

afterEach(() => {
  controller.abort();
  vi.useRealTimers();
  document.body.innerHTML = '';
});

describe('the switcher when the page changes under it', () => {
  it('moves into the new slot when the page re-renders its navigation, and the old one stops asking', async () => {
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toBe(1);
    const first = hosts()[0];

    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    document.body.innerHTML = NAV; // the SPA's next route: a new navigation, a new slot
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]).not.toBe(first);
    expect(hosts()[0]?.parentElement).toBe(slot());
    expect(asked).toBe(2);
    expect(listening).toBe(1);

    // One switcher polls, not two: the one that left the page with its slot asks nothing more.
    await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS);
    expect(asked).toBe(3);
  });

  it('stops polling and listening when the page removes its navigation for good', async () => {
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    document.querySelector('nav')?.remove();
    await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS * 3);
    expect(asked).toBe(1);
    expect(listening).toBe(0);
  });

  it('comes back when the page empties the slot it was in', async () => {
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS);
    slot()?.replaceChildren();
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(1);
    expect(hosts()[0]?.parentElement).toBe(slot());
  });

  it('mounts into a slot the page adds after it loaded', async () => {
    document.body.innerHTML = '<main></main>';
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    expect(asked).toBe(0);
    document.body.insertAdjacentHTML('afterbegin', NAV);
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(1);
    expect(asked).toBe(1);
  });

  it('remounts at most every quarter second when a page script keeps removing it', async () => {
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    const remover = new MutationObserver(() => {
      for (const host of hosts()) host.remove();
    });
    remover.observe(document.body, { childList: true, subtree: true });
    slot()?.replaceChildren();
    await vi.advanceTimersByTimeAsync(REMOUNT_AT_MOST_EVERY_MS * 4);
    remover.disconnect();
    // The first mount and one every quarter second after it, not thousands.
    expect(asked).toBe(5);
  });

  it('stops everything when its signal aborts', async () => {
    keepSwitcher(controller.signal, deps());
    await vi.advanceTimersByTimeAsync(0);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts()).toHaveLength(0);
    document.body.innerHTML = NAV;
    await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS);
    expect(hosts()).toHaveLength(0);
    expect(asked).toBe(1);
    expect(listening).toBe(0);
  });
});
