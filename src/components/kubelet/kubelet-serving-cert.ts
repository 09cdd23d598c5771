// The kubelet's serving certificate: self-signed and kept under its directory, as the upstream kubelet
// does without --tls-cert-file (the API server does not verify it unless told a kubelet CA).
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCertificateAuthority, type CertKeyPair } from '../../certs/index.ts';
import { writeFileAtomic } from '../../certs/write-file-atomic.ts';

export async function kubeletServingCertificate(dir: string, nodeName: string): Promise<CertKeyPair> {
  const certFile = join(dir, 'kubelet.crt');
  const keyFile = join(dir, 'kubelet.key');
  try {
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } catch {
    await mkdir(dir, { recursive: true });
    const pair = await createCertificateAuthority(`${nodeName}@${Math.floor(Date.now() / 1000)}`);
    await writeFileAtomic(keyFile, pair.key, 0o600);
    await writeFileAtomic(certFile, pair.cert);
    return pair;
  }
}
