// X.509 issuance. node-forge builds the certificate structure (loaded lazily: warm starts reuse
// certificates and never pay for it); node:crypto makes the keys and the signatures natively.
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import type * as Forge from 'node-forge';
import { generateRsaKey } from './keys.ts';
import type { SubjectAltNames } from './serving-sans.ts';

/** A certificate and its private key, both PEM: exactly what https.createServer and kubeconfigs take. */
export interface CertKeyPair {
  cert: string;
  key: string;
}

const DAY_MS = 86_400_000;
/** kubeadm's choices: a 10-year CA, 1-year leaf certificates (renewed on start when close to expiry). */
const CA_VALIDITY_MS = 3650 * DAY_MS;
const LEAF_VALIDITY_MS = 365 * DAY_MS;
/** Backdated so a client whose clock is slightly behind still accepts a fresh certificate. */
const BACKDATE_MS = 5 * 60_000;

let forgePromise: Promise<typeof Forge> | undefined;
function loadForge(): Promise<typeof Forge> {
  forgePromise ??= import('node-forge').then((m) => ((m as { default?: typeof Forge }).default ?? m) as typeof Forge);
  return forgePromise;
}

export async function createCertificateAuthority(commonName: string, now = new Date()): Promise<CertKeyPair> {
  const [forge, key] = await Promise.all([loadForge(), generateRsaKey()]);
  const cert = newCertificate(forge, key.publicKeyPem, now, CA_VALIDITY_MS);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true, keyCertSign: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signNatively(cert, createPrivateKey(key.keyPem));
  return { cert: toPem(forge, cert), key: key.keyPem };
}

export interface LeafRequest {
  commonName: string;
  organizations?: string[];
  usage: 'server' | 'client';
  sans?: SubjectAltNames;
}

export async function issueCertificate(ca: CertKeyPair, req: LeafRequest, now = new Date()): Promise<CertKeyPair> {
  const [forge, key] = await Promise.all([loadForge(), generateRsaKey()]);
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const cert = newCertificate(forge, key.publicKeyPem, now, LEAF_VALIDITY_MS);
  cert.setSubject([
    ...(req.organizations ?? []).map((o) => ({ name: 'organizationName', value: o })),
    { name: 'commonName', value: req.commonName },
  ]);
  cert.setIssuer(caCert.subject.attributes);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: req.usage === 'server', clientAuth: req.usage === 'client' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ];
  if (req.sans) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [
        ...req.sans.dnsNames.map((value) => ({ type: 2, value })),
        ...req.sans.ipAddresses.map((ip) => ({ type: 7, ip })),
      ],
    });
  }
  cert.setExtensions(extensions);
  signNatively(cert, createPrivateKey(ca.key));
  return { cert: toPem(forge, cert), key: key.keyPem };
}

/** A client certificate for a user (CN) in groups (O), e.g. a kubelet's system:node:<name> in system:nodes. */
export function issueClientCertificate(ca: CertKeyPair, cn: string, groups: string[] = []): Promise<CertKeyPair> {
  return issueCertificate(ca, { commonName: cn, organizations: groups, usage: 'client' });
}

/** forge writes CRLF line endings; files and kubeconfig data use LF like openssl and kubeadm. */
function toPem(forge: typeof Forge, cert: Forge.pki.Certificate): string {
  return forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
}

function newCertificate(forge: typeof Forge, publicKeyPem: string, now: Date, validityMs: number): Forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = new Date(now.getTime() - BACKDATE_MS);
  cert.validity.notAfter = new Date(now.getTime() + validityMs);
  return cert;
}

/** 128 random bits, positive (high bit clear) and non-zero, as RFC 5280 and Go's x509 require. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

// forge's cert.sign(key, md) hashes the TBSCertificate into md and calls key.sign(md); handing it a
// collecting "digest" and a node:crypto signer keeps the RSA arithmetic native (~1 ms instead of ~80).
function signNatively(cert: Forge.pki.Certificate, caKey: KeyObject): void {
  const chunks: string[] = [];
  const md = { algorithm: 'sha256', update(bytes: string) { chunks.push(bytes); return md; } };
  const signer = { sign: () => sign('sha256', Buffer.from(chunks.join(''), 'binary'), caKey).toString('binary') };
  cert.sign(signer as unknown as Forge.pki.rsa.PrivateKey, md as unknown as Forge.md.MessageDigest);
}
