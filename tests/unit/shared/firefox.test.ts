// @vitest-environment node
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  EXTENSION_REDIRECT_PATH,
  EXTENSION_REDIRECT_URI,
  EXTENSION_REDIRECT_URIS,
  FIREFOX_ADDON_ID,
  FIREFOX_REDIRECT_URI,
} from '../../../contract/catalogue';
import { FIREFOX_MIN_VERSION, firefoxManifest } from '../../../scripts/firefox-manifest';
import { chromiumManifest } from '../../../scripts/manifest';

const manifest = chromiumManifest();

describe('the Firefox build', () => {
  it("registers Firefox's redirect URL: the hex SHA-1 of the add-on id under extensions.allizom.org", () => {
    // As Firefox's identity.getRedirectURL() computes it (toolkit/components/extensions/child/ext-identity.js).
    const hash = createHash('sha1').update(FIREFOX_ADDON_ID).digest('hex');
    expect(FIREFOX_REDIRECT_URI).toBe(`https://${hash}.extensions.allizom.org/${EXTENSION_REDIRECT_PATH}`);
    expect(EXTENSION_REDIRECT_URIS).toEqual([EXTENSION_REDIRECT_URI, FIREFOX_REDIRECT_URI]);
  });

  it('turns the service worker into background scripts, drops the Chromium key and adds the gecko id', () => {
    const firefox = firefoxManifest(manifest);
    expect(firefox.background).toEqual({ scripts: [manifest.background.service_worker], type: 'module' });
    expect(firefox).not.toHaveProperty('key');
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
    expect(firefox.browser_specific_settings).toEqual({
      gecko: {
        id: FIREFOX_ADDON_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
    });
    // Everything else is the Chromium manifest as it is.
    for (const field of ['permissions', 'host_permissions', 'content_scripts', 'action', 'commands', 'icons']) {
      expect(firefox[field]).toEqual(manifest[field as keyof typeof manifest]);
    }
  });
});
