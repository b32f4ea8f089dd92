/**
 * Twilio as a SAML 2.0 service provider, one per organization (its own entity ID and ACS URL, so an assertion
 * meant for one organization's SP is never accepted by another's). @node-saml/node-saml builds and signs the
 * AuthnRequest (with the world's one SP signing key, published in the metadata) and verifies signatures (XSW-safe: it reads only what the signature covers, and refuses several assertions);
 * this file adds what node-saml leaves to the SP: Destination, Recipient, Issuer, replay, InResponseTo binding,
 * and Twilio's own rules (NameID is the email of an existing, active user of this organization; no JIT).
 */
import { SAML, SamlStatusError, ValidateInResponseTo } from '@node-saml/node-saml';
import type { Element } from '@xmldom/xmldom';
import type { User, UserStore } from '../accounts/users';
import { type SsoErrorCode, SsoRefusal, WorldError } from '../errors';
import { emailDomain, type OrganizationStore } from '../organizations/organizations';
import type { SigningIdentity } from '../saml/certificates';
import { NAMEID_EMAIL, SAML_ASSERTION_NS, SAML_PROTOCOL_NS } from '../saml/names';
import { childElements, decodePostParameter, parseXml } from '../saml/xml-safety';
import type { SsoConnection } from './connections';
import type { SamlState } from './saml-state';

/** Clock difference tolerated between the IdP and us. */
export const CLOCK_SKEW_MS = 60_000;

export interface ServiceProviderUrls {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
}

export function serviceProviderUrls(loginOrigin: string, organizationId: string): ServiceProviderUrls {
  const base = `${loginOrigin}/saml/${organizationId}`;
  return { entityId: `${base}/metadata`, metadataUrl: `${base}/metadata`, acsUrl: `${base}/acs` };
}

function samlFor(
  urls: ServiceProviderUrls,
  connection: Pick<SsoConnection, 'ssoUrl' | 'certificates' | 'allowIdpInitiated' | 'organizationId'>,
  state: SamlState | undefined,
  { requestId, signing }: { requestId?: string; signing?: SigningIdentity } = {},
): SAML {
  return new SAML({
    issuer: urls.entityId,
    callbackUrl: urls.acsUrl,
    audience: urls.entityId,
    entryPoint: connection.ssoUrl,
    idpCert: connection.certificates.length ? connection.certificates : 'none',
    identifierFormat: NAMEID_EMAIL,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    signatureAlgorithm: 'sha256',
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    disableRequestedAuthnContext: true,
    authnRequestBinding: 'HTTP-Redirect',
    validateInResponseTo: connection.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    ...(state ? { cacheProvider: state.cacheFor(connection.organizationId) } : {}),
    ...(requestId ? { generateUniqueId: () => requestId } : {}),
    // AuthnRequests are signed (HTTP-Redirect binding: SigAlg + Signature over the query), RSA-SHA256.
    ...(signing ? { privateKey: signing.privateKeyPem } : {}),
  });
}

/** The SP's metadata XML for an organization, to give to its IdP: AuthnRequestsSigned, with the signing cert. */
export function serviceProviderMetadata(urls: ServiceProviderUrls, signing: SigningIdentity): string {
  return samlFor(
    urls,
    { ssoUrl: urls.acsUrl, certificates: [], allowIdpInitiated: false, organizationId: '' },
    undefined,
    { signing },
  ).generateServiceProviderMetadata(null, signing.certificatePem);
}

/** The IdP URL carrying a deflated, signed AuthnRequest (HTTP-Redirect binding) with this request ID. */
export function authnRequestUrl(
  urls: ServiceProviderUrls,
  connection: SsoConnection,
  request: { id: string; loginHint: string | undefined; signing: SigningIdentity },
): Promise<string> {
  const { id: requestId, loginHint, signing } = request;
  const saml = samlFor(urls, connection, undefined, { requestId, signing });
  // The email typed at Twilio goes along as a hint, as IdPs commonly accept (`login_hint`, Entra and Okta).
  return saml.getAuthorizeUrlAsync('', undefined, loginHint ? { additionalParams: { login_hint: loginHint } } : {});
}

/**
 * An authentic response: the user it signs in, or why that person cannot sign in to Twilio (not provisioned,
 * deactivated, not the organization's), which their sign-in page then tells them.
 */
