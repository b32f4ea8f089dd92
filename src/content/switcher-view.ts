/**
 * The switcher's rendering: a launcher-style menu button (grid icon, the current product's icon and name) and its
 * menu (WAI-ARIA APG "menu button"), drawn from the model's entries. Every item's accessible name comes from its
 * own text (visible words first, then words only assistive technology hears), so it starts with what is on
 * screen. Re-rendering keeps focus on the same entry (by key) so an update never throws the user off.
 */
import type { ProductId } from '../../contract/catalogue';
import { element } from './dom';
import { launcherIcon, productIcon } from './icons';
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
  /** A sentence announced to the person (empty clears it). */
  renderMessage(message: string): void;
}

const hiddenText = (text: string) => element('span', { class: 'visually-hidden' }, text);

function itemFor(entry: Entry, index: number): HTMLElement {
  const classes = [entry.kind, entry.unavailable ? 'unavailable' : '', entry.icon ? 'with-icon' : ''];
  const item = element('li', {
    role: 'menuitem',
    tabindex: '-1',
    'data-index': String(index),
    'data-key': entry.key,
    class: classes.filter(Boolean).join(' '),
  });
  if (entry.icon) item.append(productIcon(entry.icon));
  const text = element('span', { class: 'text' }, element('span', { class: 'name' }, entry.label));
  // The comma is for the accessible name ("Segment, Set up"); on screen the status sits on its own line.
  if (entry.status) text.append(hiddenText(', '), element('span', { class: 'status' }, entry.status));
  if (entry.hidden) text.append(hiddenText(entry.hidden));
  item.append(text);
  if (entry.kind === 'loading') {
    item.append(
      element('span', { class: 'skeleton', 'aria-hidden': 'true' }, element('span'), element('span'), element('span')),
    );
  }
  if (entry.disabled) item.setAttribute('aria-disabled', 'true');
  if (entry.current) item.setAttribute('aria-current', 'page');
  return item;
}

/** Build the button and menu into `root` for the product `current`, named `currentName`. */
export function createSwitcherView(root: ShadowRoot, current: ProductId, currentName: string): SwitcherView {
  const button = element(
    'button',
    {
      type: 'button',
      id: BUTTON_ID,
      'aria-haspopup': 'menu',
      'aria-expanded': 'false',
      'aria-controls': MENU_ID,
    },
    launcherIcon(),
    productIcon(current, 18),
    element('span', { class: 'current' }, currentName),
    hiddenText(', Switch product'),
    element('span', { class: 'caret', 'aria-hidden': 'true' }, '▾'),
  );
  const menu = element('ul', { role: 'menu', id: MENU_ID, 'aria-label': 'Products', hidden: '' });
  const message = element('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const panel = element('div', { class: 'panel', hidden: '' }, menu, message);
  root.append(button, panel);

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
      panel.hidden = !open;
      button.setAttribute('aria-expanded', String(open));
      if (!open) message.textContent = '';
    },
    renderMessage(text) {
      message.textContent = text;
    },
  };
}
