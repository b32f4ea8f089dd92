/**
 * The product switcher in the page's navigation: a menu button listing Console, Segment and SendGrid with their
 * status for the signed-in user, and under each set-up product its workspaces (Segment) or accounts (SendGrid),
 * most recently visited first, as indented menu items. It mounts into `#product-switcher-slot` when the page has
 * one, renders at once in a neutral state, then fills in the products from the background (an unprivileged
 * message), again when opened, when the page becomes visible, every few seconds while it is, and at once when the
 * background says the state changed.
 *
 * This file wires the parts: the state (switcher-model.ts), the rendering (switcher-view.ts) and the keyboard
 * behaviour (switcher-keys.ts).
 */
import { PRODUCTS } from '../../contract/catalogue';
import { type SendMessage, SWITCHER_CHANGED } from '../../contract/messages';
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import { isAllowedDestination, productForHost } from '../shared/config';
import { sendMessage } from '../shared/send-message';
import { type ContentFeature, isProductPage } from './features';
import { keepMounted, type Mounted, mountInShadow } from './mount';
import { SWITCHER_CSS } from './switcher.css';
import { bindMenuKeyboard, focusItem } from './switcher-keys';
import { createSwitcherModel, type Entry, offlineChoiceText, type View } from './switcher-model';
import { createSwitcherView } from './switcher-view';

export interface SwitcherDeps {
  send: SendMessage;
  /** The page's host name, to know which product we are in. */
  hostname: string;
  navigate: (url: string) => void;
  /** Calls `listener` whenever the background says the switcher's state changed; returns how to stop. */
  onStateChanged?: (listener: () => void) => () => void;
}

/**
 * While its page is visible, a switcher asks again this often, so a Twilio session that ended with no product page
 * loading (a password change on another device, deprovisioning) still shows; the background confirms with the
 * API behind its answer, at most every couple of seconds whatever the number of tabs.
 */
export const ASK_AGAIN_EVERY_MS = 5000;

/** The background's "state changed" notice, from this extension's background only (never a page or a tab). */
function onBackgroundNotice(listener: () => void): () => void {
  const handle = (message: unknown, sender: chrome.runtime.MessageSender) => {
    if (sender.id !== chrome.runtime.id || sender.tab) return;
    if ((message as { type?: unknown } | null)?.type === SWITCHER_CHANGED) listener();
  };
  chrome.runtime.onMessage.addListener(handle);
  return () => chrome.runtime.onMessage.removeListener(handle);
}

/** On every product page (the Console, Segment, SendGrid) that has a switcher slot in its navigation. */
export const switcher: ContentFeature = {
  name: 'switcher',
  include: [isProductPage],
  init: (signal) => keepSwitcher(signal),
};

function pageDeps(): SwitcherDeps {
  return {
    send: sendMessage,
    hostname: location.hostname,
    navigate: (url) => location.assign(url),
    onStateChanged: onBackgroundNotice,
  };
}

/**
 * Keep a switcher in the page's slot while `signal` lives: a page that re-renders its navigation (SPA navigation)
 * replaces the slot, and the switcher that was in it stops (no polling, no listeners for a menu nobody sees) while a
 * new one mounts into the new slot; a slot that appears after the page loaded gets one too.
 */
export function keepSwitcher(signal: AbortSignal, deps: SwitcherDeps = pageDeps()): void {
  keepMounted(signal, (run) => {
    const mounted = initSwitcher(run, deps);
    return mounted && [mounted.host];
  });
}

/**
 * Mount the switcher into the page's slot. Returns the mounted UI (for tests), or `undefined` when the page has
 * no slot or the switcher is already there.
 */
export function initSwitcher(
  signal: AbortSignal,
  deps: SwitcherDeps = pageDeps(),
): (Mounted & { ready: Promise<void> }) | undefined {
  const slot = document.getElementById(SWITCHER_SLOT_ID);
  if (!slot) return undefined;
  const mounted = mountInShadow(slot, { feature: switcher.name, css: SWITCHER_CSS, signal });
  if (!mounted) return undefined;

  const model = createSwitcherModel(productForHost(deps.hostname) ?? 'console');
  const view = createSwitcherView(mounted.root, model.current, PRODUCTS[model.current].name);
  const { button, menu } = view;

  function show(next: View): void {
    if (model.show(next)) view.renderEntries(model.entries);
  }

  async function load(recheck = false): Promise<void> {
    try {
      show(await deps.send('getSwitcherState', recheck ? { recheck } : {}));
    } catch {
      show({ status: 'error' });
    }
  }

  function say(message: string): void {
    model.message = message;
    view.renderMessage(message);
  }

  /** Run a background action started from the menu, keeping the menu open to show its outcome. */
  async function act(entry: Entry): Promise<void> {
    try {
      if (entry.action === 'sign-in') {
        say('Finish signing in in the Twilio window…');
        show(await deps.send('startSignIn', {}));
        say('');
      } else if (entry.action === 'request-access') {
        await deps.send('requestAccess', {});
        say('Access requested. Support will let you know by email.');
        await load(true);
      }
    } catch {
      say(
        entry.action === 'sign-in' ? 'Sign-in did not finish. Try again.' : 'The request could not be sent. Try again.',
      );
    }
  }

  function open(focus: 'first' | 'last'): void {
    model.open = true;
    view.renderOpen(true);
    focusItem(view.items(), focus === 'first' ? 0 : -1);
    void load(true); // confirm the products: a sign-in, a status change or the world gone since the page loaded
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
    if (entry.action === 'sign-in' || entry.action === 'request-access') {
      void act(entry);
      return;
    }
    const shown = model.view;
    if (entry.action === 'navigate' && shown.status === 'signed_in' && shown.offline) {
      say(offlineChoiceText(entry.label)); // explain rather than lead to the browser's error page
      return;
    }
    close(true);
    if (entry.action !== 'navigate' || !entry.url) return;
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

  // Signed in or out, session ended, products changed: the background says so and this tab asks again at once.
  const stopListening = deps.onStateChanged?.(() => void load());
  if (stopListening) signal.addEventListener('abort', stopListening, { once: true });

  // Back to this tab (e.g. after setting a product up in another one): show what changed meanwhile.
  document.addEventListener(
    'visibilitychange',
    () => {
      if (document.visibilityState === 'visible') void load();
    },
    { signal },
  );
  const polling = setInterval(() => {
    if (document.visibilityState === 'visible') void load();
  }, ASK_AGAIN_EVERY_MS);
  signal.addEventListener('abort', () => clearInterval(polling), { once: true });
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