export type VerifiedSignIn = (
  | { user: User; refusal?: undefined }
  | { user?: undefined; refusal: SsoRefusal; email: string }
) & {
  /** The sign-in the response answers (SP-initiated); undefined for an IdP-initiated response. */
  interactionUid: string | undefined;
};

export interface AcsDeps {
  samlState: SamlState;
  organizations: OrganizationStore;
  users: UserStore;
  clock: () => number;
}

function refuse(code: SsoErrorCode, description: string): never {
  throw new SsoRefusal(code, description);
}

/** node-saml says what failed in words only; these are its messages, in the order they must be tried. */
const NODE_SAML_FAILURES: readonly [RegExp, SsoErrorCode, string][] = [
  [/signature/i, 'saml_signature_invalid', 'The response is not signed by the organization’s identity provider.'],
  [/not yet valid/i, 'saml_not_yet_valid', 'The assertion is not valid yet (NotBefore is in the future).'],
  [/expired|too old|No valid subject confirmation/i, 'saml_expired', 'The assertion has expired.'],
  [/audience/i, 'saml_audience_mismatch', 'The assertion is meant for another service provider.'],
  [
    /InResponseTo is missing/i,
    'saml_idp_initiated_not_allowed',
    'This organization allows only sign-ins started at Twilio.',
  ],
  [/InResponseTo/i, 'saml_unsolicited', 'The response answers a request Twilio did not send.'],
];

async function verifyWithNodeSaml(saml: SAML, encoded: string) {
  try {
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encoded });
    const assertionXml = profile?.getAssertionXml?.();
    if (!assertionXml) refuse('saml_response_invalid', 'The response carries no assertion.');
    return assertionXml;
  } catch (cause) {
    if (cause instanceof WorldError) throw cause;
    if (cause instanceof SamlStatusError) {
      throw new SsoRefusal('saml_idp_refused', 'The identity provider did not sign you in.', { cause });
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    const failure = NODE_SAML_FAILURES.find(([pattern]) => pattern.test(message));
    throw new SsoRefusal(failure?.[1] ?? 'saml_response_invalid', failure?.[2] ?? 'The SAML response is not valid.', {
      cause,
    });
  }
}

/** The text of an element that must hold exactly one text node (no comment, entity or child element inside). */
function plainText(element: Element | undefined, what: string): string {
  const only = element?.childNodes.length === 1 ? element.firstChild : null;
  if (only?.nodeType !== 3) refuse('saml_nameid_invalid', `The ${what} must be plain text.`);
  return (only.nodeValue ?? '').trim();
}

function firstChild(parent: Element | undefined, localName: string): Element | undefined {
  return parent ? childElements(parent, SAML_ASSERTION_NS, localName)[0] : undefined;
}

/**
 * Verifies a POSTed SAMLResponse for `connection` and returns the Twilio user it signs in. Every refusal is a
 * WorldError with its own code.
 */
