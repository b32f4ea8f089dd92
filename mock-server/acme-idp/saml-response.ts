/**
 * The Acme IdP's SAML 2.0 Response: built as a DOM with @xmldom/xmldom (so every value is escaped by the
 * serializer) and signed with xml-crypto — exclusive canonicalisation, RSA-SHA256, the signature enveloped after
 * the Issuer as the schema requires. The assertion is always signed; the Response is signed around it too.
 */
import { randomBytes } from 'node:crypto';
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import type { SigningIdentity } from '../saml/certificates';
import {
  BEARER,
  isoInstant,
  NAMEID_EMAIL,
  PASSWORD_PROTECTED_TRANSPORT,
  SAML_ASSERTION_NS,
  SAML_PROTOCOL_NS,
  STATUS_SUCCESS,
  samlId,
} from '../saml/names';

export interface ResponseInput {
  issuer: string;
  /** The SP's ACS URL: the Response's Destination and the bearer confirmation's Recipient. */
  acsUrl: string;
  /** Only to test SPs: a Destination or Recipient other than the ACS URL. */
  destination?: string;
  recipient?: string;
  audience: string;
  nameId: string;
  /** The AuthnRequest's ID; absent for an IdP-initiated response. */
  inResponseTo?: string | undefined;
  attributes?: Record<string, string>;
  now: number;
  /** How long the assertion may be presented. */
  lifetimeMs?: number;
  sessionIndex?: string;
}

const ASSERTION_LIFETIME_MS = 5 * 60_000;

/** The unsigned Response XML. */
export function buildResponse(input: ResponseInput): string {
  const doc = new DOMImplementation().createDocument(SAML_PROTOCOL_NS, 'samlp:Response', null);
  const response = doc.documentElement!;
  const el = (ns: string, name: string, attributes: Record<string, string | undefined> = {}, text?: string) => {
    const node = doc.createElementNS(ns, name);
    for (const [key, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(key, value);
    if (text !== undefined) node.appendChild(doc.createTextNode(text));
    return node;
  };
  const saml = (name: string, attributes?: Record<string, string | undefined>, text?: string) =>
    el(SAML_ASSERTION_NS, `saml:${name}`, attributes, text);
  const issueInstant = isoInstant(input.now);
  const notOnOrAfter = isoInstant(input.now + (input.lifetimeMs ?? ASSERTION_LIFETIME_MS));

  response.setAttribute('xmlns:saml', SAML_ASSERTION_NS);
  response.setAttribute('ID', samlId(randomBytes(20).toString('hex')));
  response.setAttribute('Version', '2.0');
  response.setAttribute('IssueInstant', issueInstant);
  response.setAttribute('Destination', input.destination ?? input.acsUrl);
  if (input.inResponseTo) response.setAttribute('InResponseTo', input.inResponseTo);
  response.appendChild(saml('Issuer', {}, input.issuer));
  const status = el(SAML_PROTOCOL_NS, 'samlp:Status');
  status.appendChild(el(SAML_PROTOCOL_NS, 'samlp:StatusCode', { Value: STATUS_SUCCESS }));
  response.appendChild(status);

  const assertion = saml('Assertion', {
    ID: samlId(randomBytes(20).toString('hex')),
    Version: '2.0',
    IssueInstant: issueInstant,
  });
  assertion.appendChild(saml('Issuer', {}, input.issuer));
  const subject = saml('Subject');
  subject.appendChild(saml('NameID', { Format: NAMEID_EMAIL }, input.nameId));
  const confirmation = saml('SubjectConfirmation', { Method: BEARER });
  confirmation.appendChild(
    saml('SubjectConfirmationData', {
      NotOnOrAfter: notOnOrAfter,
      Recipient: input.recipient ?? input.acsUrl,
      InResponseTo: input.inResponseTo,
    }),
  );
  subject.appendChild(confirmation);
  assertion.appendChild(subject);
  const conditions = saml('Conditions', { NotBefore: issueInstant, NotOnOrAfter: notOnOrAfter });
  const restriction = saml('AudienceRestriction');
  restriction.appendChild(saml('Audience', {}, input.audience));
  conditions.appendChild(restriction);
  assertion.appendChild(conditions);
  const authn = saml('AuthnStatement', {
    AuthnInstant: issueInstant,
    SessionIndex: input.sessionIndex ?? samlId(randomBytes(12).toString('hex')),
  });
  const context = saml('AuthnContext');
  context.appendChild(saml('AuthnContextClassRef', {}, PASSWORD_PROTECTED_TRANSPORT));
  authn.appendChild(context);
  assertion.appendChild(authn);
  const attributes = Object.entries(input.attributes ?? {});
  if (attributes.length) {
    const statement = saml('AttributeStatement');
    for (const [name, value] of attributes) {
      const attribute = saml('Attribute', { Name: name });
      attribute.appendChild(saml('AttributeValue', {}, value));
      statement.appendChild(attribute);
    }
    assertion.appendChild(statement);
  }
  response.appendChild(assertion);
  return new XMLSerializer().serializeToString(doc);
}

const RESPONSE = "/*[local-name(.)='Response']";
const ASSERTION = `${RESPONSE}/*[local-name(.)='Assertion']`;

/** Signs the element at `target` (an XPath) with an enveloped signature placed after its Issuer. */
function signElement(xml: string, target: string, identity: SigningIdentity): string {
  const signature = new SignedXml({
    privateKey: identity.privateKeyPem,
    publicCert: identity.certificatePem,
    signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  signature.addReference({
    xpath: target,
    digestAlgorithm: 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  signature.computeSignature(xml, {
    prefix: 'ds',
    location: { reference: `${target}/*[local-name(.)='Issuer']`, action: 'after' },
  });
  return signature.getSignedXml();
}

export interface SignOptions {
  assertion?: boolean;
  response?: boolean;
}

/** Signs the assertion, then the Response around it (both by default). */
export function signResponse(
  xml: string,
  identity: SigningIdentity,
  { assertion = true, response = true }: SignOptions = {},
): string {
  let signed = xml;
  if (assertion) signed = signElement(signed, ASSERTION, identity);
  if (response) signed = signElement(signed, RESPONSE, identity);
  return signed;
}
