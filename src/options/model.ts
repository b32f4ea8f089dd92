/**
 * The options page's state as signals: the port being edited, its validation, "Test connection" and "Save"; and
 * "Continue to the Twilio login automatically", saved as soon as it changes. Browser APIs come in as dependencies
 * so tests drive the model without a browser.
 */
import { signal } from '@preact/signals';
import { saveAutoContinue } from '../shared/login-redirect-settings';
import { parsePort, type SettingsArea, saveWorldPort } from '../shared/world-settings';
import type { ConnectionResult } from './connection';

export type Check = { state: 'idle' } | { state: 'checking' } | { state: 'done'; result: ConnectionResult };

export interface OptionsDeps {
  area: SettingsArea;
  /** The built-in port, offered as the default. */
  builtInPort: number;
  testConnection: (port: number) => Promise<ConnectionResult>;
  /**
   * Asks for the world's hosts (match patterns carry no port, so a port change needs nothing new; Firefox lets a
   * person withhold host permissions, so they are asked for again here; hosts already granted resolve true at
   * once). Resolves false if refused. Called before `save` awaits anything: Firefox allows the request only
   * while the person's click is being handled, and rejects it after an await.
   */
  requestHostPermissions: () => Promise<boolean>;
}

const NOT_STORED = 'Not saved: the browser could not store the setting. Try again.';

/**
 * `unread`: the saved settings could not be read, so `currentPort` is the built-in one and `autoContinue` the
 * default (on).
 */
export function createOptionsModel(
  deps: OptionsDeps,
  currentPort: number,
  { unread = false, autoContinue: savedAutoContinue = true } = {},
) {
  const input = signal(String(currentPort));
  const saved = signal(currentPort);
  /** The saved port could not be read (`currentPort` is the built-in one), until a Save stores one again. */
  const unreadSaved = signal(unread);
  /** The validation message for `input`, shown once the person tries to use it. */
  const invalid = signal<string | null>(null);
  const check = signal<Check>({ state: 'idle' });
  const status = signal<string | null>(null);
  /** A Save is under way (the browser's prompt may be open): another press would ask and write again. */
  const saving = signal(false);
  /** The newest "Test connection": an older one's answer (another port, an earlier press) is not shown. */
  let asked = 0;
  /** The checkbox as shown; back to `storedAutoContinue` when storing a change fails. */
  const autoContinue = signal(savedAutoContinue);
  let storedAutoContinue = savedAutoContinue;
  const autoContinueUnread = signal(unread);
  const autoContinueStatus = signal<string | null>(null);
  /** The newest change of the checkbox: only its outcome is shown. */
  let changes = 0;

  function validPort(): number | undefined {
    const parsed = parsePort(input.value);
    invalid.value = parsed.ok ? null : parsed.message;
    return parsed.ok ? parsed.port : undefined;
  }

  return {
    input,
    saved,
    invalid,
    check,
    status,
    saving,
    unread: unreadSaved,
    builtInPort: deps.builtInPort,
    autoContinue,
    autoContinueUnread,
    autoContinueStatus,

    edit(value: string) {
      input.value = value;
      asked += 1;
      check.value = { state: 'idle' };
      status.value = null;
      if (invalid.value !== null) validPort();
    },

    async testConnection() {
      if (check.value.state === 'checking') return;
      const port = validPort();
      if (port === undefined) return;
      const mine = ++asked;
      check.value = { state: 'checking' };
      const result = await deps.testConnection(port);
      if (mine === asked) check.value = { state: 'done', result };
    },

    async save() {
      if (saving.value) return;
      const port = validPort();
      if (port === undefined) return;
      saving.value = true;
      status.value = null;
      try {
        let granted: boolean;
        try {
          granted = await deps.requestHostPermissions();
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          status.value = `Not saved: the browser did not allow access to the world’s sites: ${why}`;
          return;
        }
        if (!granted) {
          status.value = 'Not saved: the extension needs access to the world’s sites to sign in and show the switcher.';
          return;
        }
        try {
          await saveWorldPort(deps.area, port);
        } catch {
          status.value = NOT_STORED;
          return;
        }
        saved.value = port;
        unreadSaved.value = false;
        status.value = `Saved. The extension now uses the world on port ${port}; sign in again from the toolbar.`;
      } finally {
        saving.value = false;
      }
    },

    useBuiltIn() {
      this.edit(String(deps.builtInPort));
    },

    /** Saved on each change, like a switch: it asks for no permission and signs nobody out. */
    async setAutoContinue(on: boolean) {
      autoContinue.value = on;
      const mine = ++changes;
      autoContinueStatus.value = 'Saving…';
      try {
        await saveAutoContinue(deps.area, on);
      } catch {
        if (mine !== changes) return;
        autoContinue.value = storedAutoContinue;
        autoContinueStatus.value = NOT_STORED;
        return;
      }
      storedAutoContinue = on;
      if (mine !== changes) return;
      autoContinueUnread.value = false;
      autoContinueStatus.value = on
        ? 'Saved. The notice now continues to the Twilio login after its countdown, on pages already open too.'
        : 'Saved. The notice now waits for you to choose Continue, on pages already open too.';
    },
  };
}

export type OptionsModel = ReturnType<typeof createOptionsModel>;
