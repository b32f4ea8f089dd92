/**
 * The product switcher in the page's navigation: a menu button (WAI-ARIA APG "menu button" pattern) listing
 * Console, Segment and SendGrid with their status for the signed-in user, and under each set-up product its
 * workspaces (Segment) or accounts (SendGrid), most recently visited first, as indented menu items. It mounts into
 * `#product-switcher-slot` when the page has one, renders at once in a neutral state, then fills in the products
 * from the background (an unprivileged message), again when opened and when the page becomes visible.
 */
import { PRODUCTS, type ProductId } from '../../contract/catalogue';
import type { SendMessage, SwitcherProduct, SwitcherState } from '../../contract/messages';
import { SWITCHER_SLOT_ID } from '../../contract/product-pages';
import { CONTACT_SUPPORT, workspaceLabel } from '../../contract/workspaces';
import { isAllowedDestination, productForHost } from '../shared/config';
import { sendMessage } from '../shared/send-message';
import { type Mounted, mountInShadow } from './mount';
import { SWITCHER_CSS } from './switcher.css';

export { CONTACT_SUPPORT };
export const SIGN_IN_HINT = 'Sign in from the toolbar';

type View = { status: 'loading' } | { status: 'error' } | SwitcherState;

interface Entry {
  /** Stable across renders (product id, or product id and workspace id), so focus survives an update. */
  key: string;
  kind: 'product' | 'workspace' | 'hint';
  label: string;
  status: string;
  /** The accessible name. */
  name: string;
  url?: string;
  disabled: boolean;
  current: boolean;
  unavailable: boolean;
}

export interface SwitcherDeps {
  send: SendMessage;
  /** The page's host name, to know which product we are in. */
  hostname: string;
  navigate: (url: string) => void;
}

/** The status text shown under a product in the menu. */
export function statusText(product: SwitcherProduct, current: ProductId): string {
  if (product.id === current) return 'Current';
  switch (product.status) {
    case 'active':
    case 'linked':
      return 'Open';
    case 'not_set_up':
      return 'Set up';
    case 'unavailable':
      return CONTACT_SUPPORT; // the same words everywhere, whatever note the server sends
  }
}

const allowed = (url: string | undefined) => (url && isAllowedDestination(url) ? url : undefined);

function productEntries(product: SwitcherProduct, current: ProductId): Entry[] {
  const url = allowed(product.url);
  const unavailable = product.status === 'unavailable';
  const status = statusText(product, current);
  const entry: Entry = {
    key: product.id,
    kind: 'product',
    label: product.name,
    status,
    name: `${product.name}, ${status}`,
    url,
    disabled: unavailable || (!url && product.id !== current),
    current: product.id === current,
    unavailable,
  };
  const setUp = product.status === 'active' || product.status === 'linked';
  const workspaces = setUp ? (product.workspaces ?? []) : [];
  return [
    entry,
    // A workspace whose URL is not allowed is left out rather than shown as a dead end.
    ...workspaces.flatMap((workspace): Entry[] => {
      const url = allowed(workspace.url);
      if (!url) return [];
      return [
        {
          key: `${product.id}/${workspace.id}`,
          kind: 'workspace',
          label: workspace.name,
          status: workspace.role,
          name: workspaceLabel(product.id, product.name, workspace),
          url,
          disabled: false,
          current: false,
          unavailable: false,
        },
      ];
    }),
  ];
}

