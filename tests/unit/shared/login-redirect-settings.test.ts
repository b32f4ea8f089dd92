// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { AUTO_CONTINUE_KEY, loadAutoContinue, saveAutoContinue } from '../../../src/shared/login-redirect-settings';
import { createMemoryStorageArea } from '../support/fakes';

describe('"Continue to the Twilio login automatically"', () => {
  it('is on when nothing is stored', async () => {
    expect(await loadAutoContinue(createMemoryStorageArea())).toBe(true);
  });

  it('is off only when off was saved, and on again once on is saved', async () => {
    const area = createMemoryStorageArea();
    await saveAutoContinue(area, false);
    expect(area.data.get(AUTO_CONTINUE_KEY)).toBe(false);
    expect(await loadAutoContinue(area)).toBe(false);
    await saveAutoContinue(area, true);
    expect(area.data.get(AUTO_CONTINUE_KEY)).toBe(true);
    expect(await loadAutoContinue(area)).toBe(true);
  });

  it.each([['false'], [0], [null], ['off'], [{}]])('is on when a corrupt value (%j) is stored', async (value) => {
    const area = createMemoryStorageArea();
    await area.set({ [AUTO_CONTINUE_KEY]: value });
    expect(await loadAutoContinue(area)).toBe(true);
  });
});
