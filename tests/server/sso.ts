/** SSO personas and steps shared by the SAML tests: start an SP-initiated sign-in, craft and post responses. */
import { inflateRawSync } from 'node:zlib';
import { expect } from 'vitest';
import { loadAcmeSigningIdentity } from '../../mock-server/acme-idp/acme';
import {
  buildResponse,
  type ResponseInput,
  type SignOptions,
  signResponse,
} from '../../mock-server/acme-idp/saml-response';
import type { SigningIdentity } from '../../mock-server/saml/certificates';
import { DEMO_IDS } from '../../mock-server/seed';
import { settingsFromMetadata } from '../../mock-server/sso/idp-metadata';
import { serviceProviderUrls } from '../../mock-server/sso/service-provider';
import { HeadlessBrowser, idpUrlForEmail } from '../../scripts/lib/headless-browser';
import { completeSsoLogin, postToAcs } from '../../scripts/lib/saml-browser';
import { type OpenLogin, openLogin } from './login-page';
import type { TestWorld } from './world';

export const ACME_PASSWORD = 'acme-pass-2026';
export const SAM = { email: 'sam@acme.test', idpPassword: ACME_PASSWORD };
export const SUE = { email: 'sue@acme.test', idpPassword: ACME_PASSWORD };
export const IDA = { email: 'ida@acme.test', idpPassword: ACME_PASSWORD };
export const TOM = { email: 'tom@acme.test', idpPassword: ACME_PASSWORD };

export const acmeSp = (world: TestWorld) => serviceProviderUrls(world.urls.login, DEMO_IDS.acme);

/** The Acme IdP's signing key and certificate, as stored in the world. */
export function acmeIdentity(world: TestWorld): Promise<SigningIdentity> {
  return loadAcmeSigningIdentity(world.db, world.urls.acme);
}

export interface SpInitiated {
  login: OpenLogin;
  /** The IdP URL the SP redirected to, with the deflated AuthnRequest. */
  idpUrl: URL;
  /** The AuthnRequest's XML and ID. */
  authnRequest: string;
  requestId: string;
}

/** Opens the Twilio login, gives `email` and stops at the redirect to the organization's IdP. */
export async function startSpInitiated(world: TestWorld, email = SAM.email): Promise<SpInitiated> {
  const login = await openLogin(world);
  const idpUrl = await idpUrlForEmail(login.browser, login.interactionUrl, login.csrf, email);
  const authnRequest = inflateRawSync(Buffer.from(idpUrl.searchParams.get('SAMLRequest') ?? '', 'base64')).toString();
  const requestId = /ID="([^"]+)"/.exec(authnRequest)?.[1] ?? '';
  return { login, idpUrl, authnRequest, requestId };
}

/** A Response as the Acme IdP would send it to Acme's SP, with `overrides`, not yet signed. */
export function unsignedResponse(world: TestWorld, overrides: Partial<ResponseInput> = {}): string {
  const sp = acmeSp(world);
  return buildResponse({
    issuer: `${world.urls.acme}/saml/metadata`,
    acsUrl: sp.acsUrl,
    audience: sp.entityId,
    nameId: SAM.email,
    now: Date.now(),
    ...overrides,
  });
}

/** A Response as the Acme IdP would send it to Acme's SP, with `overrides`, signed as `sign` says. */
export async function craftedResponse(
  world: TestWorld,
  overrides: Partial<ResponseInput> = {},
  { identity, ...sign }: SignOptions & { identity?: SigningIdentity } = {},
): Promise<string> {
  return signResponse(unsignedResponse(world, overrides), identity ?? (await acmeIdentity(world)), sign);
}

export const base64 = (xml: string) => Buffer.from(xml).toString('base64');

/** POSTs a SAMLResponse (XML) to Acme's ACS from the Acme IdP's origin, in `login`'s browser. */
export function postXml(world: TestWorld, login: OpenLogin, xml: string): Promise<Response> {
  return postToAcs(login.browser, acmeSp(world).acsUrl, base64(xml), world.urls.acme);
}

/** Asserts a refusal page: its status and its machine-readable error code. */
export async function expectRefusal(response: Response, status: number, code: string): Promise<string> {
  const body = await response.text();
  expect({ status: response.status, code: /Error code: <code>([^<]+)<\/code>/.exec(body)?.[1] }).toEqual({
    status,
    code,
  });
  return body;
}

/**
 * Asserts that an authentic response naming someone Twilio cannot sign in sent the browser back to its own
 * sign-in page (303), which says why; no session is made. `browser` and `interactionUrl` are the sign-in's.
 */
export async function expectSignInPageRefusal(
  login: { browser: OpenLogin['browser']; interactionUrl: URL },
  response: Response,
  message: string,
): Promise<void> {
  expect({ status: response.status, location: response.headers.get('location') }).toEqual({
    status: 303,
    location: login.interactionUrl.pathname,
  });
  const page = await login.browser.request(login.interactionUrl);
  expect(page.status).toBe(200);
  const html = await page.text();
  expect(html).toContain(`<div class="alert" role="alert">${message}</div>`);
  expect(login.browser.jar.names(login.interactionUrl.hostname)).not.toContain('_session');
}

/**
 * An organization whose verified `domain` signs in (SSO enforced) at the IdP described by `idpMetadata`, with one
 * member, `email`. Returns its id and Twilio's SP metadata for it, as that IdP would import it.
 */
export async function organizationWithIdp(
  world: TestWorld,
  { name, domain, email, idpMetadata }: { name: string; domain: string; email: string; idpMetadata: string },
): Promise<{ organizationId: string; spMetadata: string }> {
  const { organizations } = world.organizations;
  const organization = organizations.create({ name });
  organizations.addDomain(organization.id, domain, { verified: true });
  const member = world.users.create({ email, name: email.split('@')[0]!, passwordHash: 'no-password' });
  organizations.addMember(organization.id, member.id, 'member');
  world.sso.connections.connect(organization.id, settingsFromMetadata(idpMetadata));
  world.sso.connections.configure(organization.id, { enforced: true, allowIdpInitiated: false });
  const sp = await new HeadlessBrowser().request(serviceProviderUrls(world.urls.login, organization.id).metadataUrl);
  return { organizationId: organization.id, spMetadata: await sp.text() };
}

/** A Console browser signed in through the Acme IdP (Acme enforces SSO in the demo world). */
export async function ssoConsoleBrowser(world: TestWorld, who: { email: string; idpPassword: string }) {
  const browser = new HeadlessBrowser();
  const callback = await completeSsoLogin(browser, `${world.urls.console}/`, `${world.urls.console}/callback`, who);
  expect((await browser.request(callback)).status).toBe(303);
  return browser;
}
