import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/popup/components/App';
import { paintMarkup, snapshotMarkup } from '../../../src/popup/first-paint';
import { createPopupModel } from '../../../src/popup/model';
import { createSnapshotStore } from '../../../src/popup/snapshot';
import { BUILD_PORT } from '../../../src/shared/config';
import { fakeBackground, memoryStorage, SIGNED_IN } from './fixtures';

let container: HTMLElement;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
});

describe('popup first paint', () => {
  it('keeps the markup of the view the snapshot paints, and forgets it with the snapshot', () => {
    const storage = memoryStorage();
    const store = createSnapshotStore(storage, snapshotMarkup);
    store.write(SIGNED_IN, BUILD_PORT);
    const markup = store.read()?.markup ?? '';
    paintMarkup(container, markup);
    expect(container.querySelector('.account-email')?.textContent).toBe('dan@example.com');
    expect(container.querySelector('.progress')?.textContent).toBe('Updating…');
    expect(container.querySelector('script')).toBeNull();

    store.write({ status: 'signed_out' }, BUILD_PORT);
    expect(storage.items.size).toBe(0);
  });

  it('is adopted by Preact: the same nodes, unchanged, and its buttons work once rendered', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage, snapshotMarkup).write(SIGNED_IN, BUILD_PORT);
    const background = fakeBackground({ signOutEverywhere: () => ({ status: 'signed_out' }) });
    const store = createSnapshotStore(storage, snapshotMarkup);
    const model = createPopupModel(background.send, store);
    model.paint();
    const markup = store.read()!.markup!;
    paintMarkup(container, markup);
    const email = container.querySelector('.account-email');
    const signOut = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Sign out of Twilio');

    act(() => {
      render(<App model={model} onOpen={() => undefined} onSettings={() => undefined} />, container);
    });
    expect(container.innerHTML).toBe(markup);
    expect(container.querySelector('.account-email')).toBe(email);
    expect(container.querySelectorAll('.account-email')).toHaveLength(1);

    await act(async () => {
      signOut!.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(background.sent.map((m) => m.type)).toContain('signOutEverywhere');
    expect(container.querySelector('.account-email')).toBeNull();
  });

  it('is corrected by the render when the state moved on since it was kept', () => {
    const storage = memoryStorage();
    createSnapshotStore(storage, snapshotMarkup).write(SIGNED_IN, BUILD_PORT);
    paintMarkup(container, createSnapshotStore(storage).read()!.markup!);
    const model = createPopupModel(fakeBackground({}).send);
    model.paint();
    act(() => {
      render(<App model={model} onOpen={() => undefined} />, container);
    });
    expect(container.querySelector('.account-email')).toBeNull();
    expect(container.querySelector('.loading')?.textContent).toContain('Loading your products');
  });

  it('ignores a snapshot whose markup is not text', () => {
    const tampered = JSON.stringify({ state: SIGNED_IN, port: BUILD_PORT, markup: { html: '<b>x</b>' } });
    const store = createSnapshotStore(memoryStorage({ 'uls:popup-snapshot:v2': tampered }));
    expect(store.read()).toBeUndefined();
  });
});
