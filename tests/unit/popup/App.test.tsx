import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me, ProductEntry } from '../../../contract/api';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { App } from '../../../src/popup/components/App';
import { createPopupModel, type PopupModel } from '../../../src/popup/model';
import { createSnapshotStore } from '../../../src/popup/snapshot';
import { BUILD_PORT } from '../../../src/shared/config';
import {
  BEN,
  BEN_PRODUCTS,
  SEGMENT_CONTINUE as SEGMENT_HOME,
  SENDGRID_CONTINUE as SENDGRID_HOME,
} from '../support/idp';
import { DAN, DAN_PRODUCTS, fakeBackground, memoryStorage, SIGNED_IN } from './fixtures';

let container: HTMLElement;
let opened: string[];

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  opened = [];
});

afterEach(() => {
  render(null, container);
  container.remove();
});

function show(model: PopupModel): void {
  act(() => {
    render(<App model={model} onOpen={(url) => opened.push(url)} />, container);
  });
}

const text = (selector: string) => container.querySelector(selector)?.textContent ?? null;
const buttons = () => [...container.querySelectorAll('button')].map((b) => b.textContent);

describe('popup', () => {
  it('announces loading in a status region inside the main landmark', () => {
    show(createPopupModel(fakeBackground({}).send));
    expect(text('header h1')).toBe('Login Switcher');
    expect(text('main [role="status"]')).toBe('Loading your products…');
    expect(container.querySelector('main')?.getAttribute('aria-busy')).toBe('true');
  });

  it('shows an alert with a retry button in the error state', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'error';
    model.error.value = 'The Twilio login could not be reached. Check your connection and try again.';
    show(model);
    expect(text('[role="alert"] p')).toBe(model.error.value);
    expect(buttons()).toEqual(['Try again']);
  });

  it('invites a signed-out user to sign in with Twilio', async () => {
    const background = fakeBackground({ signIn: () => new Promise(() => undefined) });
    const model = createPopupModel(background.send);
    model.status.value = 'signed_out';
    show(model);
    expect(text('h2')).toBe('One login for all your products');
    const button = container.querySelector<HTMLButtonElement>('button.primary')!;
    expect(button.textContent).toBe('Sign in with Twilio');
    expect(button.getAttribute('aria-disabled')).toBe('false');

    await act(() => button.click());
    expect(background.sent.map((m) => m.type)).toEqual(['signIn']);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(text('#sign-in-progress')).toBe('Finish signing in in the Twilio window…');
  });

  it('lists the signed-in user and their products with what each one offers', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    show(model);
    expect(text('.account-name')).toBe('Dan Brown');
    expect(text('.account-email')).toBe('dan@example.com');
    expect(text('#products-title')).toBe('Your products');
    const rows = [...container.querySelectorAll('.product')].map((row) => ({
      name: row.querySelector('.product-name')?.textContent,
      badge: row.querySelector('.badge')?.textContent,
      action: row.querySelector('a')?.textContent ?? row.querySelector('.request button')?.textContent,
    }));
    // Each row is one link named by its own text (no "Open" under every item).
    expect(rows).toEqual([
      {
        name: 'Twilio Console',
        badge: 'Active',
        action: 'Twilio Console, Messaging, voice and your Twilio account, Active',
      },
      { name: 'Segment', badge: 'Limited release', action: 'Request access' },
      { name: 'SendGrid', badge: 'Limited release', action: 'Request access' },
    ]);
    expect(buttons()).toEqual([
      'Request access',
      'Request access',
      'Sign out of Twilio',
      'Sign out of this extension only',
    ]);
  });

  it('opens a product in a tab when its link is chosen', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    show(model);
    const link = container.querySelector<HTMLAnchorElement>('a.product-row')!;
    expect(link.getAttribute('href')).toBe('http://console.twilio.localhost:8787/');
    act(() => link.click());
    expect(opened).toEqual(['http://console.twilio.localhost:8787/']);
  });

  it('offers "Set up" for a product that is not set up and no link for one on a foreign origin', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = [
      {
        id: 'sendgrid',
        name: 'SendGrid',
        status: 'not_set_up',
        url: 'http://login.twilio.localhost:8787/x',
        workspaces: [],
      },
      { id: 'segment', name: 'Segment', status: 'linked', url: 'javascript:alert(1)', workspaces: [] },
    ];
    show(model);
    expect([...container.querySelectorAll('a')].map((a) => a.textContent)).toEqual([
      'SendGrid, Email delivery, Not set up',
    ]);
  });

  it('announces a background refresh while keeping the products', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    model.busy.value = 'refreshing';
    show(model);
    expect(text('.footer [role="status"]')).toBe('Updating…');
    expect(container.querySelectorAll('.product')).toHaveLength(3);
  });
});

