/**
 * What Twilio needs to know of an organization's identity provider: its entity ID, its SSO URL for the
 * HTTP-Redirect binding and its signing certificates — read from the IdP's metadata XML, or given one by one.
 */
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SsoRefusal, WorldError } from '../errors';
import { certificatePem } from '../saml/certificates';
import { BINDING_REDIRECT, SAML_METADATA_NS, XMLDSIG_NS } from '../saml/names';
import { childElements, parseXml } from '../saml/xml-safety';

export interface IdentityProviderSettings {
  entityId: string;
  ssoUrl: string;
  /** PEM certificates whose keys may sign responses (several while the IdP rolls its key). */
  certificates: string[];
}

/** The longest entity ID and SSO URL (the URL as stored, encoded: "é" is 6 characters). */
export const MAX_IDP_FIELD_LENGTH = 2048;
/** Signing certificates one IdP may have (two while it rolls its key), as the world file holds them. */
export const MAX_IDP_CERTIFICATES = 4;
/** The longest signing certificate, as the PEM the world stores and exports. */
export const MAX_CERTIFICATE_LENGTH = 16 * 1024;

function refuse(description: string): never {
  throw new SsoRefusal('idp_settings_invalid', description);
}

function checkedUrl(value: string, what: string): string {
  const trimmed = value.trim();
  if (!trimmed || trimmed.length > MAX_IDP_FIELD_LENGTH) refuse(`Enter the ${what}.`);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    refuse(`The ${what} is not a URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse(`The ${what} must be an http(s) URL.`);
  // What is stored (and exported) is the encoded URL, which can be longer than what was typed.
  if (url.href.length > MAX_IDP_FIELD_LENGTH) refuse(`The ${what} is longer than ${MAX_IDP_FIELD_LENGTH} characters.`);
  return url.href;
}

/** A PEM certificate from pasted PEM or bare base64; refuses anything that is not an X.509 certificate. */
export function checkedCertificate(value: string): string {
  const body = value
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '')
    .trim();
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) refuse('The signing certificate is not a PEM certificate.');
  const pem = certificatePem(body);
  // The PEM, not what was pasted: a bare base64 body gains line breaks and a header.
  if (pem.length > MAX_CERTIFICATE_LENGTH) refuse('The signing certificate is longer than 16 kB.');
  try {
    const certificate = new X509Certificate(pem);
    if (certificate.publicKey.asymmetricKeyType !== 'rsa' && certificate.publicKey.asymmetricKeyType !== 'ec') {
      refuse('The signing certificate must hold an RSA or EC key.');
    }
  } catch (cause) {
    if (cause instanceof WorldError) throw cause;
    refuse('The signing certificate is not a valid X.509 certificate.');
  }
  return pem;
}

export function settingsFromFields(fields: { entityId: string; ssoUrl: string; certificate: string }) {
  const entityId = fields.entityId.trim();
  if (!entityId || entityId.length > MAX_IDP_FIELD_LENGTH) refuse('Enter the IdP entity ID.');
  return {
    entityId,
    ssoUrl: checkedUrl(fields.ssoUrl, 'SSO URL'),
    certificates: [checkedCertificate(fields.certificate)],
  } satisfies IdentityProviderSettings;
}

/** Reads an IdP's `<EntityDescriptor>` metadata. */
export function settingsFromMetadata(xml: string): IdentityProviderSettings {
  if (xml.length > 64 * 1024) refuse('The metadata is larger than 64 kB.');
  let root: Element;
  try {
    root = parseXml(xml, 'IdP metadata');
  } catch (cause) {
    if (cause instanceof WorldError) refuse(cause.description);
    throw cause;
  }
  if (root.namespaceURI !== SAML_METADATA_NS || root.localName !== 'EntityDescriptor') {
    refuse('The metadata must be one SAML 2.0 <EntityDescriptor>.');
  }
  const descriptor = childElements(root, SAML_METADATA_NS, 'IDPSSODescriptor')[0];
  if (!descriptor) refuse('The metadata has no <IDPSSODescriptor>: it does not describe an identity provider.');
  const redirect = childElements(descriptor, SAML_METADATA_NS, 'SingleSignOnService').find(
    (service) => service.getAttribute('Binding') === BINDING_REDIRECT,
  );
  if (!redirect) refuse('The IdP offers no SingleSignOnService with the HTTP-Redirect binding.');
  const found = childElements(descriptor, SAML_METADATA_NS, 'KeyDescriptor')
    .filter((key) => (key.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((key) => [...key.getElementsByTagNameNS(XMLDSIG_NS, 'X509Certificate')]);
  // No more than a world file can hold, so an export of this world imports again.
  if (found.length > MAX_IDP_CERTIFICATES) {
    refuse(`The metadata has more than ${MAX_IDP_CERTIFICATES} signing certificates.`);
  }
  const certificates = found.map((node) => checkedCertificate(node.textContent ?? ''));
  if (!certificates.length) refuse('The metadata has no signing certificate.');
  return {
    ...settingsFromFields({
      entityId: root.getAttribute('entityID') ?? '',
      ssoUrl: redirect.getAttribute('Location') ?? '',
      certificate: certificates[0]!,
    }),
    certificates,
  };
}
