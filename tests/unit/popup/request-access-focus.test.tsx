import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { App } from '../../../src/popup/components/App';
import { createPopupModel } from '../../../src/popup/model';
import { renderTarget } from '../support/container';
import { later } from '../support/later';
import { DAN, DAN_PRODUCTS, fakeBackground } from './fixtures';

const target = renderTarget();

const REQUESTED: PopupState = {
  status: 'signed_in',
  me: DAN,
  products: DAN_PRODUCTS.map((p) => (p.status === 'unavailable' ? { ...p, status: 'access_requested' } : p)),
  fetchedAt: 2000,
};

function signedIn(requestAccess: () => { status: 'access_requested' }) {
  const model = createPopupModel(fakeBackground({ requestAccess, refreshProducts: () => REQUESTED }).send);
  model.status.value = 'signed_in';
  model.me.value = DAN;
  model.products.value = DAN_PRODUCTS;
  act(() => render(<App model={model} onOpen={() => undefined} />, target.element));
  return model;
}

async function pressRequestAccess(product: string): Promise<HTMLButtonElement> {
  const button = target.element.querySelector<HTMLButtonElement>(`[data-product="${product}"] .request button`)!;
  button.focus();
  await act(async () => {
    button.click();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
  return button;
}

describe('focus after "Request access"', () => {
  it('stays on the button while the request is under way, and a second press asks nothing more', async () => {
    const request = later<{ status: 'access_requested' }>();
    let asked = 0;
    const model = createPopupModel(
      fakeBackground({
        requestAccess: () => {
          asked += 1;
          return request.promise;
        },
        refreshProducts: () => REQUESTED,
      }).send,
    );
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    act(() => render(<App model={model} onOpen={() => undefined} />, target.element));
    const used = await pressRequestAccess('segment');
    expect(document.activeElement).toBe(used);
    expect(used.getAttribute('aria-disabled')).toBe('true');
    await act(async () => {
      used.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(asked).toBe(1);
    await act(async () => {
      request.answer({ status: 'access_requested' });
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(document.activeElement).toBe(target.element.querySelector('[data-product="segment"] .product-row'));
  });

  it('goes to the row that now says "Access requested", in place of the button it replaced', async () => {
    signedIn(() => ({ status: 'access_requested' }));
    const used = await pressRequestAccess('sendgrid');
    expect(used.isConnected).toBe(false);
    const row = target.element.querySelector('[data-product="sendgrid"] .product-row');
    expect(document.activeElement).toBe(row);
    expect(row?.textContent).toBe('SendGrid, Email delivery, Access requested');
    // Not in the Tab order: it is there to keep the place.
    expect(row?.getAttribute('tabindex')).toBe('-1');
  });

  it('stays on the button, with the alert, when the request fails', async () => {
    const model = signedIn(() => {
      throw new ExtensionError('network', 'The Twilio login could not be reached.');
    });
    const used = await pressRequestAccess('segment');
    expect(model.error.value).toBe('The Twilio login could not be reached. Check your connection and try again.');
    expect(used.getAttribute('aria-disabled')).toBe('false');
    expect(document.activeElement).toBe(used);
  });
});

describe('the signed-in view says what is under way', () => {
  it('"Signing out…" and "Requesting access…" beside "Updating…"', () => {
    const model = createPopupModel(fakeBackground({}).send);
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    act(() => render(<App model={model} onOpen={() => undefined} />, target.element));
    const progress = () => target.element.querySelector('.footer [role="status"]')?.textContent;
    expect(progress()).toBe('');
    act(() => {
      model.busy.value = 'signing_out';
    });
    expect(progress()).toBe('Signing out…');
    act(() => {
      model.busy.value = 'requesting_access';
    });
    expect(progress()).toBe('Requesting access…');
    act(() => {
      model.busy.value = 'refreshing';
    });
    expect(progress()).toBe('Updating…');
  });
});
