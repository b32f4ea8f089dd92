/**
 * The options page when the saved port cannot be read (the browser's storage refuses): it still opens, on the
 * built-in port, says so politely beside the field, and a Save stores a port as usual.
 */
import { describe, expect, it } from 'vitest';
import { BUILD_PORT } from '../../../src/shared/config';
import { WORLD_PORT_KEY } from '../../../src/shared/world-settings';
import { createMemoryStorageArea } from '../support/fakes';
import { openOptionsEntry, useOptionsEntry } from '../support/options-entry';

const UNREAD =
  'Sorry, the saved port could not be read from the browser’s storage, so the built-in port is shown. You can still save a port.';

async function openWithUnreadableStorage() {
  const area = createMemoryStorageArea();
  area.get = () => Promise.reject(new Error('IO error: .../Local Extension Settings: Corruption'));
  const app = await openOptionsEntry(area);
  return { area, app };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

useOptionsEntry();

describe('the options page when the saved port cannot be read', () => {
  it('opens on the built-in port and says, politely and beside the field, that the setting could not be read', async () => {
    const { app } = await openWithUnreadableStorage();
    const field = app.querySelector<HTMLInputElement>('#port');
    expect(field?.value).toBe(String(BUILD_PORT));
    const notice = app.querySelector('#port-unread');
    expect(notice?.textContent?.replace(/\s+/g, ' ')).toBe(UNREAD);
    expect(notice?.getAttribute('role')).toBe('status');
    expect(field?.getAttribute('aria-describedby')?.split(' ')).toContain('port-unread');
  });

  it('still saves, and the notice goes once a port is stored', async () => {
    const { app, area } = await openWithUnreadableStorage();
    const field = app.querySelector<HTMLInputElement>('#port')!;
    field.value = '9000';
    field.dispatchEvent(new Event('input', { bubbles: true }));
    [...app.querySelectorAll('button')].find((b) => b.textContent === 'Save')!.click();
    await settle();
    expect(area.data.get(WORLD_PORT_KEY)).toBe(9000);
    expect(app.querySelector('.saved')?.textContent).toBe(
      'Saved. The extension now uses the world on port 9000; sign in again from the toolbar.',
    );
    expect(app.querySelector('#port-unread')).toBeNull();
    expect(field.getAttribute('aria-describedby')).toBe('port-hint');
  });
});
