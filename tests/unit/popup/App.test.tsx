import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/popup/components/App';
import { createPopupModel, type PopupModel } from '../../../src/popup/model';
import { DAN, DAN_PRODUCTS, fakeBackground } from './fixtures';

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
    expect(button.disabled).toBe(false);

    await act(() => button.click());
    expect(background.sent.map((m) => m.type)).toEqual(['signIn']);
    expect(button.disabled).toBe(true);
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
      action: row.querySelector('a')?.textContent ?? row.querySelector('.product-note')?.textContent,
    }));
    expect(rows).toEqual([
      { name: 'Twilio Console', badge: 'Active', action: 'Open Twilio Console' },
      { name: 'Segment', badge: 'Unavailable', action: 'Contact support to request access' },
      { name: 'SendGrid', badge: 'Unavailable', action: 'Contact support to request access' },
    ]);
    expect(buttons()).toEqual(['Sign out']);
  });

  it('opens a product in a tab when its link is chosen', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    show(model);
    const link = container.querySelector<HTMLAnchorElement>('a.action')!;
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
    expect([...container.querySelectorAll('a')].map((a) => a.textContent)).toEqual(['Set up SendGrid']);
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
