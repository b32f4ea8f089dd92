/**
 * Any standards-compliant SAML 2.0 IdP can be connected, not only the bundled one: samlify plays Initech's IdP
 * (another implementation than the Acme IdP's xml-crypto code). Its metadata is read as an admin would paste
 * it, and pat signs in SP-initiated through it.
 */
import * as oidc from 'openid-client';
import * as samlify from 'samlify';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_REDIRECT_URI } from '../../contract/catalogue';
import { createSigningIdentity } from '../../mock-server/saml/certificates';
import { NAMEID_EMAIL } from '../../mock-server/saml/names';
import { settingsFromMetadata } from '../../mock-server/sso/idp-metadata';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
import { HeadlessBrowser, idpUrlForEmail } from '../../scripts/lib/headless-browser';
import { extensionAuthorization, extensionClient } from '../../scripts/lib/oidc-clients';
import { postToAcs } from '../../scripts/lib/saml-browser';
import { expectSignInPageRefusal, organizationWithIdp } from './sso';
import { worldForFile } from './world';

const world = await worldForFile();
// samlify insists on a schema validator; the SP under test validates what it receives itself.
samlify.setSchemaValidator({ validate: async () => 'skipped' });

const INITECH_IDP = 'https://idp.initech.example/metadata';
const signing = await createSigningIdentity('idp.initech.example');
const initechIdp = samlify.IdentityProvider({
  entityID: INITECH_IDP,
  privateKey: signing.privateKeyPem,
  signingCert: signing.certificatePem,
  nameIDFormat: [NAMEID_EMAIL],
  singleSignOnService: [
    { Binding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', Location: 'https://idp.initech.example/sso' },
  ],
  wantAuthnRequestsSigned: false,
});

let organizationId = '';
let sp: ReturnType<typeof samlify.ServiceProvider>;

beforeAll(async () => {
  const initech = await organizationWithIdp(world, {
    name: 'Initech',
    domain: 'initech.test',
    email: 'pat@initech.test',
    idpMetadata: initechIdp.getMetadata(),
  });
  organizationId = initech.organizationId;
  sp = samlify.ServiceProvider({ metadata: initech.spMetadata });
});

/** Starts pat's sign-in at Twilio and returns the AuthnRequest redirect samlify's IdP receives. */
async function startAtTwilio() {
  const config = await extensionClient(world);
  const { url: authorize, codeVerifier: verifier } = await extensionAuthorization(config, { state: 'initech' });
  const browser = new HeadlessBrowser();
  const emailStep = await browser.follow(authorize);
  const html = await emailStep.response!.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
  const idpUrl = await idpUrlForEmail(browser, emailStep.url, csrf, 'pat@initech.test');
  return { browser, config, verifier, interactionUrl: emailStep.url, idpUrl };
}

describe('an IdP built with samlify (Initech)', () => {
  it('is read from its metadata XML: entity ID, Redirect SSO URL and signing certificate', () => {
    const settings = settingsFromMetadata(initechIdp.getMetadata());
    expect(settings.entityId).toBe(INITECH_IDP);
    expect(settings.ssoUrl).toBe('https://idp.initech.example/sso');
    expect(settings.certificates.map((pem) => pem.replace(/\s/g, ''))).toEqual([
      signing.certificatePem.replace(/\s/g, ''),
    ]);
  });

  it('receives an AuthnRequest it can parse, and signs pat in at Twilio with its response', async () => {
    const { browser, config, verifier, idpUrl } = await startAtTwilio();
    expect(idpUrl.origin + idpUrl.pathname).toBe('https://idp.initech.example/sso');
    const { extract } = await initechIdp.parseLoginRequest(sp, 'redirect', {
      query: Object.fromEntries(idpUrl.searchParams),
    });
    expect(extract.issuer).toBe(serviceProviderUrls(world.urls.login, organizationId).entityId);
    const { context } = await initechIdp.createLoginResponse(sp, { extract }, 'post', { email: 'pat@initech.test' });

    const acsUrl = serviceProviderUrls(world.urls.login, organizationId).acsUrl;
    const atAcs = await postToAcs(browser, acsUrl, context, 'https://idp.initech.example');
    expect(atAcs.status).toBe(303);
    const { url } = await browser.follow(new URL(atAcs.headers.get('location')!, acsUrl), {
      stopAt: (candidate) => candidate.href.startsWith(EXTENSION_REDIRECT_URI),
    });
    const tokens = await oidc.authorizationCodeGrant(config, url, {
      pkceCodeVerifier: verifier,
      expectedState: 'initech',
    });
    expect(tokens.claims()).toMatchObject({ email: 'pat@initech.test', amr: ['fed'] });
  });

  it('cannot vouch for an Acme user: pat’s sign-in page says sam is not on Initech’s domains', async () => {
    const { idpUrl, browser, interactionUrl } = await startAtTwilio();
    const { extract } = await initechIdp.parseLoginRequest(sp, 'redirect', {
      query: Object.fromEntries(idpUrl.searchParams),
    });
    const { context } = await initechIdp.createLoginResponse(sp, { extract }, 'post', { email: 'sam@acme.test' });
    const acsUrl = serviceProviderUrls(world.urls.login, organizationId).acsUrl;
    const refused = await postToAcs(browser, acsUrl, context, 'https://idp.initech.example');
    await expectSignInPageRefusal(
      { browser, interactionUrl },
      refused,
      'sam@acme.test is not on a verified domain of your organization.',
    );
  });
});
