import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/popup/components/App';
import { paintView, snapshotView } from '../../../src/popup/first-paint';
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
  it('keeps the view the snapshot paints, and forgets it with the snapshot', () => {
    const storage = memoryStorage();
    const store = createSnapshotStore(storage, snapshotView);
    store.write(SIGNED_IN, BUILD_PORT);
    expect(paintView(container, store.read()?.view ?? [])).toBe(true);
    expect(container.querySelector('.account-email')?.textContent).toBe('dan@example.com');
    expect(container.querySelector('.progress')?.textContent).toBe('Updating…');
    expect(container.querySelector('script')).toBeNull();

    store.write({ status: 'signed_out' }, BUILD_PORT);
    expect(storage.items.size).toBe(0);
  });

  it('is adopted by Preact: the same nodes, unchanged, and its buttons work once rendered', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage, snapshotView).write(SIGNED_IN, BUILD_PORT);
    const background = fakeBackground({ signOutEverywhere: () => ({ status: 'signed_out' }) });
    const store = createSnapshotStore(storage, snapshotView);
    const model = createPopupModel(background.send, store);
    // As the popup's entry does: the snapshot paint() showed carries the view.
    const shown = model.paint();
    expect(shown?.state).toEqual(SIGNED_IN);
    expect(paintView(container, shown!.view!)).toBe(true);
    const painted = container.innerHTML;
    const email = container.querySelector('.account-email');
    const signOut = [...container.querySelectorAll('button')].find((b) => b.textContent === 'Sign out of Twilio');

    act(() => {
      render(<App model={model} onOpen={() => undefined} onSettings={() => undefined} />, container);
    });
    expect(container.innerHTML).toBe(painted);
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
    createSnapshotStore(storage, snapshotView).write(SIGNED_IN, BUILD_PORT);
    paintView(container, createSnapshotStore(storage).read()!.view!);
    const model = createPopupModel(fakeBackground({}).send);
    model.paint();
    act(() => {
      render(<App model={model} onOpen={() => undefined} />, container);
    });
    expect(container.querySelector('.account-email')).toBeNull();
    expect(container.querySelector('.loading')?.textContent).toContain('Loading your products');
  });

  it('ignores a snapshot whose view is not a list, and builds nothing from a malformed one', () => {
    const tampered = JSON.stringify({ state: SIGNED_IN, port: BUILD_PORT, view: '<b>x</b>' });
    expect(createSnapshotStore(memoryStorage({ 'uls:popup-snapshot:v2': tampered })).read()).toBeUndefined();
    container.append('before');
    expect(paintView(container, [['p', [], ['ok']], 42 as never])).toBe(false);
    expect(container.textContent).toBe('before');
  });

  it('never builds event-handler attributes', () => {
    paintView(container, [
      [
        'img',
        [
          ['src', 'x.png'],
          ['onerror', 'alert(1)'],
          ['ONLOAD', 'alert(2)'],
        ],
        [],
      ],
    ]);
    expect(container.innerHTML).toBe('<img src="x.png">');
  });

  it('builds icons in the SVG namespace, as Preact does', () => {
    const storage = memoryStorage();
    const store = createSnapshotStore(storage, snapshotView);
    store.write(SIGNED_IN, BUILD_PORT);
    paintView(container, store.read()!.view!);
    const svg = container.querySelector('svg');
    expect(svg?.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg?.firstElementChild?.namespaceURI).toBe('http://www.w3.org/2000/svg');
  });
});
