/**
 * Signing identities for SAML: an RSA key pair (Node's crypto) and a self-signed X.509 certificate (node-forge),
 * because SAML metadata and KeyInfo carry certificates, not bare public keys.
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';
import type { Db } from '../storage/database';
import { loadOrCreateSecret } from '../storage/secrets';

export interface SigningIdentity {
  privateKeyPem: string;
  certificatePem: string;
}

const TEN_YEARS_MS = 10 * 365 * 24 * 60 * 60_000;

const generateRsaKeyPair = promisify(generateKeyPair);

/**
 * A new key pair and its certificate. The key is generated off the main thread (an RSA-2048 prime search takes
 * from tens to hundreds of milliseconds), so a new world creates its identities at once.
 */
export async function createSigningIdentity(commonName: string, now: number = Date.now()): Promise<SigningIdentity> {
  const { privateKey, publicKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
  // Positive serial: a leading 0x01 byte keeps the DER integer from reading as negative.
  certificate.serialNumber = `01${randomBytes(8).toString('hex')}`;
  certificate.validity.notBefore = new Date(now - 60_000);
  certificate.validity.notAfter = new Date(now + TEN_YEARS_MS);
  const subject = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
  return { privateKeyPem: privateKey, certificatePem: forge.pki.certificateToPem(certificate) };
}

/** The world's signing identity kept as secret `name`, created (for `commonName`) on first use. */
export async function loadSigningIdentity(db: Db, name: string, commonName: string): Promise<SigningIdentity> {
  const stored = await loadOrCreateSecret(db, name, async () =>
    JSON.stringify(await createSigningIdentity(commonName)),
  );
  return JSON.parse(stored) as SigningIdentity;
}

/** The base64 body of a PEM certificate, as SAML metadata's `<ds:X509Certificate>` holds it. */
export function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

/** A PEM certificate from the base64 body found in metadata (line-wrapped at 64 as PEM requires). */
export function certificatePem(body: string): string {
  const clean = body.replace(/\s+/g, '');
  return `-----BEGIN CERTIFICATE-----\n${clean.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}
