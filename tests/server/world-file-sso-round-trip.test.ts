/**
 * An organization's SSO connection as the Console takes it, exported and imported again: whatever IdP settings the
 * Console accepts (metadata with several signing certificates, an SSO URL, a certificate) export as a world file
 * that `--world` takes back as the same world; what the file could not hold is refused in the Console itself.
 */
import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { createWorld } from '../../mock-server/app';
import { freePort } from '../../mock-server/net';
import { certificateBody, certificatePem, createSigningIdentity } from '../../mock-server/saml/certificates';
import { DEMO_IDS } from '../../mock-server/seed';
import { checkWorldFile } from '../../mock-server/world-file/check';
import { exportWorld } from '../../mock-server/world-file/export';
import { csrfTokenIn } from '../../scripts/lib/headless-browser';
import { acmeConsoleUser, expectInlineRefusal } from './organization-page';
import { worldForFile } from './world';
import { demoWith, OTHER_IDP } from './world-files';

const world = await worldForFile();
// These admins have Twilio passwords: SSO is not enforced while they sign in to the Console.
world.sso.connections.configure(DEMO_IDS.acme, { enforced: false, allowIdpInitiated: false });

async function adminConsole() {
  const { browser } = await acmeConsoleUser(world, 'admin', 'sso-round-trip');
  const html = await (await browser.request(`${world.urls.console}/organization`)).text();
  const connect = (form: Record<string, string>) =>
    browser.request(`${world.urls.console}/organization/sso/idp`, { form: { csrf: csrfTokenIn(html), ...form } });
  return { connect };
}

