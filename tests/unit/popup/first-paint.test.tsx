import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { App } from '../../../src/popup/components/App';
import { paintView, snapshotView } from '../../../src/popup/first-paint';
import { createPopupModel } from '../../../src/popup/model';
import { createSnapshotStore } from '../../../src/popup/snapshot';
import { BUILD_PORT } from '../../../src/shared/config';
import { renderTarget } from '../support/container';
import { fakeBackground, memoryStorage, SIGNED_IN } from './fixtures';

const target = renderTarget();

describe('popup first paint', () => {
  it('keeps the view the snapshot paints, and forgets it with the snapshot', () => {
    const storage = memoryStorage();
    const store = createSnapshotStore(storage, snapshotView);
    store.write(SIGNED_IN, BUILD_PORT);
    expect(paintView(target.element, store.read()?.view ?? [])).toBe(true);
    expect(target.element.querySelector('.account-email')?.textContent).toBe('dan@example.com');
    expect(target.element.querySelector('.progress')?.textContent).toBe('Updating…');
    expect(target.element.querySelector('script')).toBeNull();

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
    expect(paintView(target.element, shown!.view!)).toBe(true);
    const painted = target.element.innerHTML;
    const email = target.element.querySelector('.account-email');
    const signOut = [...target.element.querySelectorAll('button')].find((b) => b.textContent === 'Sign out of Twilio');

    act(() => {
      render(<App model={model} onOpen={() => undefined} onSettings={() => undefined} />, target.element);
    });
    expect(target.element.innerHTML).toBe(painted);
    expect(target.element.querySelector('.account-email')).toBe(email);
    expect(target.element.querySelectorAll('.account-email')).toHaveLength(1);

    await act(async () => {
      signOut!.click();
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(background.sent.map((m) => m.type)).toContain('signOutEverywhere');
    expect(target.element.querySelector('.account-email')).toBeNull();
  });

  it('is corrected by the render when the state moved on since it was kept', () => {
    const storage = memoryStorage();
    createSnapshotStore(storage, snapshotView).write(SIGNED_IN, BUILD_PORT);
    paintView(target.element, createSnapshotStore(storage).read()!.view!);
    const model = createPopupModel(fakeBackground({}).send);
    model.paint();
    act(() => {
      render(<App model={model} onOpen={() => undefined} />, target.element);
    });
    expect(target.element.querySelector('.account-email')).toBeNull();
    expect(target.element.querySelector('.loading')?.textContent).toContain('Loading your products');
  });

  it('ignores a snapshot whose view is not a list, and builds nothing from a malformed one', () => {
    const tampered = JSON.stringify({ state: SIGNED_IN, port: BUILD_PORT, view: '<b>x</b>' });
    expect(createSnapshotStore(memoryStorage({ 'uls:popup-snapshot:v2': tampered })).read()).toBeUndefined();
    target.element.append('before');
    expect(paintView(target.element, [['p', [], ['ok']], 42 as never])).toBe(false);
    expect(target.element.textContent).toBe('before');
  });

  it('never builds event-handler attributes', () => {
    paintView(target.element, [
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
    expect(target.element.innerHTML).toBe('<img src="x.png">');
  });

  it('builds icons in the SVG namespace, as Preact does', () => {
    const storage = memoryStorage();
    const store = createSnapshotStore(storage, snapshotView);
    store.write(SIGNED_IN, BUILD_PORT);
    paintView(target.element, store.read()!.view!);
    const svg = target.element.querySelector('svg');
    expect(svg?.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg?.firstElementChild?.namespaceURI).toBe('http://www.w3.org/2000/svg');
  });
});