function signedIn(me: Me, products: ProductEntry[]): void {
  const model = createPopupModel(fakeBackground({}).send);
  model.status.value = 'signed_in';
  model.me.value = me;
  model.products.value = products;
  show(model);
}

const links = (root: ParentNode = container) =>
  [...root.querySelectorAll('a')].map((a) => a.getAttribute('aria-label') ?? a.textContent);

describe('popup workspaces', () => {
  it('lists the workspaces and accounts under each set-up product, as links with exact names', () => {
    signedIn(BEN, BEN_PRODUCTS);
    expect(links()).toEqual([
      'Twilio Console, Messaging, voice and your Twilio account, Active',
      'Segment, Customer data platform, Linked',
      'Ben Co, Member, Segment workspace',
      'Ben Labs, Owner, Segment workspace',
      'SendGrid, Email delivery, Linked',
      'Ben Mail, Admin, SendGrid account',
    ]);
    const lists = [...container.querySelectorAll('ul.workspaces')];
    expect(lists.map((list) => list.getAttribute('aria-label'))).toEqual(['Segment workspaces', 'SendGrid accounts']);
    expect(lists[0]?.closest('.product')?.getAttribute('data-product')).toBe('segment');
    const first = container.querySelector<HTMLAnchorElement>('a.workspace')!;
    expect(first.querySelector('.workspace-name')?.textContent).toBe('Ben Co');
    expect(first.querySelector('.workspace-role')?.textContent).toBe('Member');
    expect(first.getAttribute('href')).toBe(`${SEGMENT_HOME}?next=%2Fworkspaces%2Fws-ben`);
  });

  it('opens a workspace in a tab', () => {
    signedIn(BEN, BEN_PRODUCTS);
    act(() =>
      [...container.querySelectorAll<HTMLAnchorElement>('a.workspace')]
        .find((a) => a.textContent === 'Ben Mail, Admin, SendGrid account')!
        .click(),
    );
    expect(opened).toEqual([`${SENDGRID_HOME}?next=%2Faccounts%2Fac-1`]);
  });

  it('lists no workspaces for products not set up, and none whose URL is not allowed', () => {
    signedIn(BEN, [
      {
        id: 'segment',
        name: 'Segment',
        status: 'not_set_up',
        url: 'http://login.twilio.localhost:8787/setup/segment',
        workspaces: [{ id: 'x', name: 'Old', role: 'Owner', url: `${SEGMENT_HOME}?next=%2Fworkspaces%2Fx` }],
      },
      {
        id: 'sendgrid',
        name: 'SendGrid',
        status: 'linked',
        url: SENDGRID_HOME,
        workspaces: [
          { id: 'a', name: 'Evil', role: 'Admin', url: 'javascript:alert(1)' },
          { id: 'b', name: 'Away', role: 'Admin', url: `${SENDGRID_HOME}?next=https://evil.test/` },
        ],
      },
    ]);
    expect(links()).toEqual(['Segment, Customer data platform, Not set up', 'SendGrid, Email delivery, Linked']);
    expect(container.querySelectorAll('ul.workspaces')).toHaveLength(0);
  });
});