/** IdP metadata as an IdP rolling its key publishes it: one signing KeyDescriptor per certificate. */
function metadataWith(certificatePems: readonly string[]): string {
  const keys = certificatePems.map(
    (pem) =>
      `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${certificateBody(pem)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${OTHER_IDP.entityId}">
<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys.join('')}
<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${OTHER_IDP.ssoUrl}"/>
</md:IDPSSODescriptor></md:EntityDescriptor>`;
}

const certificates = await Promise.all([1, 2, 3, 4, 5].map((n) => createSigningIdentity(`idp${n}.globex.test`)));
const pems = certificates.map((identity) => identity.certificatePem);

/** A valid self-signed certificate whose stored PEM is `pemLength` long, give or take a few characters. */
function certificateOfLength(pemLength: number): string {
  const keys = forge.pki.privateKeyFromPem(certificates[0]!.privateKeyPem) as forge.pki.rsa.PrivateKey;
  const withPadding = (padding: number) => {
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.setRsaPublicKey(keys.n, keys.e);
    certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
    certificate.validity.notBefore = new Date(Date.now() - 60_000);
    certificate.validity.notAfter = new Date(Date.now() + 86_400_000);
    const subject = [{ name: 'commonName', value: 'big.globex.test' }];
    certificate.setSubject(subject);
    certificate.setIssuer(subject);
    // Subject alternative names of 200 characters make up the length.
    const names = Array.from({ length: Math.ceil(padding / 200) }, (_, i) => ({
      type: 2,
      value: `${i}.${'x'.repeat(200)}`.slice(0, Math.min(200, padding - i * 200)),
    }));
    certificate.setExtensions([{ name: 'subjectAltName', altNames: names }]);
    certificate.sign(keys, forge.md.sha256.create());
    return certificatePem(certificateBody(forge.pki.certificateToPem(certificate)));
  };
  // The length grows linearly with the padding: measured at two points, then aimed.
  const [low, high] = [withPadding(0).length, withPadding(10_000).length];
  return withPadding(Math.round(((pemLength - low) * 10_000) / (high - low)));
}

/** The world file of a world, without its description (it carries the time of the export). */
const stateOf = (exported: ReturnType<typeof exportWorld>) => {
  const { description: _, ...state } = exported;
  return state;
};

/** Imports `exported` into a new world and exports that world again. */
async function importedAgain(exported: ReturnType<typeof exportWorld>) {
  const checked = checkWorldFile(JSON.parse(JSON.stringify(exported)));
  expect(checked.ok ? [] : checked.problems).toEqual([]);
  if (!checked.ok) throw new Error('unreachable');
  const again = await createWorld({ port: await freePort(), db: ':memory:', world: checked.world });
  try {
    return exportWorld(again.db, again.acme.idp);
  } finally {
    await again.close();
  }
}

describe("an organization's SSO connection, exported and imported again", () => {
  it('exports an IdP with 4 signing certificates from metadata, and that export imports as the same world', async () => {
    const { connect } = await adminConsole();
    const connected = await connect({ metadata: metadataWith(pems.slice(0, 4)) });
    expect(connected.status).toBe(303);
    expect(world.sso.connections.find(DEMO_IDS.acme)?.certificates).toHaveLength(4);
    const exported = exportWorld(world.db, world.acme.idp);
    const stored = pems.slice(0, 4).map((pem) => certificatePem(certificateBody(pem)));
    expect(exported.organizations?.[0]?.sso?.identityProvider).toEqual({ ...OTHER_IDP, certificates: stored });
    expect(stateOf(await importedAgain(exported))).toEqual(stateOf(exported));
  });

  it('refuses metadata with a 5th signing certificate in the Console: 400, the IdP connected stays', async () => {
    const { connect } = await adminConsole();
    const before = world.sso.connections.find(DEMO_IDS.acme);
    await expectInlineRefusal(await connect({ metadata: metadataWith(pems) }), {
      status: 400,
      errorId: 'idp-error',
      code: 'idp_settings_invalid',
      message: 'The metadata has more than 4 signing certificates.',
    });
    expect(world.sso.connections.find(DEMO_IDS.acme)).toEqual(before);
    expect(checkWorldFile(exportWorld(world.db, world.acme.idp))).toMatchObject({ ok: true });
  });

  it('refuses an SSO URL longer than 2048 characters once encoded in the Console, as the world file does', async () => {
    const { connect } = await adminConsole();
    const before = world.sso.connections.find(DEMO_IDS.acme);
    // 1,017 characters typed; 5,982 as the URL the world would store (each "é" is %C3%A9).
    const ssoUrl = `https://idp.globex.test/${'é'.repeat(993)}`;
    await expectInlineRefusal(await connect({ entityId: OTHER_IDP.entityId, ssoUrl, certificate: pems[0]! }), {
      status: 400,
      errorId: 'idp-error',
      code: 'idp_settings_invalid',
      message: 'The SSO URL is longer than 2048 characters.',
    });
    expect(world.sso.connections.find(DEMO_IDS.acme)).toEqual(before);
    expect(checkWorldFile(exportWorld(world.db, world.acme.idp))).toMatchObject({ ok: true });
  });

  it('refuses a signing certificate longer than 16 kB in the Console and in a world file', async () => {
    // Stored as PEM (64 characters a line, with its header) it is 16,500 characters; its bare body is shorter.
    const big = certificateOfLength(16_500);
    expect(big.length).toBeGreaterThan(16 * 1024);
    expect(certificateBody(big).length).toBeLessThan(16 * 1024);
    const { connect } = await adminConsole();
    const before = world.sso.connections.find(DEMO_IDS.acme);
    const form = { entityId: OTHER_IDP.entityId, ssoUrl: OTHER_IDP.ssoUrl, certificate: certificateBody(big) };
    await expectInlineRefusal(await connect(form), {
      status: 400,
      errorId: 'idp-error',
      code: 'idp_settings_invalid',
      message: 'The signing certificate is longer than 16 kB.',
    });
    expect(world.sso.connections.find(DEMO_IDS.acme)).toEqual(before);
    // Its bare body fits the file's 16 kB, but the PEM the world would store and export does not.
    const file = demoWith(
      (f) => (f.organizations[0].sso.identityProvider = { ...OTHER_IDP, certificates: [certificateBody(big)] }),
    );
    expect(checkWorldFile(file)).toEqual({
      ok: false,
      problems: ['organizations[0].sso.identityProvider.certificates[0]: the signing certificate is longer than 16 kB'],
    });
  });
});
