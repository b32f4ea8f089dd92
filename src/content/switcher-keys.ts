/**
 * The switcher's keyboard behaviour (WAI-ARIA APG "menu button"): Enter, Space and the arrows on the button open
 * the menu; in the menu the arrows, Home and End move, Enter and Space choose, Escape closes, Tab closes and lets
 * focus move on, and a typed character moves to the next item starting with it.
 */

export interface MenuControls {
  button: HTMLElement;
  menu: HTMLElement;
  items(): HTMLElement[];
  open(focus: 'first' | 'last'): void;
  close(returnFocus: boolean): void;
  choose(item: HTMLElement): void;
}

/** Focus the item at `index`, wrapping around at both ends (-1 is the last). */
export function focusItem(items: readonly HTMLElement[], index: number): void {
  if (items.length === 0) return;
  items[(index + items.length) % items.length]?.focus();
}

export function bindMenuKeyboard(controls: MenuControls, signal: AbortSignal): void {
  const { button, menu } = controls;
  button.addEventListener(
    'keydown',
    (event) => {
      // Handling Enter/Space here (and preventing the default) also stops the browser's synthesized click.
      if (event.key === 'Enter' || event.key === ' ' || event.key === 'ArrowDown') controls.open('first');
      else if (event.key === 'ArrowUp') controls.open('last');
      else return;
      event.preventDefault();
    },
    { signal },
  );

  menu.addEventListener(
    'keydown',
    (event) => {
      const all = controls.items();
      const index = all.indexOf(event.target as HTMLElement);
      switch (event.key) {
        case 'ArrowDown':
          focusItem(all, index + 1);
          break;
        case 'ArrowUp':
          focusItem(all, index - 1);
          break;
        case 'Home':
          focusItem(all, 0);
          break;
        case 'End':
          focusItem(all, -1);
          break;
        case 'Escape':
          controls.close(true);
          break;
        case 'Enter':
        case ' ':
          if (index >= 0) controls.choose(all[index]!);
          break;
        case 'Tab':
          controls.close(false); // let focus move on naturally
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
}
