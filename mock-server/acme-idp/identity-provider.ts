/**
 * The Acme IdP's SAML 2.0 protocol side: its metadata, reading signed AuthnRequests (HTTP-Redirect binding) from
 * the service providers it trusts, and issuing signed Responses (HTTP-POST binding) to their ACS.
 */
import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';
import { RequestError, SsoRefusal } from '../errors';
import { certificateBody, type SigningIdentity } from '../saml/certificates';
import {
  BINDING_REDIRECT,
  NAMEID_EMAIL,
  SAML_ASSERTION_NS,
  SAML_METADATA_NS,
  SAML_PROTOCOL_NS,
  XMLDSIG_NS,
} from '../saml/names';
import { type RedirectSignatureProblem, redirectSignatureProblem } from '../saml/redirect-signature';
import { childElements, inflateRedirectParameter, parseXml } from '../saml/xml-safety';
import type { AcmePerson } from './directory';
import { buildResponse, signResponse } from './saml-response';

/** A service provider Acme's administrators registered at their IdP. */
export interface TrustedServiceProvider {
  name: string;
  entityId: string;
  acsUrl: string;
  /** The SP's AuthnRequest signing certificate: its requests must carry a valid signature by that key. */
  signingCertificatePem: string;
}

const SIGNATURE_PROBLEMS: Record<RedirectSignatureProblem, string> = {
  missing: 'The sign-in request is not signed: Acme accepts only signed AuthnRequests.',
  algorithm: 'The sign-in request is signed with an algorithm Acme does not accept (only RSA-SHA256).',
  invalid: 'The sign-in request’s signature is not the app’s.',
};

export interface AuthnRequest {
  id: string;
  sp: TrustedServiceProvider;
}

export class AcmeIdentityProvider {
  readonly entityId: string;
  readonly ssoUrl: string;

  constructor(
    readonly origin: string,
    private readonly identity: SigningIdentity,
    private readonly trusted: readonly TrustedServiceProvider[],
    private readonly clock: () => number,
  ) {
    this.entityId = `${origin}/saml/metadata`;
    this.ssoUrl = `${origin}/saml/sso`;
  }

  get certificatePem(): string {
    return this.identity.certificatePem;
  }

  serviceProvider(entityId: string | undefined): TrustedServiceProvider | undefined {
    return this.trusted.find((sp) => sp.entityId === entityId);
  }

  get serviceProviders(): readonly TrustedServiceProvider[] {
    return this.trusted;
  }

  metadata(): string {
    const doc = new DOMImplementation().createDocument(SAML_METADATA_NS, 'md:EntityDescriptor', null);
    const root = doc.documentElement!;
    root.setAttribute('entityID', this.entityId);
    const descriptor = doc.createElementNS(SAML_METADATA_NS, 'md:IDPSSODescriptor');
    descriptor.setAttribute('WantAuthnRequestsSigned', 'true');
    descriptor.setAttribute('protocolSupportEnumeration', SAML_PROTOCOL_NS);
    const key = doc.createElementNS(SAML_METADATA_NS, 'md:KeyDescriptor');
    key.setAttribute('use', 'signing');
    const keyInfo = doc.createElementNS(XMLDSIG_NS, 'ds:KeyInfo');
    const data = doc.createElementNS(XMLDSIG_NS, 'ds:X509Data');
    const certificate = doc.createElementNS(XMLDSIG_NS, 'ds:X509Certificate');
    certificate.appendChild(doc.createTextNode(certificateBody(this.identity.certificatePem)));
    data.appendChild(certificate);
    keyInfo.appendChild(data);
    key.appendChild(keyInfo);
    descriptor.appendChild(key);
    const format = doc.createElementNS(SAML_METADATA_NS, 'md:NameIDFormat');
    format.appendChild(doc.createTextNode(NAMEID_EMAIL));
    descriptor.appendChild(format);
    const sso = doc.createElementNS(SAML_METADATA_NS, 'md:SingleSignOnService');
    sso.setAttribute('Binding', BINDING_REDIRECT);
    sso.setAttribute('Location', this.ssoUrl);
    descriptor.appendChild(sso);
    root.appendChild(descriptor);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
  }

  /**
   * Reads a Redirect-binding SAMLRequest (`rawQuery`: the URL's query as sent, without `?`): an AuthnRequest from
   * a trusted SP, signed with that SP's key, for its registered ACS.
   */
  async readAuthnRequest(rawQuery: string): Promise<AuthnRequest> {
    const encoded = new URLSearchParams(rawQuery).get('SAMLRequest');
    if (!encoded) throw new RequestError('invalid_request', 'The sign-in request has no SAMLRequest.');
    const request = parseXml(inflateRedirectParameter(encoded, 'SAMLRequest'), 'SAMLRequest');
    if (request.namespaceURI !== SAML_PROTOCOL_NS || request.localName !== 'AuthnRequest') {
      throw new SsoRefusal('saml_malformed', 'The SAMLRequest is not an AuthnRequest.');
    }
    const id = request.getAttribute('ID') ?? '';
    if (!/^[A-Za-z_][\w.-]{0,255}$/.test(id))
      throw new SsoRefusal('saml_malformed', 'The AuthnRequest has no valid ID.');
    const issuer = childElements(request, SAML_ASSERTION_NS, 'Issuer')[0]?.textContent?.trim();
    const sp = this.serviceProvider(issuer);
    if (!sp) throw new SsoRefusal('saml_unknown_service_provider', 'Acme does not know the app that sent you here.');
    const problem = await redirectSignatureProblem(rawQuery, sp.signingCertificatePem);
    if (problem) throw new SsoRefusal('saml_signature_invalid', SIGNATURE_PROBLEMS[problem]);
    const acs = request.getAttribute('AssertionConsumerServiceURL');
    if (acs && acs !== sp.acsUrl) {
      throw new SsoRefusal('saml_malformed', 'The AuthnRequest asks for an ACS URL that is not registered.');
    }
    const destination = request.getAttribute('Destination');
    if (destination && destination !== this.ssoUrl) {
      throw new SsoRefusal('saml_destination_mismatch', 'The AuthnRequest is addressed to another IdP.');
    }
    return { id, sp };
  }

  /** A signed Response for `person` to `sp` (answering `requestId`, or IdP-initiated without it). */
  respond(sp: TrustedServiceProvider, person: AcmePerson, requestId: string | undefined): string {
    const xml = buildResponse({
      issuer: this.entityId,
      acsUrl: sp.acsUrl,
      audience: sp.entityId,
      nameId: person.email,
      inResponseTo: requestId,
      attributes: { email: person.email, name: person.name },
      now: this.clock(),
    });
    return Buffer.from(signResponse(xml, this.identity)).toString('base64');
  }
}