export async function verifySamlResponse(
  encoded: string,
  connection: SsoConnection,
  urls: ServiceProviderUrls,
  deps: AcsDeps,
): Promise<VerifiedSignIn> {
  const { samlState: state, users } = deps;
  const organizationId = connection.organizationId;
  const response = parseXml(decodePostParameter(encoded, 'SAMLResponse'), 'SAMLResponse');
  if (response.namespaceURI !== SAML_PROTOCOL_NS || response.localName !== 'Response') {
    refuse('saml_malformed', 'The SAMLResponse is not a SAML 2.0 <Response>.');
  }
  if (response.getAttribute('Destination') !== urls.acsUrl) {
    refuse('saml_destination_mismatch', `The response is addressed to another destination, not ${urls.acsUrl}.`);
  }
  // Clear answers for the InResponseTo cases node-saml lumps together; it re-checks them itself.
  const inResponseTo = response.getAttribute('InResponseTo') || undefined;
  if (inResponseTo) {
    const requestState = state.requestState(organizationId, inResponseTo);
    if (requestState === 'unknown') refuse('saml_unsolicited', 'The response answers a request Twilio did not send.');
    if (requestState === 'used') refuse('saml_request_reused', 'This sign-in request was already answered.');
    if (requestState === 'expired') refuse('saml_expired', 'The sign-in request has expired. Start again.');
  } else if (!connection.allowIdpInitiated) {
    refuse('saml_idp_initiated_not_allowed', 'This organization allows only sign-ins started at Twilio.');
  }
  const rawAssertion = childElements(response, SAML_ASSERTION_NS, 'Assertion');
  if (rawAssertion.length === 1) plainText(firstChild(firstChild(rawAssertion[0], 'Subject'), 'NameID'), 'NameID');

  const signedAssertion = await verifyWithNodeSaml(samlFor(urls, connection, state), encoded);
  // From here on only the signed assertion is read.
  const assertion = parseXml(signedAssertion, 'assertion');
  const issuer = plainText(firstChild(assertion, 'Issuer'), 'Issuer');
  if (issuer !== connection.entityId) {
    refuse('saml_issuer_mismatch', 'The assertion was issued by another identity provider.');
  }
  const subject = firstChild(assertion, 'Subject');
  const nameIdElement = firstChild(subject, 'NameID');
  const nameId = plainText(nameIdElement, 'NameID');
  const format = nameIdElement?.getAttribute('Format');
  if (format && format !== NAMEID_EMAIL) refuse('saml_nameid_invalid', 'The NameID must be an email address.');
  const confirmations = subject ? childElements(subject, SAML_ASSERTION_NS, 'SubjectConfirmation') : [];
  const confirmationData = confirmations.map((confirmation) => firstChild(confirmation, 'SubjectConfirmationData'));
  if (!confirmationData.some((data) => data?.getAttribute('Recipient') === urls.acsUrl)) {
    refuse('saml_recipient_mismatch', `The assertion is for another recipient, not ${urls.acsUrl}.`);
  }
  // The Response's InResponseTo may be unsigned: the signed confirmation must answer the same request.
  const signedInResponseTo = confirmationData
    .find((data) => data?.getAttribute('Recipient') === urls.acsUrl)
    ?.getAttribute('InResponseTo');
  if ((signedInResponseTo || undefined) !== inResponseTo) {
    refuse('saml_unsolicited', 'The assertion does not answer the request the response names.');
  }
  // Its ID is kept for as long as the assertion could be accepted: node-saml holds it to the Conditions' and the
  // bearer confirmation's NotOnOrAfter, and Conditions may carry none (then the confirmation's alone decides).
  const expiries = [firstChild(assertion, 'Conditions'), ...confirmationData]
    .map((element) => Date.parse(element?.getAttribute('NotOnOrAfter') ?? ''))
    .filter((time) => !Number.isNaN(time));
  const assertionId = assertion.getAttribute('ID') ?? '';
  if (!assertionId) refuse('saml_malformed', 'The assertion has no ID.');
  if (!state.firstUseOfAssertion(issuer, assertionId, Math.max(deps.clock(), ...expiries) + CLOCK_SKEW_MS)) {
    refuse('saml_replayed', 'This assertion was already used.');
  }

  // The response is authentic and answers this request: it is used up, whoever it names.
  const interactionUid = inResponseTo ? state.consumeRequest(organizationId, inResponseTo) : undefined;
  if (inResponseTo && !interactionUid) refuse('saml_request_reused', 'This sign-in request was already answered.');
  const email = nameId.toLowerCase();
  const refusal = whoCannotSignIn(email, organizationId, deps);
  return refusal ? { refusal, email, interactionUid } : { user: users.findByEmail(email)!, interactionUid };
}

/** Why the IdP's (authentic) word is not enough for Twilio to sign `email` in, if it is not. */
function whoCannotSignIn(
  email: string,
  organizationId: string,
  { organizations, users }: AcsDeps,
): SsoRefusal | undefined {
  if (!organizations.isVerifiedDomain(organizationId, emailDomain(email))) {
    return new SsoRefusal(
      'saml_user_outside_organization',
      `${email} is not on a verified domain of your organization.`,
    );
  }
  const user = users.findByEmail(email);
  if (!user) {
    return new SsoRefusal(
      'saml_user_not_provisioned',
      `${email} does not have access to Twilio yet. Ask your administrator to add you.`,
    );
  }
  if (user.organizationId !== organizationId) {
    return new SsoRefusal('saml_user_outside_organization', `${email} is not managed by your organization.`);
  }
  if (!user.active) {
    return new SsoRefusal('saml_user_deactivated', `${email} has been deactivated. Ask your administrator.`);
  }
  return undefined;
}
