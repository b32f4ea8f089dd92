// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../contract/catalogue';
import { testConnection } from '../../../src/options/connection';
import { createOptionsModel } from '../../../src/options/model';
import { BUILD_PORT } from '../../../src/shared/config';
import { loadWorldPort, parsePort, WORLD_PORT_KEY } from '../../../src/shared/world-settings';
import { createFakeFetch, createMemoryStorageArea, json } from '../support/fakes';

describe('the world port setting', () => {
  it('accepts 1–65535 written in digits and names what is wrong otherwise', () => {
    expect(parsePort(' 9000 ')).toEqual({ ok: true, port: 9000 });
    expect(parsePort('1')).toEqual({ ok: true, port: 1 });
    expect(parsePort('65535')).toEqual({ ok: true, port: 65535 });
    expect(parsePort('80')).toEqual({ ok: true, port: 80 });
    const digitsOnly = { ok: false, message: 'The port is a whole number, digits only.' };
    for (const bad of ['80a', '-1', '8.5', '0x1F', '1e3', '123456']) expect(parsePort(bad), bad).toEqual(digitsOnly);
    const range = { ok: false, message: 'The port is between 1 and 65535.' };
    expect(parsePort('0')).toEqual(range);
    expect(parsePort('65536')).toEqual(range);
    expect(parsePort('')).toEqual({ ok: false, message: 'Enter the port the mock world listens on, e.g. 8787.' });
  });

  it('loads the stored port, or the built-in one when none or a corrupt one is stored', async () => {
    const area = createMemoryStorageArea();
    expect(await loadWorldPort(area)).toBe(BUILD_PORT);
    await area.set({ [WORLD_PORT_KEY]: 'x' });
    expect(await loadWorldPort(area)).toBe(BUILD_PORT);
    await area.set({ [WORLD_PORT_KEY]: 9000 });
    expect(await loadWorldPort(area)).toBe(9000);
  });
});

describe('Test connection', () => {
  it("is ok only when the port's discovery document names that port's issuer", async () => {
    const ok = createFakeFetch({
      [`GET ${issuerFor(9000)}/.well-known/openid-configuration`]: () => json({ issuer: issuerFor(9000) }),
    });
    expect(await testConnection(9000, ok.fetch)).toEqual({ ok: true, issuer: issuerFor(9000) });

    const other = createFakeFetch({
      [`GET ${issuerFor(9000)}/.well-known/openid-configuration`]: () => json({ issuer: 'http://elsewhere' }),
    });
    expect(await testConnection(9000, other.fetch)).toEqual({
      ok: false,
      message: "The server on port 9000 is not this world's Twilio login (it names http://elsewhere).",
    });
    expect(await testConnection(9000, createFakeFetch({}).fetch)).toEqual({
      ok: false,
      message: `${issuerFor(9000)} answered HTTP 404, not the Twilio login.`,
    });
    const down: typeof fetch = () => Promise.reject(new TypeError('connection refused'));
    expect(await testConnection(9000, down)).toEqual({
      ok: false,
      message: `Nothing answers at ${issuerFor(9000)}. Is the mock world running on port 9000?`,
    });
  });
});

describe('options model', () => {
  function model(requestHostPermissions: () => Promise<boolean> = async () => true) {
    const area = createMemoryStorageArea();
    const tested: number[] = [];
    const options = createOptionsModel(
      {
        area,
        builtInPort: 8787,
        testConnection: async (port) => {
          tested.push(port);
          return { ok: true, issuer: issuerFor(port) };
        },
        requestHostPermissions,
      },
      8787,
    );
    return { area, tested, options };
  }

  it('saves a valid port and says so', async () => {
    const { area, options } = model();
    options.edit('9000');
    await options.save();
    expect(area.data.get(WORLD_PORT_KEY)).toBe(9000);
    expect(options.saved.value).toBe(9000);
    expect(options.status.value).toBe(
      'Saved. The extension now uses the world on port 9000; sign in again from the toolbar.',
    );
  });

  it('neither saves nor tests an invalid port, and shows why', async () => {
    const { area, tested, options } = model();
    options.edit('nope');
    await options.save();
    await options.testConnection();
    expect(area.data.has(WORLD_PORT_KEY)).toBe(false);
    expect(tested).toEqual([]);
    expect(options.invalid.value).toBe('The port is a whole number, digits only.');
    options.edit('9001');
    expect(options.invalid.value).toBeNull();
  });

  it('saves port 80, whose sites have no port in their origins', async () => {
    const { area, options } = model();
    options.edit('80');
    await options.save();
    expect(options.invalid.value).toBeNull();
    expect(area.data.get(WORLD_PORT_KEY)).toBe(80);
    expect(issuerFor(80)).toBe(new URL('http://login.twilio.localhost:80/').origin);
  });

  it('asks for the host permissions before it awaits anything, while the Save click is still being handled', () => {
    let asked = 0;
    const { options } = model(async () => {
      asked += 1;
      return true;
    });
    options.edit('9000');
    void options.save();
    expect(asked).toBe(1);
  });

  it('does not save when the host permissions are refused', async () => {
    const { area, options } = model(async () => false);
    options.edit('9000');
    await options.save();
    expect(area.data.has(WORLD_PORT_KEY)).toBe(false);
    expect(options.saved.value).toBe(8787);
    expect(options.status.value).toBe(
      'Not saved: the extension needs access to the world’s sites to sign in and show the switcher.',
    );
  });

  it('says why and keeps the typed port when the browser rejects the permission request', async () => {
    const { area, options } = model(async () => {
      throw new Error('permissions.request may only be called from a user input handler');
    });
    options.edit('9000');
    await options.save();
    expect(area.data.has(WORLD_PORT_KEY)).toBe(false);
    expect(options.saved.value).toBe(8787);
    expect(options.input.value).toBe('9000');
    expect(options.status.value).toBe(
      'Not saved: the browser did not allow access to the world’s sites: ' +
        'permissions.request may only be called from a user input handler',
    );
  });

  it('tests the typed port and offers the built-in one', async () => {
    const { tested, options } = model();
    options.edit('9100');
    await options.testConnection();
    expect(tested).toEqual([9100]);
    expect(options.check.value).toEqual({ state: 'done', result: { ok: true, issuer: issuerFor(9100) } });
    options.useBuiltIn();
    expect(options.input.value).toBe('8787');
    expect(options.check.value).toEqual({ state: 'idle' });
  });
});
