import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { SendMessage, SwitcherState } from '../../../contract/messages';
import { ASK_AGAIN_EVERY_MS, initSwitcher, type SwitcherDeps } from '../../../src/content/switcher';
import { BEN_PRODUCTS, SEGMENT_CONTINUE as SEGMENT_HOME, SENDGRID_CONTINUE as SENDGRID_HOME } from '../support/idp';

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
    // Named by its own text, which starts with what it shows: the current product.
    expect(button.textContent).toBe('Twilio Console, Switch product▾');
    expect(menu.hidden).toBe(true);
  });

  it('lists the three products with their status text', async () => {
    const { items } = await mount();
    expect(items().map((item) => item.textContent)).toEqual(['Twilio Console, Current', 'Segment', 'SendGrid, Set up']);
    expect(items()[0]!.getAttribute('aria-current')).toBe('page');
  });

  it('names the current product from the page host', async () => {
    const { button, items } = await mount(SIGNED_IN, 'app.segment.localhost');
    expect(button.textContent).toBe('Segment, Switch product▾');
    expect(items().map((item) => item.textContent)).toEqual(['Twilio Console', 'Segment, Current', 'SendGrid, Set up']);
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

  it('shows an unavailable product as Request access and does not navigate', async () => {
    const { button, items } = await mount({
      status: 'signed_in',
      products: [{ id: 'segment', name: 'Segment', status: 'unavailable' }],
    });
    expect(items()[0]!.textContent).toBe('Segment, Request access');
    button.click();
    items()[0]!.click();
    expect(navigated).toEqual([]);
  });

  it('offers "Sign in with Twilio" when signed out, which starts the background sign-in', async () => {
    const asked: string[] = [];
    const send = (async (type: string) => {
      asked.push(type);
      return type === 'startSignIn' ? SIGNED_IN : { status: 'signed_out' };
    }) as SendMessage;
    const mounted = initSwitcher(controller.signal, {
      send,
      hostname: 'console.twilio.localhost',
      navigate: () => {},
    })!;
    await mounted.ready;
    const items = () => [...mounted.root.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    expect(items().map((item) => [item.textContent, item.getAttribute('aria-disabled')])).toEqual([
      ['Sign in with Twilio', null],
    ]);
    mounted.root.querySelector('button')!.click();
    items()[0]!.click();
    await vi.waitFor(() => expect(items().map((item) => item.textContent)[0]).toBe('Twilio Console, Current'));
    expect(asked).toContain('startSignIn');
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

/** Ben after linking Segment and creating SendGrid: two workspaces, one account. */
const WITH_WORKSPACES: SwitcherState = { status: 'signed_in', products: BEN_PRODUCTS };

const names = (items: HTMLElement[]) => items.map((item) => item.textContent);

describe('workspaces in the switcher', () => {
  it('lists the workspaces and accounts of set-up products as items under each product', async () => {
    const { items } = await mount(WITH_WORKSPACES);
    expect(names(items())).toEqual([
      'Twilio Console, Current',
      'Segment',
      'Ben Co, Member, Segment workspace',
      'Ben Labs, Owner, Segment workspace',
      'SendGrid',
      'Ben Mail, Admin, SendGrid account',
    ]);
    const workspace = items()[2]!;
    expect(workspace.getAttribute('role')).toBe('menuitem');
    expect(workspace.classList.contains('workspace')).toBe(true);
    expect(workspace.querySelector('.name')?.textContent).toBe('Ben Co');
    expect(workspace.querySelector('.status')?.textContent).toBe('Member');
    expect(workspace.hasAttribute('aria-disabled')).toBe(false);
  });

  it('lists no workspaces under products that are not set up', async () => {
    const { items } = await mount({
      status: 'signed_in',
      products: [
        {
          id: 'segment',
          name: 'Segment',
          status: 'not_set_up',
          url: 'http://login.twilio.localhost:8787/setup/segment',
          workspaces: [{ id: 'w', name: 'Stale', role: 'Owner', url: `${SEGMENT_HOME}?next=%2Fworkspaces%2Fw` }],
        },
      ],
    });
    expect(names(items())).toEqual(['Segment, Set up']);
  });

  it('leaves out a workspace whose URL leads outside the known origins', async () => {
    const { items } = await mount({
      status: 'signed_in',
      products: [
        {
          id: 'segment',
          name: 'Segment',
          status: 'linked',
          url: SEGMENT_HOME,
          workspaces: [
            { id: 'a', name: 'Evil', role: 'Owner', url: 'javascript:alert(1)' },
            { id: 'b', name: 'Away', role: 'Owner', url: `${SEGMENT_HOME}?next=//evil.test/` },
            { id: 'c', name: 'Good', role: 'Owner', url: `${SEGMENT_HOME}?next=%2Fworkspaces%2Fc` },
          ],
        },
      ],
    });
    expect(names(items())).toEqual(['Segment', 'Good, Owner, Segment workspace']);
  });

  it('moves over products and workspaces alike with the arrows, wrapping, Home and End', async () => {
    const { button, items, focused, key } = await mount(WITH_WORKSPACES);
    key(button, 'ArrowDown');
    const order: (string | null)[] = [];
    for (let i = 0; i < items().length; i += 1) {
      order.push(focused()!.textContent);
      key(focused()!, 'ArrowDown');
    }
    expect(order).toEqual(names(items()));
    expect(focused()).toBe(items()[0]); // wrapped
    key(focused()!, 'ArrowUp');
    expect(focused()?.textContent).toBe('Ben Mail, Admin, SendGrid account');
    key(focused()!, 'Home');
    expect(focused()).toBe(items()[0]);
    key(focused()!, 'End');
    expect(focused()).toBe(items()[5]);
    key(focused()!, 'Escape');
    expect(focused()).toBe(button);
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('opens a workspace with Enter or a click', async () => {
    const { button, items, focused, key } = await mount(WITH_WORKSPACES);
    key(button, 'Enter');
    key(focused()!, 'ArrowDown');
    key(focused()!, 'ArrowDown');
    key(focused()!, 'Enter');
    button.click();
    items()[5]!.click();
    expect(navigated).toEqual([
      `${SEGMENT_HOME}?next=%2Fworkspaces%2Fws-ben`,
      `${SENDGRID_HOME}?next=%2Faccounts%2Fac-1`,
    ]);
  });

  it('finds a workspace by its first letter', async () => {
    const { button, focused, key } = await mount(WITH_WORKSPACES);
    key(button, 'Enter');
    key(focused()!, 'b');
    expect(focused()?.textContent).toBe('Ben Co, Member, Segment workspace');
    key(focused()!, 'b');
    expect(focused()?.textContent).toBe('Ben Labs, Owner, Segment workspace');
  });

  it('on a Segment page marks Segment current and leads back to the Console', async () => {
    const { button, items } = await mount(WITH_WORKSPACES, 'app.segment.localhost');
    expect(names(items()).slice(0, 2)).toEqual(['Twilio Console', 'Segment, Current']);
    const current = items().filter((item) => item.getAttribute('aria-current') === 'page');
    expect(current.map((item) => item.querySelector('.status')?.textContent)).toEqual(['Current']);
    expect(names(current)).toEqual(['Segment, Current']);
    button.click();
    items()[1]!.click(); // the current product: closes, stays
    button.click();
    items()[0]!.click();
    expect(navigated).toEqual(['http://console.twilio.localhost:8787/']);
  });

  it('on a SendGrid page marks SendGrid current', async () => {
    const { items } = await mount(WITH_WORKSPACES, 'app.sendgrid.localhost');
    expect(names(items().filter((item) => item.getAttribute('aria-current') === 'page'))).toEqual([
      'SendGrid, Current',
    ]);
    expect(names(items())[0]).toBe('Twilio Console');
  });
});

describe('limited release in the switcher', () => {
  const DAN: SwitcherState = {
    status: 'signed_in',
    products: [
      { id: 'console', name: 'Twilio Console', status: 'active', url: 'http://console.twilio.localhost:8787/' },
      { id: 'segment', name: 'Segment', status: 'unavailable' },
      // Whatever the server says (or a stray URL), an unavailable product says the same and goes nowhere.
      { id: 'sendgrid', name: 'SendGrid', status: 'unavailable', url: 'http://login.twilio.localhost:8787/x' },
    ],
  };

  it('offers "Request access" for a product in limited release, which asks the background and never navigates', async () => {
    const asked: string[] = [];
    let requested = false;
    const send = (async (type: string) => {
      asked.push(type);
      if (type === 'requestAccess') {
        requested = true;
        return { status: 'access_requested' };
      }
      if (!requested) return DAN;
      return {
        ...DAN,
        products: DAN.products.map((p) => (p.status === 'unavailable' ? { ...p, status: 'access_requested' } : p)),
      };
    }) as SendMessage;
    const mounted = initSwitcher(controller.signal, {
      send,
      hostname: 'console.twilio.localhost',
      navigate: (url) => navigated.push(url),
    })!;
    await mounted.ready;
    const items = () => [...mounted.root.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    expect(names(items())).toEqual(['Twilio Console, Current', 'Segment, Request access', 'SendGrid, Request access']);
    mounted.root.querySelector('button')!.click();
    items()[1]!.click();
    await vi.waitFor(() =>
      expect(names(items())).toEqual([
        'Twilio Console, Current',
        'Segment, Access requested',
        'SendGrid, Access requested',
      ]),
    );
    expect(asked.filter((type) => type === 'requestAccess')).toHaveLength(1);
    for (const item of items().slice(1)) expect(item.getAttribute('aria-disabled')).toBe('true');
    expect(mounted.root.querySelector('[role="status"]')?.textContent).toMatch(/^Access requested/);
    expect(navigated).toEqual([]);
  });
});

describe('keeping the switcher current', () => {
  function changing(first: SwitcherState) {
    let state = first;
    let asked = 0;
    const send = (async () => {
      asked += 1;
      return state;
    }) as SendMessage;
    return {
      deps: { send, hostname: 'console.twilio.localhost', navigate: (url: string) => navigated.push(url) },
      set: (next: SwitcherState) => {
        state = next;
      },
      asked: () => asked,
    };
  }

  it('shows a product set up in another tab when the page becomes visible again', async () => {
    const background = changing(SIGNED_IN);
    const mounted = initSwitcher(controller.signal, background.deps)!;
    await mounted.ready;
    background.set(WITH_WORKSPACES);
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.waitFor(() =>
      expect(
        [...mounted.root.querySelectorAll('[role="menuitem"]')].find(
          (item) => item.textContent === 'Ben Mail, Admin, SendGrid account',
        ),
      ).not.toBeNull(),
    );
    expect(background.asked()).toBe(2);
  });

  it('asks again when opened, keeping focus on the same item', async () => {
    const background = changing(SIGNED_IN);
    const mounted = initSwitcher(controller.signal, background.deps)!;
    await mounted.ready;
    background.set(WITH_WORKSPACES);
    const button = mounted.root.querySelector('button')!;
    button.click();
    expect(mounted.root.activeElement?.textContent).toBe('Twilio Console, Current');
    await vi.waitFor(() => expect(mounted.root.querySelectorAll('[role="menuitem"]')).toHaveLength(6));
    expect(mounted.root.activeElement?.textContent).toBe('Twilio Console, Current');
  });

  it('asks again every few seconds while the page is visible (a session ended elsewhere shows), not while hidden', async () => {
    vi.useFakeTimers();
    try {
      const background = changing(SIGNED_IN);
      const mounted = initSwitcher(controller.signal, background.deps)!;
      await mounted.ready;
      background.set({ status: 'signed_out' });
      await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS);
      expect(background.asked()).toBe(2);
      expect([...mounted.root.querySelectorAll('[role="menuitem"]')].map((item) => item.textContent)).toEqual([
        'Sign in with Twilio',
      ]);
      const visibility = vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
      await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS * 3);
      expect(background.asked()).toBe(2);
      visibility.mockRestore();
      controller.abort();
      await vi.advanceTimersByTimeAsync(ASK_AGAIN_EVERY_MS * 3);
      expect(background.asked()).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('stops listening once aborted', async () => {
    const background = changing(SIGNED_IN);
    await initSwitcher(controller.signal, background.deps)!.ready;
    controller.abort();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(background.asked()).toBe(1);
  });
});
