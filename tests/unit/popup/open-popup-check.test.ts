/**
 * An open popup's quiet check: a sign-out of Twilio in a tab whose pages do not poll reaches no switcher, so the
 * popup asks the API itself while open — without "Updating…", and never over the person's own action.
 */
import { describe, expect, it } from 'vitest';
import type { PopupState } from '../../../contract/messages';
import { createPopupModel } from '../../../src/popup/model';
import { later } from '../support/later';
import { fakeBackground, SIGNED_IN } from './fixtures';

describe("an open popup's check", () => {
  it('shows a session ended elsewhere, with its reason, and shows no progress while asking', async () => {
    let state: PopupState = SIGNED_IN;
    const asked = later<PopupState>();
    let checking = false;
    const background = fakeBackground({
      getState: () => SIGNED_IN,
      refreshProducts: () => (checking ? asked.promise : state),
    });
    const model = createPopupModel(background.send);
    await model.load();
    state = { status: 'signed_out', ended: 'signed_out' };
    checking = true;
    const check = model.check();
    expect(model.busy.value).toBeNull();
    asked.answer(state);
    await check;
    expect(background.sent.at(-1)).toEqual({ type: 'refreshProducts', data: { force: true } });
    expect(model.status.value).toBe('signed_out');
    expect(model.ended.value).toBe('You signed out of Twilio — sign in again.');
  });

  it('asks nothing while signed out or while an action of the person is under way', async () => {
    const background = fakeBackground({ getState: () => ({ status: 'signed_out' }) });
    const model = createPopupModel(background.send);
    await model.load();
    await model.check();
    model.status.value = 'signed_in';
    model.busy.value = 'signing_out';
    await model.check();
    expect(background.sent.map((message) => message.type)).toEqual(['getState']);
  });

  it("leaves the person's action to answer when it starts while the check is under way", async () => {
    const asked = later<PopupState>();
    let checking = false;
    const background = fakeBackground({
      getState: () => SIGNED_IN,
      refreshProducts: () => (checking ? asked.promise : SIGNED_IN),
      signOut: () => ({ status: 'signed_out' }),
    });
    const model = createPopupModel(background.send);
    await model.load();
    checking = true;
    const check = model.check();
    await model.signOut();
    asked.answer(SIGNED_IN);
    await check;
    expect(model.status.value).toBe('signed_out');
  });

  it('keeps what is shown when the background cannot answer', async () => {
    let failing = false;
    const background = fakeBackground({
      getState: () => SIGNED_IN,
      refreshProducts: () => {
        if (failing) throw new Error('Could not establish connection. Receiving end does not exist.');
        return SIGNED_IN;
      },
    });
    const model = createPopupModel(background.send);
    await model.load();
    failing = true;
    await model.check();
    expect(model.status.value).toBe('signed_in');
    expect(model.error.value).toBeNull();
  });
});
