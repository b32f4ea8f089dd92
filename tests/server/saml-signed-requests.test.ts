/**
 * Twilio's AuthnRequests are signed (HTTP-Redirect binding, RSA-SHA256, by node-saml) and its SP metadata says
 * so with the signing certificate. The bundled Acme IdP and a samlify IdP both verify the signature, and refuse
 * an unsigned request, a changed one, one signed by another key, and one signed with SHA-1.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SAML } from '@node-saml/node-saml';
import * as samlify from 'samlify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSigningIdentity, type SigningIdentity } from '../../mock-server/saml/certificates';
import { NAMEID_EMAIL } from '../../mock-server/saml/names';
import { loadSpSigningIdentity } from '../../mock-server/sso/sp-signing';
import { HeadlessBrowser, idpUrlForEmail } from '../../scripts/lib/headless-browser';
import { openLogin } from './login-page';
import { acmeSp, expectRefusal, organizationWithIdp, SAM, startSpInitiated } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
const spSigning = await loadSpSigningIdentity(world.db, new URL(world.urls.login).hostname);
samlify.setSchemaValidator({ validate: async () => 'skipped' });

const bare = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/** The query of a URL exactly as sent (without `?`). */
const rawQuery = (url: URL) => url.search.slice(1);

/** The signed octets of a Redirect-binding query: SAMLRequest, RelayState (if any), SigAlg, as sent. */
const signedOctets = (url: URL) =>
  rawQuery(url)
    .split('&')
    .filter((pair) => /^(SAMLRequest|RelayState|SigAlg)=/.test(pair))
    .join('&');

