// The cluster's certificates on disk: generated on first start, reused afterwards. Only what is missing,
// broken, expiring or (for the serving certificate) lacking a needed name is issued again, so an
// existing kubeconfig keeps working across restarts.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, issueCertificate, type CertKeyPair } from './issue-certificate.ts';
import type { SubjectAltNames } from './serving-sans.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

export interface ClusterCertificates {
  ca: CertKeyPair;
  /** The API server's serving certificate. */
  serving: CertKeyPair;
  /** CN=admin, O=system:masters: the admin kubeconfig's credentials. */
  admin: CertKeyPair;
  /** The API server's client certificate towards kubelets (kubeadm's apiserver-kubelet-client). */
  kubeletClient: CertKeyPair;
  /** SHA-256 fingerprint of the CA certificate (colon-separated hex, as openssl prints it). */
  caFingerprint256: string;
}

export interface EnsureCertificatesOptions {
  sans: SubjectAltNames;
  now?: Date;
  log?: (message: string) => void;
}

export const CA_COMMON_NAME = 'k8ts-ca';
export const ADMIN_USER = 'admin';
export const ADMIN_GROUP = 'system:masters';
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

/** File names as kubeadm lays them out under /etc/kubernetes/pki. */
export const CERT_FILES = {
  ca: { cert: 'ca.crt', key: 'ca.key' },
  serving: { cert: 'apiserver.crt', key: 'apiserver.key' },
  admin: { cert: 'admin.crt', key: 'admin.key' },
  kubeletClient: { cert: 'apiserver-kubelet-client.crt', key: 'apiserver-kubelet-client.key' },
} as const;

const RENEW_BEFORE_MS = 30 * 86_400_000;

export async function ensureClusterCertificates(dir: string, opts: EnsureCertificatesOptions): Promise<ClusterCertificates> {
  const now = opts.now ?? new Date();
  const log = opts.log ?? (() => {});
  await mkdir(dir, { recursive: true });
  const [caOnDisk, servingOnDisk, adminOnDisk, kubeletClientOnDisk] = await Promise.all([
    readPair(dir, CERT_FILES.ca), readPair(dir, CERT_FILES.serving), readPair(dir, CERT_FILES.admin), readPair(dir, CERT_FILES.kubeletClient),
  ]);

  let ca = caOnDisk;
  const caProblem = checkCA(caOnDisk, now);
  if (caProblem) {
    if (caOnDisk) log(`CA certificate in ${dir} is unusable (${caProblem}); generating a new CA, existing kubeconfigs stop working`);
    ca = await createCertificateAuthority(CA_COMMON_NAME, now);
    await writePair(dir, CERT_FILES.ca, ca);
    log(`generated CA certificate ${join(dir, CERT_FILES.ca.cert)}`);
  }
  const caPair = ca!;
  const caX509 = new X509Certificate(caPair.cert);

  const servingProblem = caProblem ? 'missing' : checkLeaf(servingOnDisk, caX509, now, (x) => missingSAN(x, opts.sans));
  const adminProblem = caProblem ? 'missing' : checkLeaf(adminOnDisk, caX509, now, (x) => wrongSubject(x, ADMIN_USER, ADMIN_GROUP));
  const kubeletClientProblem = caProblem ? 'missing'
    : checkLeaf(kubeletClientOnDisk, caX509, now, (x) => wrongSubject(x, KUBELET_CLIENT_USER, ADMIN_GROUP));

  const [serving, admin, kubeletClient] = await Promise.all([
    servingProblem
      ? reissue(dir, 'serving', servingProblem, log, () =>
        issueCertificate(caPair, { commonName: 'kube-apiserver', usage: 'server', sans: opts.sans }, now))
      : servingOnDisk!,
    adminProblem
      ? reissue(dir, 'admin', adminProblem, log, () =>
        issueCertificate(caPair, { commonName: ADMIN_USER, organizations: [ADMIN_GROUP], usage: 'client' }, now))
      : adminOnDisk!,
    kubeletClientProblem
      ? reissue(dir, 'kubeletClient', kubeletClientProblem, log, () =>
        issueCertificate(caPair, { commonName: KUBELET_CLIENT_USER, organizations: [ADMIN_GROUP], usage: 'client' }, now))
      : kubeletClientOnDisk!,
  ]);
  return { ca: caPair, serving, admin, kubeletClient, caFingerprint256: caX509.fingerprint256 };
}

async function reissue(
  dir: string, which: 'serving' | 'admin' | 'kubeletClient', problem: string, log: (m: string) => void, issue: () => Promise<CertKeyPair>,
): Promise<CertKeyPair> {
  const pair = await issue();
  await writePair(dir, CERT_FILES[which], pair);
  const file = join(dir, CERT_FILES[which].cert);
  const what = which === 'kubeletClient' ? 'kubelet client' : which;
  log(problem === 'missing' ? `generated ${what} certificate ${file}` : `reissued ${what} certificate ${file} (${problem})`);
  return pair;
}

async function readPair(dir: string, files: { cert: string; key: string }): Promise<CertKeyPair | undefined> {
  try {
    const [cert, key] = await Promise.all([readFile(join(dir, files.cert), 'utf8'), readFile(join(dir, files.key), 'utf8')]);
    return { cert, key };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function writePair(dir: string, files: { cert: string; key: string }, pair: CertKeyPair): Promise<void> {
  // Key first: a crash between the two leaves a pair that fails checkPrivateKey and is reissued.
  await writeFileAtomic(join(dir, files.key), pair.key, 0o600);
  await writeFileAtomic(join(dir, files.cert), pair.cert, 0o644);
}

/** Why the pair cannot be used as the cluster CA, or undefined when it can. */
function checkCA(pair: CertKeyPair | undefined, now: Date): string | undefined {
  if (!pair) return 'missing';
  try {
    const x = new X509Certificate(pair.cert);
    if (!x.ca) return 'not a CA certificate';
    if (!x.checkPrivateKey(createPrivateKey(pair.key))) return 'key does not match certificate';
    if (Date.parse(x.validTo) <= now.getTime()) return `expired ${x.validTo}`;
    return undefined;
  } catch (err) {
    return `unreadable: ${(err as Error).message}`;
  }
}

function checkLeaf(
  pair: CertKeyPair | undefined, ca: X509Certificate, now: Date, extra: (x: X509Certificate) => string | undefined,
): string | undefined {
  if (!pair) return 'missing';
  try {
    const x = new X509Certificate(pair.cert);
    if (!x.verify(ca.publicKey)) return 'not signed by the current CA';
    if (!x.checkPrivateKey(createPrivateKey(pair.key))) return 'key does not match certificate';
    if (Date.parse(x.validTo) - now.getTime() < RENEW_BEFORE_MS) return `expires ${x.validTo}`;
    return extra(x);
  } catch (err) {
    return `unreadable: ${(err as Error).message}`;
  }
}

function missingSAN(x: X509Certificate, sans: SubjectAltNames): string | undefined {
  const ip = sans.ipAddresses.find((a) => x.checkIP(a) === undefined);
  if (ip) return `lacks IP SAN ${ip}`;
  const dns = sans.dnsNames.find((n) => x.checkHost(n, { subject: 'never', wildcards: false }) === undefined);
  return dns ? `lacks DNS SAN ${dns}` : undefined;
}

function wrongSubject(x: X509Certificate, cn: string, group: string): string | undefined {
  const rdns = x.subject.split('\n');
  return rdns.includes(`CN=${cn}`) && rdns.includes(`O=${group}`) ? undefined : `subject is not CN=${cn}, O=${group}`;
}
