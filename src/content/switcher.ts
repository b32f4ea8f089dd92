/**
 * The product switcher in the page's navigation: a menu button listing Console, Segment and SendGrid with their
 * status for the signed-in user, and under each set-up product its workspaces (Segment) or accounts (SendGrid),
 * most recently visited first, as indented menu items. It mounts into `#product-switcher-slot` when the page has
 * one, renders at once in a neutral state, then fills in the products from the background (an unprivileged
 * message), again when opened and when the page becomes visible.
 *
 * This file wires the parts: the state (switcher-model.ts), the rendering (switcher-view.ts) and the keyboard
 * behaviour (switcher-keys.ts).
 */

import { PRODUCTS } from '../../contract/catalogue';
import type { SendMessage } from '../../contract/messages';
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import { isAllowedDestination, productForHost } from '../shared/config';
import { sendMessage } from '../shared/send-message';
import { type ContentFeature, isProductPage } from './features';
import { type Mounted, mountInShadow } from './mount';
import { SWITCHER_CSS } from './switcher.css';
import { bindMenuKeyboard, focusItem } from './switcher-keys';
import { createSwitcherModel, type View } from './switcher-model';
import { createSwitcherView } from './switcher-view';

export interface SwitcherDeps {
  send: SendMessage;
  /** The page's host name, to know which product we are in. */
  hostname: string;
  navigate: (url: string) => void;
}

/** On every product page (the Console, Segment, SendGrid) that has a switcher slot in its navigation. */
export const switcher: ContentFeature = {
  name: 'switcher',
  include: [isProductPage],
  init: (signal) => void initSwitcher(signal),
};

/**
 * Mount the switcher into the page's slot. Returns the mounted UI (for tests), or `undefined` when the page has
 * no slot or the switcher is already there.
 */
export function initSwitcher(
  signal: AbortSignal,
  deps: SwitcherDeps = {
    send: sendMessage,
    hostname: location.hostname,
    navigate: (url) => location.assign(url),
  },
): (Mounted & { ready: Promise<void> }) | undefined {
  const slot = document.getElementById(SWITCHER_SLOT_ID);
  if (!slot) return undefined;
  const mounted = mountInShadow(slot, { feature: switcher.name, css: SWITCHER_CSS, signal });
  if (!mounted) return undefined;

  const model = createSwitcherModel(productForHost(deps.hostname) ?? 'console');
  const view = createSwitcherView(mounted.root, PRODUCTS[model.current].name);
  const { button, menu } = view;

  function show(next: View): void {
    if (model.show(next)) view.renderEntries(model.entries);
  }

  async function load(): Promise<void> {
    try {
      show(await deps.send('getSwitcherState', {}));
    } catch {
      show({ status: 'error' });
    }
  }

  function open(focus: 'first' | 'last'): void {
    model.open = true;
    view.renderOpen(true);
    focusItem(view.items(), focus === 'first' ? 0 : -1);
    void load(); // pick up a sign-in or status change since the page loaded
  }

  function close(returnFocus: boolean): void {
    if (!model.open) return;
    model.open = false;
    view.renderOpen(false);
    if (returnFocus) button.focus();
  }

  function choose(item: HTMLElement): void {
    const entry = model.entries[view.indexOf(item)];
    if (!entry || entry.disabled) return;
    close(true);
    if (entry.current || !entry.url) return;
    // Checked again right before navigating: only the login and product origins of this world.
    if (isAllowedDestination(entry.url)) deps.navigate(entry.url);
  }

  bindMenuKeyboard({ button, menu, items: view.items, open, close, choose }, signal);

  button.addEventListener('click', () => (model.open ? close(true) : open('first')), { signal });
  menu.addEventListener(
    'click',
    (event) => {
      const item = (event.target as Element).closest<HTMLElement>('[role="menuitem"]');
      if (item) choose(item);
    },
    { signal },
  );

  // A pointer down anywhere outside the switcher closes the menu (focus stays where the user put it).
  document.addEventListener(
    'pointerdown',
    (event) => {
      if (!event.composedPath().includes(mounted.host)) close(false);
    },
    { signal, capture: true },
  );

  // Back to this tab (e.g. after setting a product up in another one): show what changed meanwhile.
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') void load();
    },
    { signal },
  );
  // Restored from the back/forward cache: the products may have changed since the page was left.
  window.addEventListener(
    'pageshow',
    (event) => {
      if (event.persisted) void load();
    },
    { signal },
  );

  view.renderEntries(model.entries);
  return { ...mounted, ready: load() };
}