/** The URL's SAMLRequest with another request ID: what someone changing a signed request would send. */
function changedRequest(url: URL): string {
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString();
  return deflateRawSync(xml.replace(/ID="[^"]+"/, 'ID="_changed_by_someone"')).toString('base64');
}

/** An AuthnRequest for Acme's SP signed by `signing` (node-saml, as another SP would make it) with `algorithm`. */
async function requestSignedBy(signing: SigningIdentity, algorithm: 'sha256' | 'sha1'): Promise<URL> {
  const sp = acmeSp(world);
  const saml = new SAML({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    entryPoint: `${world.urls.acme}/saml/sso`,
    idpCert: world.acme.idp.certificatePem,
    privateKey: signing.privateKeyPem,
    signatureAlgorithm: algorithm,
    identifierFormat: NAMEID_EMAIL,
    disableRequestedAuthnContext: true,
  });
  return new URL(await saml.getAuthorizeUrlAsync('', undefined, {}));
}

describe('signed AuthnRequests', () => {
  it('publishes AuthnRequestsSigned="true" and the SP signing certificate in the SP metadata', async () => {
    const xml = await (await new HeadlessBrowser().request(acmeSp(world).metadataUrl)).text();
    expect(xml).toContain('AuthnRequestsSigned="true"');
    expect(xml).toMatch(/<KeyDescriptor use="signing">[\s\S]*?<ds:X509Certificate>([^<]+)<\/ds:X509Certificate>/);
    const published = /<KeyDescriptor use="signing">[\s\S]*?<ds:X509Certificate>([^<]+)</.exec(xml)?.[1];
    expect(bare(published ?? '')).toBe(bare(spSigning.certificatePem));
  });

  it('signs the Redirect-binding AuthnRequest with RSA-SHA256, and the Acme IdP accepts it', async () => {
    const { idpUrl, login } = await startSpInitiated(world, SAM.email);
    expect(idpUrl.searchParams.get('SigAlg')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(idpUrl.searchParams.get('Signature')).toMatch(/^[A-Za-z0-9+/]{300,}={0,2}$/);
    const atAcme = await login.browser.request(idpUrl);
    expect(atAcme.status).toBe(200);
    expect(await atAcme.text()).toContain('value="sam@acme.test"');
    expect(world.acme.idp.metadata()).toContain('WantAuthnRequestsSigned="true"');
  });

  it('is refused by the Acme IdP unsigned, changed, signed by another key, or signed with SHA-1 (400)', async () => {
    const { idpUrl } = await startSpInitiated(world, SAM.email);
    const unsigned = new URL(idpUrl);
    unsigned.searchParams.delete('Signature');
    unsigned.searchParams.delete('SigAlg');

    const changed = new URL(idpUrl);
    changed.searchParams.set('SAMLRequest', changedRequest(idpUrl));

    const twice = new URL(idpUrl);
    twice.searchParams.append('Signature', idpUrl.searchParams.get('Signature')!);

    const cases: [URL, string][] = [
      [unsigned, 'The sign-in request is not signed: Acme accepts only signed AuthnRequests.'],
      [twice, 'The sign-in request is not signed: Acme accepts only signed AuthnRequests.'],
      [changed, 'The sign-in request’s signature is not the app’s.'],
      [
        await requestSignedBy(await createSigningIdentity('someone.else.example'), 'sha256'),
        'The sign-in request’s signature is not the app’s.',
      ],
      [
        await requestSignedBy(spSigning, 'sha1'),
        'The sign-in request is signed with an algorithm Acme does not accept (only RSA-SHA256).',
      ],
    ];
    for (const [url, message] of cases) {
      const body = await expectRefusal(await new HeadlessBrowser().request(url), 400, 'saml_signature_invalid');
      expect(body).toContain(message);
    }
  });
});

const hooliSigning = await createSigningIdentity('idp.hooli.example');

describe('a samlify IdP that wants signed AuthnRequests (Hooli)', () => {
  const hooliIdp = samlify.IdentityProvider({
    entityID: 'https://idp.hooli.example/metadata',
    privateKey: hooliSigning.privateKeyPem,
    signingCert: hooliSigning.certificatePem,
    nameIDFormat: [NAMEID_EMAIL],
    singleSignOnService: [
      { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: 'https://idp.hooli.example/sso' },
    ],
    wantAuthnRequestsSigned: true,
  });
  let sp: ReturnType<typeof samlify.ServiceProvider>;
  let idpUrl: URL;

  beforeAll(async () => {
    const hooli = await organizationWithIdp(world, {
      name: 'Hooli',
      domain: 'hooli.test',
      email: 'gavin@hooli.test',
      idpMetadata: hooliIdp.getMetadata(),
    });
    sp = samlify.ServiceProvider({ metadata: hooli.spMetadata });
    const login = await openLogin(world);
    idpUrl = await idpUrlForEmail(login.browser, login.interactionUrl, login.csrf, 'gavin@hooli.test');
  });

  it('verifies the signature of Twilio’s AuthnRequest against the certificate in Twilio’s SP metadata', async () => {
    const { extract, sigAlg } = await hooliIdp.parseLoginRequest(sp, 'redirect', {
      query: Object.fromEntries(idpUrl.searchParams),
      octetString: signedOctets(idpUrl),
    });
    expect(sigAlg).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(extract.issuer).toBe(sp.entityMeta.getEntityID());
  });

  it('refuses it once changed, and unsigned', async () => {
    const changedOctets = signedOctets(idpUrl).replace(
      /^SAMLRequest=[^&]+/,
      `SAMLRequest=${encodeURIComponent(changedRequest(idpUrl))}`,
    );
    await expect(
      hooliIdp.parseLoginRequest(sp, 'redirect', {
        query: Object.fromEntries(idpUrl.searchParams),
        octetString: changedOctets,
      }),
    ).rejects.toThrow('ERR_FAILED_MESSAGE_SIGNATURE_VERIFICATION');
    const { Signature: _signature, SigAlg: _sigAlg, ...unsigned } = Object.fromEntries(idpUrl.searchParams);
    await expect(
      hooliIdp.parseLoginRequest(sp, 'redirect', { query: unsigned, octetString: rawQuery(idpUrl) }),
    ).rejects.toThrow('ERR_MISSING_SIG_ALG');
  });
});
