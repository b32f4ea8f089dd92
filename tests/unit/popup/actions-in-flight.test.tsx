import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { App } from '../../../src/popup/components/App';
import { createPopupModel } from '../../../src/popup/model';
import { renderTarget } from '../support/container';
import { later } from '../support/later';
import { DAN, DAN_PRODUCTS, fakeBackground, SIGNED_IN } from './fixtures';

const SIGNED_IN_NOW = { status: 'signed_in', me: DAN, products: DAN_PRODUCTS, fetchedAt: 1000 } as const;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('an action of the person while the popup is still refreshing', () => {
  it('shows the sign-out, not the refresh that answers after it', async () => {
    const refresh = later<PopupState>();
    const background = fakeBackground({
      getState: () => SIGNED_IN,
      refreshProducts: () => refresh.promise,
      signOut: () => ({ status: 'signed_out' }),
    });
    const model = createPopupModel(background.send);
    const opening = model.load();
    await settle();
    expect(model.busy.value).toBe('refreshing');
    await model.signOut();
    expect(model.status.value).toBe('signed_out');
    // The refresh was asked while still signed in; the background refuses it now.
    refresh.fail(new ExtensionError('server', 'The API answered for another user.'));
    await opening;
    expect(model.status.value).toBe('signed_out');
    expect(model.error.value).toBeNull();
    expect(model.busy.value).toBeNull();
  });

  it('keeps the sign-out busy, its buttons disabled, when the refresh answers first', async () => {
    const refresh = later<PopupState>();
    const signOut = later<PopupState>();
    const background = fakeBackground({
      getState: () => SIGNED_IN,
      refreshProducts: () => refresh.promise,
      signOutEverywhere: () => signOut.promise,
    });
    const model = createPopupModel(background.send);
    const opening = model.load();
    await settle();
    const signingOut = model.signOutEverywhere();
    refresh.answer({ ...SIGNED_IN_NOW, fetchedAt: 2000 });
    await opening;
    expect(model.busy.value).toBe('signing_out');
    expect(model.fetchedAt.value).toBe(1000);
    // A second press while the first is under way sends nothing more.
    await model.signOutEverywhere();
    await model.signOut();
    expect(background.sent.map((m) => m.type)).toEqual(['getState', 'refreshProducts', 'signOutEverywhere']);
    signOut.answer({ status: 'signed_out' });
    await signingOut;
    expect(model.status.value).toBe('signed_out');
    expect(model.busy.value).toBeNull();
  });

  it('shows the sign-out, not the state asked for on open that answers after it', async () => {
    const opened = later<PopupState>();
    const model = createPopupModel(
      fakeBackground({ getState: () => opened.promise, signOut: () => ({ status: 'signed_out' }) }).send,
    );
    model.status.value = 'signed_in';
    const opening = model.confirm();
    await model.signOut();
    opened.answer(SIGNED_IN);
    await opening;
    expect(model.status.value).toBe('signed_out');
    expect(model.busy.value).toBeNull();
  });
});

describe('the signed-in view while an action is under way', () => {
  const target = renderTarget();

  it('disables the sign-outs while access is requested, and "Request access" while signing out', async () => {
    const request = later<{ status: 'access_requested' }>();
    const signOut = later<PopupState>();
    const model = createPopupModel(
      fakeBackground({
        requestAccess: () => request.promise,
        refreshProducts: () => SIGNED_IN,
        signOut: () => signOut.promise,
      }).send,
    );
    model.status.value = 'signed_in';
    model.me.value = DAN;
    model.products.value = DAN_PRODUCTS;
    act(() => render(<App model={model} onOpen={() => undefined} />, target.element));
    // Disabled either way: `disabled`, or `aria-disabled` for a button that keeps the focus while busy.
    const disabled = () =>
      Object.fromEntries(
        [...target.element.querySelectorAll('button')].map((b) => [
          b.textContent,
          b.disabled || b.getAttribute('aria-disabled') === 'true',
        ]),
      );

    await act(() => void model.requestAccess());
    expect(disabled()).toEqual({
      'Request access': true,
      'Sign out of Twilio': true,
      'Sign out of this extension only': true,
    });
    await act(async () => {
      request.answer({ status: 'access_requested' });
      await settle();
    });
    await act(() => void model.signOut());
    expect(disabled()).toEqual({
      'Request access': true,
      'Sign out of Twilio': true,
      'Sign out of this extension only': true,
    });
  });
});

describe("the background's notice of change while the popup opens", () => {
  it('leaves the state asked for on open to be shown and refreshed', async () => {
    const opened = later<PopupState>();
    let asked = 0;
    const background = fakeBackground({
      getState: () => (++asked === 1 ? opened.promise : SIGNED_IN),
      refreshProducts: () => ({ ...SIGNED_IN_NOW, fetchedAt: 2000 }),
    });
    const model = createPopupModel(background.send);
    const opening = model.load();
    await model.sync();
    opened.answer(SIGNED_IN);
    await opening;
    expect(background.sent.map((m) => m.type)).toEqual(['getState', 'getState', 'refreshProducts']);
    expect(model.fetchedAt.value).toBe(2000);
    expect(model.busy.value).toBeNull();
  });
});
