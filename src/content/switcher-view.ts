/**
 * The switcher's rendering: a menu button and its menu (WAI-ARIA APG "menu button"), drawn from the model's
 * entries. Re-rendering keeps focus on the same entry (by key) so an update never throws the user off.
 */
import { element } from './dom';
import type { Entry } from './switcher-model';

export const BUTTON_ID = 'uls-switcher-button';
export const MENU_ID = 'uls-switcher-menu';

export interface SwitcherView {
  button: HTMLButtonElement;
  menu: HTMLUListElement;
  /** The menu items, in order. */
  items(): HTMLElement[];
  /** The entry index an item stands for. */
  indexOf(item: HTMLElement): number;
  renderEntries(entries: readonly Entry[]): void;
  renderOpen(open: boolean): void;
}

function itemFor(entry: Entry, index: number): HTMLElement {
  const item = element(
    'li',
    {
      role: 'menuitem',
      tabindex: '-1',
      'data-index': String(index),
      'data-key': entry.key,
      'aria-label': entry.name,
      class: entry.unavailable ? `${entry.kind} unavailable` : entry.kind,
    },
    element('span', { class: 'name' }, entry.label),
  );
  if (entry.status) item.append(element('span', { class: 'status' }, entry.status));
  if (entry.disabled) item.setAttribute('aria-disabled', 'true');
  if (entry.current) item.setAttribute('aria-current', 'page');
  return item;
}

/** Build the button and menu into `root` for the product named `currentName`. */
export function createSwitcherView(root: ShadowRoot, currentName: string): SwitcherView {
  const button = element(
    'button',
    {
      type: 'button',
      id: BUTTON_ID,
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': MENU_ID,
      'aria-label': `Switch product: ${currentName}`,
    },
    element('span', {}, currentName),
    element('span', { class: 'caret', 'aria-hidden': 'true' }, '▼'),
  );
  const menu = element('ul', { role: 'menu', id: MENU_ID, 'aria-label': 'Products', hidden: '' });
  root.append(button, menu);

  const items = (): HTMLElement[] => [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')];

  return {
    button,
    menu,
    items,
    indexOf: (item) => Number(item.dataset.index),
    renderEntries(entries) {
      const active = root.activeElement;
      const all = items();
      const focused = active instanceof HTMLElement ? all.indexOf(active) : -1;
      const focusedKey = focused >= 0 ? all[focused]?.dataset.key : undefined;
      menu.replaceChildren(...entries.map(itemFor));
      if (focused < 0) return;
      const same = entries.findIndex((entry) => entry.key === focusedKey);
      items()[same >= 0 ? same : Math.min(focused, entries.length - 1)]?.focus();
    },
    renderOpen(open) {
      menu.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
    },
  };
}
