import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initSwitcher, type SwitcherDeps } from '../../../src/content/switcher';
import { ExtensionError } from '../../../src/shared/errors';
import type { SendMessage, SwitcherState } from '../../../src/shared/messages';

const SIGNED_IN: SwitcherState = {
  status: 'signed_in',
  products: [
    { id: 'console', name: 'Twilio Console', status: 'active', url: 'http://console.twilio.localhost:8787/' },
    { id: 'segment', name: 'Segment', status: 'linked', url: 'http://app.segment.localhost:8787/' },
    {
      id: 'sendgrid',
      name: 'SendGrid',
      status: 'not_set_up',
      url: 'http://login.twilio.localhost:8787/switch/sendgrid',
    },
  ],
};

let controller: AbortController;
let navigated: string[];

function page(): void {
  document.body.innerHTML =
    '<nav aria-label="Console"><a href="/">Home</a><div id="product-switcher-slot"></div><a href="/x">After</a></nav>';
}

function deps(state: SwitcherState | Error, hostname = 'console.twilio.localhost'): SwitcherDeps {
  const send = (async () => {
    if (state instanceof Error) throw state;
    return state;
  }) as SendMessage;
  return { send, hostname, navigate: (url) => navigated.push(url) };
}

async function mount(state: SwitcherState | Error = SIGNED_IN, hostname?: string) {
  const mounted = initSwitcher(controller.signal, deps(state, hostname))!;
  await mounted.ready;
  const root = mounted.root;
  const button = root.querySelector<HTMLButtonElement>('button')!;
  const menu = root.querySelector<HTMLElement>('[role="menu"]')!;
  const items = () => [...root.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const focused = () => root.activeElement;
  const key = (target: Element, name: string) =>
    target.dispatchEvent(new KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  return { mounted, root, button, menu, items, focused, key };
}

beforeEach(() => {
  controller = new AbortController();
  navigated = [];
  page();
});

afterEach(() => {
  controller.abort();
  document.body.innerHTML = '';
});

describe('product switcher', () => {
  it('is a closed menu button labelled with the current product', async () => {
    const { button, menu } = await mount();
    expect(button.getAttribute('aria-haspopup')).toBe('menu');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(button.getAttribute('aria-controls')).toBe(menu.id);
    expect(button.getAttribute('aria-label')).toBe('Switch product: Twilio Console');
    expect(menu.hidden).toBe(true);
  });

  it('lists the three products with their status text', async () => {
    const { items } = await mount();
    expect(items().map((item) => item.getAttribute('aria-label'))).toEqual([
      'Twilio Console, Current',
      'Segment, Open',
      'SendGrid, Set up',
    ]);
    expect(items()[0]!.getAttribute('aria-current')).toBe('page');
  });

  it('names the current product from the page host', async () => {
    const { button, items } = await mount(SIGNED_IN, 'app.segment.localhost');
    expect(button.getAttribute('aria-label')).toBe('Switch product: Segment');
    expect(items().map((item) => item.getAttribute('aria-label'))).toEqual([
      'Twilio Console, Open',
      'Segment, Current',
      'SendGrid, Set up',
    ]);
  });

  it('opens on Enter and focuses the first item', async () => {
    const { button, menu, items, focused, key } = await mount();
    key(button, 'Enter');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(menu.hidden).toBe(false);
    expect(focused()).toBe(items()[0]);
  });

  it('opens on ArrowUp and focuses the last item', async () => {
    const { button, items, focused, key } = await mount();
    key(button, 'ArrowUp');
    expect(focused()).toBe(items()[2]);
  });

  it('moves with the arrow keys and wraps at both ends', async () => {
    const { button, items, focused, key } = await mount();
    key(button, 'ArrowDown');
    key(focused()!, 'ArrowDown');
    expect(focused()).toBe(items()[1]);
    key(focused()!, 'ArrowDown');
    key(focused()!, 'ArrowDown');
    expect(focused()).toBe(items()[0]);
    key(focused()!, 'ArrowUp');
    expect(focused()).toBe(items()[2]);
  });

  it('jumps to the first and last item with Home and End', async () => {
    const { button, items, focused, key } = await mount();
    key(button, 'Enter');
    key(focused()!, 'End');
    expect(focused()).toBe(items()[2]);
    key(focused()!, 'Home');
    expect(focused()).toBe(items()[0]);
  });

  it('closes on Escape and returns focus to the button', async () => {
    const { button, menu, focused, key } = await mount();
    key(button, 'Enter');
    key(focused()!, 'Escape');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(menu.hidden).toBe(true);
    expect(focused()).toBe(button);
  });

  it('closes on Tab', async () => {
    const { button, menu, focused, key } = await mount();
    key(button, 'Enter');
    key(focused()!, 'Tab');
    expect(menu.hidden).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes on a click outside', async () => {
    const { button, menu } = await mount();
    button.click();
    expect(menu.hidden).toBe(false);
    document.body.dispatchEvent(new Event('pointerdown', { bubbles: true, composed: true }));
    expect(menu.hidden).toBe(true);
  });

  it('navigates to the chosen product with Enter', async () => {
    const { button, focused, key } = await mount();
    key(button, 'Enter');
    key(focused()!, 'ArrowDown');
    key(focused()!, 'Enter');
    expect(navigated).toEqual(['http://app.segment.localhost:8787/']);
  });

  it('navigates to the set-up page of a product when clicked', async () => {
    const { button, items } = await mount();
    button.click();
    items()[2]!.click();
    expect(navigated).toEqual(['http://login.twilio.localhost:8787/switch/sendgrid']);
  });

  it('never navigates to a URL outside the known origins', async () => {
    const { button, items } = await mount({
      status: 'signed_in',
      products: [{ id: 'segment', name: 'Segment', status: 'linked', url: 'https://evil.example/' }],
    });
    button.click();
    items()[0]!.click();
    expect(items()[0]!.getAttribute('aria-disabled')).toBe('true');
    expect(navigated).toEqual([]);
  });

  it('shows an unavailable product with the support note and does not navigate', async () => {
    const { button, items } = await mount({
      status: 'signed_in',
      products: [{ id: 'segment', name: 'Segment', status: 'unavailable', note: 'Contact support to request access' }],
    });
    expect(items()[0]!.getAttribute('aria-label')).toBe('Segment, Contact support to request access');
    button.click();
    items()[0]!.click();
    expect(navigated).toEqual([]);
  });

  it('hints to sign in from the toolbar when signed out', async () => {
    const { items } = await mount({ status: 'signed_out' });
    expect(items().map((item) => [item.textContent, item.getAttribute('aria-disabled')])).toEqual([
      ['Sign in from the toolbar', 'true'],
    ]);
  });

  it('renders at once in a neutral state before the products arrive', () => {
    const mounted = initSwitcher(controller.signal, deps(SIGNED_IN))!;
    const items = [...mounted.root.querySelectorAll('[role="menuitem"]')];
    expect(items.map((item) => item.textContent)).toEqual(['Loading products…']);
  });

  it('says products are unavailable when the background refuses', async () => {
    const { items } = await mount(new ExtensionError('internal', 'x'));
    expect(items().map((item) => item.textContent)).toEqual(['Products are unavailable right now']);
  });

  it('mounting twice is a no-op', async () => {
    await mount();
    expect(initSwitcher(controller.signal, deps(SIGNED_IN))).toBeUndefined();
    expect(document.querySelectorAll('#product-switcher-slot > *')).toHaveLength(1);
  });

  it('does nothing on a page without the slot', () => {
    document.body.innerHTML = '<nav></nav>';
    expect(initSwitcher(controller.signal, deps(SIGNED_IN))).toBeUndefined();
    expect(document.body.innerHTML).toBe('<nav></nav>');
  });

  it('removes itself when its signal aborts', async () => {
    await mount();
    controller.abort();
    expect(document.querySelector('#product-switcher-slot')!.children).toHaveLength(0);
  });
});
