import { describe, expect, it } from 'vitest';
import { ExtensionError } from '../../../contract/errors';
import type { PopupState } from '../../../contract/messages';
import { createPopupModel } from '../../../src/popup/model';
import { DAN, DAN_PRODUCTS, fakeBackground, SIGNED_IN } from './fixtures';

describe('popup model', () => {
  it('starts loading', () => {
    const model = createPopupModel(fakeBackground({}).send);
    expect(model.status.value).toBe('loading');
    expect(model.busy.value).toBeNull();
  });

  it('shows the cached state, then refreshes it from the API in the background', async () => {
    const fresh = { ...SIGNED_IN, fetchedAt: 2000 };
    const background = fakeBackground({ getState: () => SIGNED_IN, refreshProducts: () => fresh });
    const model = createPopupModel(background.send);
    await model.load();
    expect(background.sent).toEqual([
      { type: 'getState', data: {} },
      { type: 'refreshProducts', data: { force: true } },
    ]);
    expect(model.status.value).toBe('signed_in');
    expect(model.me.value).toEqual(DAN);
    expect(model.products.value).toEqual(DAN_PRODUCTS);
    expect(model.fetchedAt.value).toBe(2000);
    expect(model.openableCount.value).toBe(1);
    expect(model.busy.value).toBeNull();
  });

  it('does not refresh when signed out', async () => {
    const background = fakeBackground({ getState: () => ({ status: 'signed_out' }) });
    const model = createPopupModel(background.send);
    await model.load();
    expect(model.status.value).toBe('signed_out');
    expect(background.sent.map((m) => m.type)).toEqual(['getState']);
  });

  it("shows the background's state when it says the state changed, with the reason the session ended", async () => {
    let state: PopupState = SIGNED_IN;
    const background = fakeBackground({ getState: () => state, refreshProducts: () => state });
    const model = createPopupModel(background.send);
    await model.load();
    state = { status: 'signed_out', ended: 'signed_out' };
    await model.sync();
    expect(model.status.value).toBe('signed_out');
    expect(model.ended.value).toBe('You signed out of Twilio — sign in again.');
  });

  it('leaves a notice of change alone while an action of its own is under way (its answer is the state)', async () => {
    const background = fakeBackground({ getState: () => ({ status: 'signed_out' }) });
    const model = createPopupModel(background.send);
    model.busy.value = 'signing_in';
    await model.sync();
    expect(background.sent).toEqual([]);
  });

  it('is in the error state with a message when the background cannot answer', async () => {
    const model = createPopupModel(
      fakeBackground({
        getState: () => {
          throw new ExtensionError('network', 'down');
        },
      }).send,
    );
    await model.load();
    expect(model.status.value).toBe('error');
    expect(model.error.value).toBe('The Twilio login could not be reached. Check your connection and try again.');
  });

  it('is busy signing in until the background answers, then signed in', async () => {
    let finish!: () => void;
    const model = createPopupModel(
      fakeBackground({
        signIn: () => new Promise((resolve) => (finish = () => resolve(SIGNED_IN))),
      }).send,
    );
    model.status.value = 'signed_out';
    const pending = model.signIn();
    expect(model.busy.value).toBe('signing_in');
    expect(model.isBusy.value).toBe(true);
    finish();
    await pending;
    expect(model.busy.value).toBeNull();
    expect(model.status.value).toBe('signed_in');
  });

  it('stays signed out with an alert when sign-in is cancelled', async () => {
    const model = createPopupModel(
      fakeBackground({
        signIn: () => {
          throw new ExtensionError('sign_in_cancelled', 'closed');
        },
      }).send,
    );
    model.status.value = 'signed_out';
    await model.signIn();
    expect(model.status.value).toBe('signed_out');
    expect(model.error.value).toBe('Sign-in was cancelled.');
  });

  it('clears the user and products on sign-out', async () => {
    const model = createPopupModel(
      fakeBackground({
        getState: () => SIGNED_IN,
        refreshProducts: () => SIGNED_IN,
        signOut: () => ({ status: 'signed_out' }),
      }).send,
    );
    await model.load();
    await model.signOut();
    expect(model.status.value).toBe('signed_out');
    expect(model.me.value).toBeNull();
    expect(model.products.value).toEqual([]);
  });

  it('keeps the cached products on screen when a refresh fails', async () => {
    const model = createPopupModel(
      fakeBackground({
        getState: () => SIGNED_IN,
        refreshProducts: () => {
          throw new ExtensionError('server', 'The API answered HTTP 500.');
        },
      }).send,
    );
    await model.load();
    expect(model.status.value).toBe('signed_in');
    expect(model.products.value).toEqual(DAN_PRODUCTS);
    expect(model.error.value).toBe('The Twilio login answered with an error. Try again in a moment.');
  });
});