describe('popup limited release', () => {
  it('offers "Request access" for unavailable products, links nowhere, and shows "Access requested" after', async () => {
    const background = fakeBackground({
      requestAccess: () => ({ status: 'access_requested' }),
      refreshProducts: () => ({
        status: 'signed_in',
        me: DAN,
        products: DAN_PRODUCTS.map((p) => (p.status === 'unavailable' ? { ...p, status: 'access_requested' } : p)),
        fetchedAt: 1,
      }),
    });
    const model = createPopupModel(background.send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = [
      ...DAN_PRODUCTS.slice(0, 2),
      // Whatever the server sends along, an unavailable product links nowhere.
      {
        id: 'sendgrid',
        name: 'SendGrid',
        status: 'unavailable',
        note: 'Ask someone',
        url: 'http://login.twilio.localhost:8787/setup/sendgrid',
        workspaces: [{ id: 'a', name: 'Nope', role: 'Admin', url: `${SENDGRID_HOME}?next=%2Faccounts%2Fa` }],
      },
    ];
    show(model);
    expect(links()).toEqual(['Twilio Console, Messaging, voice and your Twilio account, Active']);
    expect(container.querySelector('[data-product="segment"] a')).toBeNull();
    const request = container.querySelector<HTMLButtonElement>('[data-product="segment"] .request button')!;
    expect(request.textContent).toBe('Request access');
    await act(async () => {
      request.click();
      await Promise.resolve();
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(background.sent.map((m) => m.type)).toEqual(['requestAccess', 'refreshProducts']);
    const badges = [...container.querySelectorAll('.badge')].map((badge) => badge.textContent);
    expect(badges).toEqual(['Active', 'Access requested', 'Access requested']);
    expect(container.querySelector('.request')).toBeNull();
  });
});

describe('popup focus', () => {
  const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name)!;
  /** Lets the answers in flight arrive and be shown. */
  const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
  /** An answer the test gives when it chooses, as a background that takes a moment would. */
  function later() {
    let answer!: (state: PopupState) => void;
    let fail!: (error: Error) => void;
    const promise = new Promise<PopupState>((resolve, reject) => {
      answer = resolve;
      fail = reject;
    });
    return { promise, answer, fail };
  }

  it('moves to the signed-out view\'s heading when "Sign out of this extension only" replaces the view', async () => {
    const signOut = later();
    const model = createPopupModel(fakeBackground({ signOut: () => signOut.promise }).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    show(model);
    const chosen = button('Sign out of this extension only');
    chosen.focus();
    act(() => chosen.click());
    signOut.answer({ status: 'signed_out' });
    await settle();
    expect(chosen.isConnected).toBe(false);
    expect(document.activeElement).toBe(container.querySelector('#signed-out-title'));
    expect(document.activeElement?.textContent).toBe('One login for all your products');
  });

  it('moves to "Your products" when signing in replaces the view', async () => {
    const signIn = later();
    const model = createPopupModel(fakeBackground({ signIn: () => signIn.promise }).send);
    model.status.value = 'signed_out';
    show(model);
    const chosen = button('Sign in with Twilio');
    chosen.focus();
    act(() => chosen.click());
    signIn.answer(SIGNED_IN);
    await settle();
    expect(document.activeElement).toBe(container.querySelector('#products-title'));
  });

  it('stays where it is when the popup opens on a snapshot and the background answers with another view', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, BUILD_PORT);
    const background = fakeBackground({ getState: () => ({ status: 'signed_out' }) });
    const model = createPopupModel(background.send, createSnapshotStore(storage));
    model.paint();
    show(model);
    expect(container.querySelector('#products-title')).not.toBeNull();
    await act(() => model.confirm());
    expect(container.querySelector('#signed-out-title')).not.toBeNull();
    expect(document.activeElement).toBe(document.body);
  });

  it('is not moved later by a change of view the person did not make, after a cancelled sign-in', async () => {
    const signIn = later();
    const model = createPopupModel(fakeBackground({ signIn: () => signIn.promise, getState: () => SIGNED_IN }).send);
    model.status.value = 'signed_out';
    show(model);
    act(() => button('Sign in with Twilio').click());
    signIn.fail(new ExtensionError('sign_in_cancelled', 'closed'));
    await settle();
    const elsewhere = document.createElement('button');
    document.body.append(elsewhere);
    elsewhere.focus();
    await act(() => model.sync());
    expect(container.querySelector('#products-title')).not.toBeNull();
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });
});
