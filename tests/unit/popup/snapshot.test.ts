import { describe, expect, it } from 'vitest';
import { createPopupModel } from '../../../src/popup/model';
import { createSnapshotStore } from '../../../src/popup/snapshot';
import { DAN, fakeBackground, SIGNED_IN } from './fixtures';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('popup snapshot', () => {
  it('paints the last signed-in view before the background answers', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN);
    let answer: (state: typeof SIGNED_IN) => void = () => undefined;
    const background = fakeBackground({
      getState: () => new Promise((resolve) => (answer = resolve)),
      refreshProducts: () => SIGNED_IN,
    });
    const model = createPopupModel(background.send, createSnapshotStore(storage));
    const loading = model.load();
    expect(model.status.value).toBe('signed_in');
    expect(model.me.value).toEqual(DAN);
    expect(model.busy.value).toBe('refreshing');
    answer(SIGNED_IN);
    await loading;
    expect(model.busy.value).toBeNull();
  });

  it('is replaced by signed out when the background says the session ended, and forgotten', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN);
    const model = createPopupModel(
      fakeBackground({ getState: () => ({ status: 'signed_out' }) }).send,
      createSnapshotStore(storage),
    );
    await model.load();
    expect(model.status.value).toBe('signed_out');
    expect(model.me.value).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('ignores a corrupt or tampered snapshot and waits for the background', () => {
    for (const bad of ['{not json', JSON.stringify({ status: 'signed_in', me: { name: 1 } }), 'null']) {
      const store = createSnapshotStore(memoryStorage({ 'uls:popup-snapshot:v1': bad }));
      expect(store.read()).toBeUndefined();
    }
  });

  it('keeps no tokens: only what the popup shows is stored', () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN);
    expect(JSON.parse(storage.items.get('uls:popup-snapshot:v1')!)).toEqual(SIGNED_IN);
  });
});
