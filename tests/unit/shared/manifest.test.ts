// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { HOSTS } from '../../../contract/catalogue';
import { chromiumManifest } from '../../../scripts/manifest';

describe('the built manifest', () => {
  it("takes its host lists from the catalogue: every host of the world, the content script on the products'", () => {
    const manifest = chromiumManifest();
    expect(manifest.host_permissions).toEqual([
      `http://${HOSTS.login}/*`,
      `http://${HOSTS.console}/*`,
      `http://${HOSTS.segment}/*`,
      `http://${HOSTS.sendgrid}/*`,
    ]);
    expect(manifest.content_scripts.map((script) => script.matches)).toEqual([
      [`http://${HOSTS.console}/*`, `http://${HOSTS.segment}/*`, `http://${HOSTS.sendgrid}/*`],
    ]);
  });
});
