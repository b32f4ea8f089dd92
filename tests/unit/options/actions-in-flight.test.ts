// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../contract/catalogue';
import type { ConnectionResult } from '../../../src/options/connection';
import { createOptionsModel } from '../../../src/options/model';
import { WORLD_PORT_KEY } from '../../../src/shared/world-settings';
import { createMemoryStorageArea } from '../support/fakes';
import { later } from '../support/later';

const nothingAt = (port: number): ConnectionResult => ({
  ok: false,
  message: `Nothing answers at ${issuerFor(port)}. Is the mock world running on port ${port}?`,
});

describe('"Test connection" while one is under way', () => {
  it('shows no answer for the port the person has since changed', async () => {
    const answers = new Map<number, ReturnType<typeof later<ConnectionResult>>>();
    const options = createOptionsModel(
      {
        area: createMemoryStorageArea(),
        builtInPort: 8787,
        testConnection: (port) => {
          answers.set(port, later());
          return answers.get(port)!.promise;
        },
        requestHostPermissions: async () => true,
      },
      8787,
    );
    options.edit('9000');
    const first = options.testConnection();
    options.edit('9001');
    expect(options.check.value).toEqual({ state: 'idle' });
    answers.get(9000)!.answer(nothingAt(9000));
    await first;
    expect(options.check.value).toEqual({ state: 'idle' });

    const second = options.testConnection();
    answers.get(9001)!.answer({ ok: true, issuer: issuerFor(9001) });
    await second;
    expect(options.check.value).toEqual({ state: 'done', result: { ok: true, issuer: issuerFor(9001) } });
  });

  it('asks once for a second press before the answer', async () => {
    const tested: number[] = [];
    const answer = later<ConnectionResult>();
    const options = createOptionsModel(
      {
        area: createMemoryStorageArea(),
        builtInPort: 8787,
        testConnection: (port) => {
          tested.push(port);
          return answer.promise;
        },
        requestHostPermissions: async () => true,
      },
      9000,
    );
    const first = options.testConnection();
    const second = options.testConnection();
    expect(tested).toEqual([9000]);
    answer.answer(nothingAt(9000));
    await Promise.all([first, second]);
    expect(options.check.value).toEqual({ state: 'done', result: nothingAt(9000) });
  });
});

describe('Save while one is under way', () => {
  it('asks the browser once and says "Saving…" until it answers', async () => {
    const prompt = later<boolean>();
    let asked = 0;
    const area = createMemoryStorageArea();
    const options = createOptionsModel(
      {
        area,
        builtInPort: 8787,
        testConnection: async (port) => nothingAt(port),
        requestHostPermissions: () => {
          asked += 1;
          return prompt.promise;
        },
      },
      8787,
    );
    options.edit('9000');
    const first = options.save();
    expect(options.saving.value).toBe(true);
    const second = options.save();
    expect(asked).toBe(1);
    prompt.answer(true);
    await Promise.all([first, second]);
    expect(options.saving.value).toBe(false);
    expect(area.data.get(WORLD_PORT_KEY)).toBe(9000);
    expect(options.status.value).toBe(
      'Saved. The extension now uses the world on port 9000; sign in again from the toolbar.',
    );
  });

  it('says it did not save, and keeps the typed port, when the browser cannot store it', async () => {
    let writes = 0;
    const options = createOptionsModel(
      {
        area: {
          get: async () => ({}),
          set: () => {
            writes += 1;
            return Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
          },
        },
        builtInPort: 8787,
        testConnection: async (port) => nothingAt(port),
        requestHostPermissions: async () => true,
      },
      8787,
    );
    options.edit('9000');
    await options.save();
    expect(options.status.value).toBe('Not saved: the browser could not store the setting. Try again.');
    expect(options.saved.value).toBe(8787);
    expect(options.input.value).toBe('9000');
    expect(options.saving.value).toBe(false);
    // The next press tries again.
    await options.save();
    expect(writes).toBe(2);
    expect(options.status.value).toBe('Not saved: the browser could not store the setting. Try again.');
  });
});
