/**
 * The Firefox variant of the extension's manifest, derived from the Chromium one so both builds come from one
 * source. Firefox has no extension service workers (MV3 there runs `background.scripts` in an event page), does
 * not read Chromium's public `key`, and takes its fixed add-on id from `browser_specific_settings.gecko`.
 */
import { FIREFOX_ADDON_ID } from '../contract/catalogue.ts';

/** Oldest Firefox taking `data_collection_permissions` (140 desktop, 142 Android); `MessageSender.origin` came in 126. */
export const FIREFOX_MIN_VERSION = '142.0';

export interface ChromiumManifest {
  key?: string;
  minimum_chrome_version?: string;
  background?: { service_worker: string; type?: string };
  [field: string]: unknown;
}

export function firefoxManifest(manifest: ChromiumManifest): Record<string, unknown> {
  const { key: _key, minimum_chrome_version: _minimum, background, ...rest } = manifest;
  return {
    ...rest,
    ...(background ? { background: { scripts: [background.service_worker], type: background.type ?? 'module' } } : {}),
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ADDON_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        // Nothing leaves the browser except to the world the tester runs (Firefox's built-in consent, 140+).
        data_collection_permissions: { required: ['none'] },
      },
    },
  };
}
