import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { App } from '../../../src/popup/components/App';
import { createPopupModel, type PopupModel } from '../../../src/popup/model';
import { renderTarget } from '../support/container';
import { DAN, DAN_PRODUCTS, fakeBackground, SIGNED_IN } from './fixtures';

const SIGNED_IN_NOW = { status: 'signed_in', me: DAN, products: DAN_PRODUCTS, fetchedAt: 1000 } as const;

const target = renderTarget();

function show(model: PopupModel): void {
  act(() => {
    render(<App model={model} onOpen={() => undefined} />, target.element);
  });
}

const tryAgain = () => [...target.element.querySelectorAll('button')].find((b) => b.textContent === 'Try again');
/** Lets the answers in flight arrive and be shown. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const unreachable = () => {
  throw new ExtensionError('network', 'The Twilio login could not be reached.');
};

/** Chooses "Try again" with the keyboard's focus on it, as a keyboard or screen-reader user does. */
async function chooseTryAgain(): Promise<HTMLButtonElement> {
  const button = tryAgain()!;
  button.focus();
  expect(document.activeElement).toBe(button);
  await act(() => button.click());
  await settle();
  return button;
}

describe('focus after "Try again"', () => {
  it('goes to the new "Try again" when the world is still unreachable', async () => {
    const model = createPopupModel(fakeBackground({ getState: unreachable }).send);
    await model.load();
    show(model);
    const used = await chooseTryAgain();
    expect(used.isConnected).toBe(false);
    expect(model.status.value).toBe('error');
    expect(document.activeElement).toBe(tryAgain());
    expect(document.activeElement?.closest('[role="alert"]')?.querySelector('p')?.textContent).toBe(
      'The Twilio login could not be reached. Check your connection and try again.',
    );
  });

  it("goes to the signed-out view's heading when the world answers again", async () => {
    let state: () => PopupState = unreachable;
    const model = createPopupModel(fakeBackground({ getState: () => state() }).send);
    await model.load();
    show(model);
    state = () => ({ status: 'signed_out' });
    await chooseTryAgain();
    expect(document.activeElement).toBe(target.element.querySelector('#signed-out-title'));
  });

  it('goes to "Your products" when the offline products are confirmed again and the notice goes', async () => {
    let refreshed: PopupState = { ...SIGNED_IN_NOW, offline: true };
    const model = createPopupModel(
      fakeBackground({ getState: () => ({ ...SIGNED_IN_NOW, offline: true }), refreshProducts: () => refreshed }).send,
    );
    await model.load();
    show(model);
    expect(target.element.querySelector('.offline')).not.toBeNull();
    refreshed = { ...SIGNED_IN_NOW, fetchedAt: 2000 };
    await chooseTryAgain();
    expect(target.element.querySelector('.offline')).toBeNull();
    expect(document.activeElement).toBe(target.element.querySelector('#products-title'));
  });

  it('leaves the focus where the person moved it while the popup was trying again', async () => {
    let answer!: (state: PopupState) => void;
    const model = createPopupModel(
      fakeBackground({
        getState: () =>
          model.status.value === 'loading' ? new Promise((resolve) => (answer = resolve)) : unreachable(),
        refreshProducts: () => SIGNED_IN,
      }).send,
    );
    model.status.value = 'error';
    model.error.value = 'The Twilio login could not be reached. Check your connection and try again.';
    show(model);
    const button = tryAgain()!;
    button.focus();
    await act(() => button.click());
    const elsewhere = document.createElement('button');
    document.body.append(elsewhere);
    elsewhere.focus();
    answer({ status: 'signed_in', me: DAN, products: DAN_PRODUCTS, fetchedAt: 1 });
    await settle();
    expect(target.element.querySelector('#products-title')).not.toBeNull();
    expect(document.activeElement).toBe(elsewhere);
    elsewhere.remove();
  });
});
