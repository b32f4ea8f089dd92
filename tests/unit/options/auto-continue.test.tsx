/**
 * "Continue to the Twilio login automatically" on the options page: a labelled, described checkbox that shows the
 * stored choice and saves each change at once, saying so in a status; a change the browser cannot store is not
 * shown as made.
 */
import { describe, expect, it } from 'vitest';
import { issuerFor } from '../../../contract/catalogue';
import { createOptionsModel } from '../../../src/options/model';
import { AUTO_CONTINUE_KEY } from '../../../src/shared/login-redirect-settings';
import { WORLD_PORT_KEY } from '../../../src/shared/world-settings';
import { createMemoryStorageArea } from '../support/fakes';
import { later } from '../support/later';
import { openOptionsEntry, useOptionsEntry } from '../support/options-entry';

const LABEL = 'Continue to the Twilio login automatically';
const HINT =
  'When an email you type signs in with your Twilio login, a notice offers to continue there and does so after a ' +
  'short countdown. When this is off, the notice waits for you to choose Continue.';
const SAVED_OFF = 'Saved. The notice now waits for you to choose Continue, on pages already open too.';
const SAVED_ON = 'Saved. The notice now continues to the Twilio login after its countdown, on pages already open too.';
const NOT_SAVED = 'Not saved: the browser could not store the setting. Try again.';
const UNREAD =
  'Sorry, this setting could not be read from the browser’s storage, so the default is shown. You can still change it.';

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const text = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').trim();

/** The options page's real entry, on a `chrome` stand-in whose `storage.local` is `area`. */
async function openOptionsPage(area = createMemoryStorageArea()) {
  const app = await openOptionsEntry(area);
  const checkbox = app.querySelector<HTMLInputElement>('#auto-continue')!;
  return {
    area,
    app,
    checkbox,
    status: () => text(app.querySelector('#auto-continue-status')),
    async toggle() {
      checkbox.click();
      await settle();
    },
  };
}

useOptionsEntry();

describe('"Continue to the Twilio login automatically" on the options page', () => {
  it('is a checkbox, on by default, named by its label and described by what it does', async () => {
    const page = await openOptionsPage();
    expect(page.checkbox.type).toBe('checkbox');
    expect(page.checkbox.checked).toBe(true);
    expect(text(page.app.querySelector(`label[for="${page.checkbox.id}"]`))).toBe(LABEL);
    const described = page.checkbox.getAttribute('aria-describedby')!.split(' ');
    expect(described.map((id) => text(document.getElementById(id)))).toEqual([HINT]);
    expect(page.app.querySelector('#auto-continue-status')?.getAttribute('role')).toBe('status');
  });

  it('shows the stored choice', async () => {
    const area = createMemoryStorageArea();
    await area.set({ [AUTO_CONTINUE_KEY]: false });
    const page = await openOptionsPage(area);
    expect(page.checkbox.checked).toBe(false);
  });

  it('saves each change at once and says so, without touching the port', async () => {
    const page = await openOptionsPage();
    await page.toggle();
    expect(page.checkbox.checked).toBe(false);
    expect(page.area.data.get(AUTO_CONTINUE_KEY)).toBe(false);
    expect(page.status()).toBe(SAVED_OFF);
    await page.toggle();
    expect(page.area.data.get(AUTO_CONTINUE_KEY)).toBe(true);
    expect(page.status()).toBe(SAVED_ON);
    expect(page.area.data.has(WORLD_PORT_KEY)).toBe(false);
    expect(page.app.querySelector('.saved')?.textContent).toBe('');
  });

  it('shows the default with a polite notice when storage cannot be read, and still saves a change', async () => {
    const area = createMemoryStorageArea();
    const get = area.get;
    area.get = () => Promise.reject(new Error('IO error: .../Local Extension Settings: Corruption'));
    const page = await openOptionsPage(area);
    area.get = get;
    expect(page.checkbox.checked).toBe(true);
    expect(text(page.app.querySelector('#auto-continue-unread'))).toBe(UNREAD);
    expect(page.checkbox.getAttribute('aria-describedby')).toBe('auto-continue-unread auto-continue-hint');
    await page.toggle();
    expect(page.area.data.get(AUTO_CONTINUE_KEY)).toBe(false);
    expect(page.app.querySelector('#auto-continue-unread')).toBeNull();
    expect(page.checkbox.getAttribute('aria-describedby')).toBe('auto-continue-hint');
  });

  it('goes back to the stored choice and says "Not saved" when the browser cannot store the change', async () => {
    const page = await openOptionsPage();
    page.area.set = () => Promise.reject(new Error('QUOTA_BYTES quota exceeded'));
    await page.toggle();
    expect(page.checkbox.checked).toBe(true);
    expect(page.area.data.has(AUTO_CONTINUE_KEY)).toBe(false);
    expect(page.status()).toBe(NOT_SAVED);
  });
});

describe('"Continue to the Twilio login automatically" in the options model', () => {
  function model(area = createMemoryStorageArea()) {
    return createOptionsModel(
      {
        area,
        builtInPort: 8787,
        testConnection: async (port) => ({ ok: true, issuer: issuerFor(port) }),
        requestHostPermissions: async () => true,
      },
      8787,
    );
  }

  it('says "Saving…" until the browser has stored the change', async () => {
    const area = createMemoryStorageArea();
    const stored = later<void>();
    const set = area.set;
    area.set = async (items) => {
      await stored.promise;
      return set(items);
    };
    const options = model(area);
    const saving = options.setAutoContinue(false);
    expect(options.autoContinue.value).toBe(false);
    expect(options.autoContinueStatus.value).toBe('Saving…');
    stored.answer();
    await saving;
    expect(options.autoContinueStatus.value).toBe(SAVED_OFF);
  });

  it('shows only the newest change’s outcome, and keeps what the browser stored last when that one fails', async () => {
    const area = createMemoryStorageArea();
    const writes: ReturnType<typeof later<void>>[] = [];
    const set = area.set;
    area.set = async (items) => {
      const write = later<void>();
      writes.push(write);
      await write.promise;
      return set(items);
    };
    const options = model(area);
    const off = options.setAutoContinue(false);
    const on = options.setAutoContinue(true);
    writes[0]!.answer();
    await off;
    expect(options.autoContinueStatus.value).toBe('Saving…');
    writes[1]!.fail(new Error('QUOTA_BYTES quota exceeded'));
    await on;
    expect(area.data.get(AUTO_CONTINUE_KEY)).toBe(false);
    expect(options.autoContinue.value).toBe(false);
    expect(options.autoContinueStatus.value).toBe(NOT_SAVED);
  });
});
