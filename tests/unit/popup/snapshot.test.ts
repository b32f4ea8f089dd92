import { describe, expect, it } from 'vitest';
import { createPopupModel } from '../../../src/popup/model';
import { createSnapshotStore } from '../../../src/popup/snapshot';
import { BUILD_PORT } from '../../../src/shared/config';
import { BEN } from '../support/idp';
import { DAN, fakeBackground, memoryStorage, SIGNED_IN } from './fixtures';

/** A world whose saved port is read only when the test says so (like a slow `storage.local`). */
function slowWorld() {
  let answer: (port: number) => void = () => undefined;
  const read = new Promise<number>((resolve) => (answer = resolve));
  const used: number[] = [];
  return {
    used,
    answer: (port: number) => answer(port),
    world: {
      current: () => used.at(-1) ?? BUILD_PORT,
      use: (port: number) => void used.push(port),
      configured: () => read,
    },
  };
}

describe('popup snapshot', () => {
  it('paints the last signed-in view before the background answers', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, BUILD_PORT);
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
    createSnapshotStore(storage).write(SIGNED_IN, BUILD_PORT);
    const model = createPopupModel(
      fakeBackground({ getState: () => ({ status: 'signed_out' }) }).send,
      createSnapshotStore(storage),
    );
    await model.load();
    expect(model.status.value).toBe('signed_out');
    expect(model.me.value).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("is replaced by the background's first answer when someone else is signed in, so it is shown once at most", async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, BUILD_PORT);
    const background = fakeBackground({
      getState: () => ({ status: 'signed_in', me: BEN, products: [], fetchedAt: 2000 }),
      // The refresh from the API is still under way when the snapshot is already Ben's.
      refreshProducts: () => new Promise(() => undefined),
    });
    const model = createPopupModel(background.send, createSnapshotStore(storage));
    expect(model.paint()?.state.me.sub).toBe(DAN.sub);
    void model.confirm();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(background.sent.map((m) => m.type)).toEqual(['getState', 'refreshProducts']);
    expect(createSnapshotStore(storage).read()?.state).toEqual({
      status: 'signed_in',
      me: BEN,
      products: [],
      fetchedAt: 2000,
    });
    const next = createPopupModel(fakeBackground({}).send, createSnapshotStore(storage));
    next.paint();
    expect(next.me.value).toEqual(BEN);
  });

  it('ignores a corrupt or tampered snapshot and waits for the background', () => {
    for (const bad of [
      '{not json',
      JSON.stringify({ state: { status: 'signed_in', me: { name: 1 } }, port: BUILD_PORT }),
      JSON.stringify({ state: SIGNED_IN }),
      JSON.stringify(SIGNED_IN),
      'null',
    ]) {
      const store = createSnapshotStore(memoryStorage({ 'uls:popup-snapshot:v2': bad }));
      expect(store.read()).toBeUndefined();
    }
  });

  it('keeps no tokens: only what the popup shows is stored', () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, BUILD_PORT);
    expect(JSON.parse(storage.items.get('uls:popup-snapshot:v2')!)).toEqual({ state: SIGNED_IN, port: BUILD_PORT });
  });

  it('paints before the saved world port is read, with the links of the world the snapshot was taken in', async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, 9000);
    const slow = slowWorld();
    const background = fakeBackground({ getState: () => SIGNED_IN, refreshProducts: () => SIGNED_IN });
    const model = createPopupModel(background.send, createSnapshotStore(storage), slow.world);
    model.paint();
    expect(model.status.value).toBe('signed_in');
    expect(slow.used).toEqual([9000]);
    const confirming = model.confirm();
    // The background answered, but its state is shown only once the port is known (its links are checked).
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(background.sent.map((m) => m.type)).toEqual(['getState']);
    expect(model.busy.value).toBe('refreshing');
    slow.answer(9000);
    await confirming;
    expect(slow.used).toEqual([9000, 9000]);
    expect(model.busy.value).toBeNull();
    expect(JSON.parse(storage.items.get('uls:popup-snapshot:v2')!).port).toBe(9000);
  });

  it("drops a snapshot of another world once the saved port says so, and shows the background's answer", async () => {
    const storage = memoryStorage();
    createSnapshotStore(storage).write(SIGNED_IN, 9000);
    const slow = slowWorld();
    let answer: (state: typeof SIGNED_IN | { status: 'signed_out' }) => void = () => undefined;
    const background = fakeBackground({ getState: () => new Promise((resolve) => (answer = resolve)) });
    const model = createPopupModel(background.send, createSnapshotStore(storage), slow.world);
    model.paint();
    const confirming = model.confirm();
    slow.answer(8787);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(model.status.value).toBe('loading');
    expect(model.me.value).toBeNull();
    answer({ status: 'signed_out' });
    await confirming;
    expect(model.status.value).toBe('signed_out');
    expect(slow.used).toEqual([9000, 8787]);
    expect(storage.items.size).toBe(0);
  });
});