function entriesFor(view: View, current: ProductId): Entry[] {
  const hint = (label: string): Entry[] => [
    { key: 'hint', kind: 'hint', label, status: '', name: label, disabled: true, current: false, unavailable: false },
  ];
  switch (view.status) {
    case 'loading':
      return hint('Loading products…');
    case 'error':
      return hint('Products are unavailable right now');
    case 'signed_out':
      return hint(SIGN_IN_HINT);
    case 'signed_in':
      return view.products.flatMap((product) => productEntries(product, current));
  }
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string>,
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

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
  const mounted = mountInShadow(slot, { feature: 'switcher', css: SWITCHER_CSS, signal });
  if (!mounted) return undefined;

  const current = productForHost(deps.hostname) ?? 'console';
  const currentName = PRODUCTS[current].name;
  const button = element(
    'button',
    {
      type: 'button',
      id: 'uls-switcher-button',
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': 'uls-switcher-menu',
      'aria-label': `Switch product: ${currentName}`,
    },
    element('span', {}, currentName),
    element('span', { class: 'caret', 'aria-hidden': 'true' }, '▼'),
  );
  const menu = element('ul', {
    role: 'menu',
    id: 'uls-switcher-menu',
    'aria-label': 'Products',
    hidden: '',
  });
  mounted.root.append(button, menu);

  let entries: Entry[] = [];
  let rendered = '';

  const items = (): HTMLElement[] => [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];

  function render(view: View): void {
    const next = entriesFor(view, current);
    const key = JSON.stringify(next);
    if (key === rendered) return; // unchanged: keep the DOM (and focus) as it is
    const active = mounted?.root.activeElement;
    const focused = active instanceof HTMLElement ? items().indexOf(active) : -1;
    const focusedKey = entries[focused]?.key;
    entries = next;
    rendered = key;
    menu.replaceChildren(
      ...entries.map((entry, index) => {
        const item = element(
          'li',
          {
            role: 'menuitem',
            tabindex: '-1',
            'data-index': String(index),
            'aria-label': entry.name,
            class: entry.unavailable ? `${entry.kind} unavailable` : entry.kind,
          },
          element('span', { class: 'name' }, entry.label),
        );
        if (entry.status) item.append(element('span', { class: 'status' }, entry.status));
        if (entry.disabled) item.setAttribute('aria-disabled', 'true');
        if (entry.current) item.setAttribute('aria-current', 'page');
        return item;
      }),
    );
    if (focused < 0) return;
    const same = entries.findIndex((entry) => entry.key === focusedKey);
    items()[same >= 0 ? same : Math.min(focused, entries.length - 1)]?.focus();
  }

  async function load(): Promise<void> {
    try {
      render(await deps.send('getSwitcherState', {}));
    } catch {
      render({ status: 'error' });
    }
  }

  const isOpen = () => button.getAttribute('aria-expanded') === 'true';

  function focusItem(index: number): void {
    const all = items();
    if (all.length === 0) return;
    all[(index + all.length) % all.length]?.focus();
  }

  function open(focus: 'first' | 'last'): void {
    menu.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    focusItem(focus === 'first' ? 0 : -1);
    void load(); // pick up a sign-in or status change since the page loaded
  }

  function close(returnFocus: boolean): void {
    if (!isOpen()) return;
    menu.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    if (returnFocus) button.focus();
  }

  function choose(item: HTMLElement): void {
    const entry = entries[Number(item.dataset.index)];
    if (!entry || entry.disabled) return;
    close(true);
    if (entry.current || !entry.url) return;
    // Checked again right before navigating: only the login and product origins of this world.
    if (isAllowedDestination(entry.url)) deps.navigate(entry.url);
  }

  button.addEventListener(
    'click',
    () => {
      if (isOpen()) close(true);
      else open('first');
    },
    { signal },
  );

  button.addEventListener(
    'keydown',
    (event) => {
      // Handling Enter/Space here (and preventing the default) also stops the browser's synthesized click.
      if (event.key === 'Enter' || event.key === ' ' || event.key === 'ArrowDown') open('first');
      else if (event.key === 'ArrowUp') open('last');
      else return;
      event.preventDefault();
    },
    { signal },
  );

  menu.addEventListener(
    'keydown',
    (event) => {
      const all = items();
      const index = all.indexOf(event.target as HTMLElement);
      switch (event.key) {
        case 'ArrowDown':
          focusItem(index + 1);
          break;
        case 'ArrowUp':
          focusItem(index - 1);
          break;
        case 'Home':
          focusItem(0);
          break;
        case 'End':
          focusItem(-1);
          break;
        case 'Escape':
          close(true);
          break;
        case 'Enter':
        case ' ':
          if (index >= 0) choose(all[index]!);
          break;
        case 'Tab':
          close(false); // let focus move on naturally
          return;
        default: {
          // Type-ahead: focus the next item whose label starts with the typed character.
          if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
          const char = event.key.toLowerCase();
          const order = [...all.slice(index + 1), ...all.slice(0, index + 1)];
          order.find((item) => item.querySelector('.name')?.textContent?.toLowerCase().startsWith(char))?.focus();
        }
      }
      event.preventDefault();
    },
    { signal },
  );

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

  render({ status: 'loading' });
  return { ...mounted, ready: load() };
}
