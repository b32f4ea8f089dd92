/**
 * The options page's real entry (src/options/main) rendered into a fresh `#app`, on a `chrome` stand-in whose
 * `storage.local` is `area` and whose manifest names the login host. Each test file imports the entry anew:
 * `useOptionsEntry()` resets the modules before and removes the stand-in and the page after each test.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import type { SettingsArea } from '../../../src/shared/world-settings';

export interface PermissionsStandIn {
  contains: () => Promise<boolean>;
  request: () => Promise<boolean>;
}

const GRANTED: PermissionsStandIn = { contains: async () => true, request: async () => true };

export async function openOptionsEntry(area: SettingsArea, permissions: PermissionsStandIn = GRANTED) {
  vi.stubGlobal('chrome', {
    runtime: { getManifest: () => ({ host_permissions: ['http://login.twilio.localhost/*'] }) },
    storage: { local: area },
    permissions,
  });
  const app = document.createElement('div');
  app.id = 'app';
  document.body.append(app);
  await import('../../../src/options/main');
  return app;
}

export function useOptionsEntry(): void {
  beforeEach(() => {
    vi.resetModules();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.replaceChildren();
  });
}
