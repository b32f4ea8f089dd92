/**
 * The signature of a message in SAML's HTTP-Redirect binding (SAML Bindings §3.4.4.1): `SigAlg` and `Signature`
 * query parameters over the URL-encoded octets `SAMLRequest=…[&RelayState=…]&SigAlg=…`, exactly as sent.
 * @node-saml/node-saml makes it (the SP's AuthnRequests) and checks it; its check is reached through a subclass
 * because node-saml exposes it only to its own subclasses. We add what it leaves open: a signature is required,
 * only RSA-SHA256, and the signed octets are the query's own parameters, each once.
 */
import { SAML } from '@node-saml/node-saml';

export const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';

/** Why a Redirect-binding signature is not accepted, if it is not. */
export type RedirectSignatureProblem = 'missing' | 'algorithm' | 'invalid';

class RedirectSignatureCheck extends SAML {
  constructor(signerCertificatePem: string) {
    // Only the certificate matters to the check; node-saml's constructor also requires an issuer and a callback.
    super({ idpCert: signerCertificatePem, issuer: 'redirect-signature-check', callbackUrl: 'urn:unused' });
  }

  /** Throws unless `Signature` is a valid signature of `signedOctets` by the certificate's key. */
  async verify(query: Record<string, string>, signedOctets: string): Promise<void> {
    await this.hasValidSignatureForRedirect(query, signedOctets);
  }
}

/** The raw `name=value` pair of each parameter in `rawQuery` (without `?`); undefined when absent or repeated. */
function rawParameter(rawQuery: string, name: string): string | undefined {
  const pairs = rawQuery.split('&').filter((pair) => pair.startsWith(`${name}=`));
  return pairs.length === 1 ? pairs[0] : undefined;
}

/** Checks the Redirect-binding signature of the SAMLRequest in `rawQuery` against the signer's certificate. */
export async function redirectSignatureProblem(
  rawQuery: string,
  signerCertificatePem: string,
): Promise<RedirectSignatureProblem | undefined> {
  const params = new URLSearchParams(rawQuery);
  const signature = params.get('Signature');
  const sigAlg = params.get('SigAlg');
  const request = rawParameter(rawQuery, 'SAMLRequest');
  const algorithm = rawParameter(rawQuery, 'SigAlg');
  if (!signature || !sigAlg || !request || !algorithm || params.getAll('Signature').length !== 1) return 'missing';
  if (sigAlg !== RSA_SHA256) return 'algorithm';
  // A repeated RelayState would be left out of the signed octets, yet a reader takes the first one: refused.
  if (params.getAll('RelayState').length > 1) return 'invalid';
  const relayState = rawParameter(rawQuery, 'RelayState');
  const signedOctets = [request, relayState, algorithm].filter(Boolean).join('&');
  try {
    await new RedirectSignatureCheck(signerCertificatePem).verify(
      { Signature: signature, SigAlg: sigAlg },
      signedOctets,
    );
    return undefined;
  } catch {
    return 'invalid';
  }
}
