import { describe, expect, it } from 'vitest';
import { WORLD_PORT_KEY } from '../../../src/shared/world-settings';
import { createMemoryStorageArea } from '../support/fakes';
import { openOptionsEntry, useOptionsEntry } from '../support/options-entry';

const NOT_IN_CLICK = 'permissions.request may only be called from a user input handler';

/**
 * The options page's entry on a `chrome` stand-in whose host permissions are withheld and whose
 * `permissions.request` works as Firefox's does: only while a click is being handled, rejected after an await.
 */
async function openOptionsPage(request: () => Promise<boolean> = async () => true) {
  const area = createMemoryStorageArea();
  let clicking = false;
  const app = await openOptionsEntry(area, {
    contains: async () => false,
    request: () => (clicking ? request() : Promise.reject(new Error(NOT_IN_CLICK))),
  });
  const input = app.querySelector<HTMLInputElement>('#port')!;
  return {
    area,
    app,
    type(value: string) {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    async save() {
      const button = [...app.querySelectorAll('button')].find((b) => b.textContent === 'Save')!;
      clicking = true;
      button.click();
      clicking = false;
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
    input,
    status: () => app.querySelector('.saved')?.textContent,
  };
}

useOptionsEntry();

describe('the options page', () => {
  it('asks for the hosts within the Save click, so a browser that withheld them can grant them, and saves', async () => {
    const page = await openOptionsPage();
    page.type('9000');
    await page.save();
    expect(page.status()).toBe('Saved. The extension now uses the world on port 9000; sign in again from the toolbar.');
    expect(page.area.data.get(WORLD_PORT_KEY)).toBe(9000);
  });

  it('says why it did not save when the browser rejects the request, and keeps the typed port', async () => {
    const page = await openOptionsPage(() => Promise.reject(new Error('The user dismissed the prompt')));
    page.type('9000');
    await page.save();
    expect(page.status()).toBe(
      'Not saved: the browser did not allow access to the world’s sites: The user dismissed the prompt',
    );
    expect(page.input.value).toBe('9000');
    expect(page.area.data.has(WORLD_PORT_KEY)).toBe(false);
  });

  it('shows the sites of port 80 as the browser names them and saves it', async () => {
    const page = await openOptionsPage();
    page.type('80');
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect([...page.app.querySelectorAll('.origins dd')].map((dd) => dd.textContent)).toEqual([
      'http://login.twilio.localhost',
      'http://console.twilio.localhost',
      'http://app.segment.localhost',
      'http://app.sendgrid.localhost',
    ]);
    await page.save();
    expect(page.area.data.get(WORLD_PORT_KEY)).toBe(80);
  });
});
