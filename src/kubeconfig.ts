// The admin kubeconfig: what `export KUBECONFIG=…; kubectl get ns` needs, and what tests and
// client libraries load to reach the cluster as system:masters.
import type { CertKeyPair } from './certs/issue-certificate.ts';
import { writeFileAtomic } from './certs/write-file-atomic.ts';

export const CLUSTER_NAME = 'k8ts';
export const ADMIN_USER_NAME = 'admin';

export interface AdminKubeconfigInput {
  server: string;
  caCert: string;
  admin: CertKeyPair;
}

export function buildAdminKubeconfig(input: AdminKubeconfigInput): Record<string, unknown> {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CLUSTER_NAME, cluster: { server: input.server, 'certificate-authority-data': b64(input.caCert) } }],
    users: [{
      name: ADMIN_USER_NAME,
      user: { 'client-certificate-data': b64(input.admin.cert), 'client-key-data': b64(input.admin.key) },
    }],
    contexts: [{ name: CLUSTER_NAME, context: { cluster: CLUSTER_NAME, user: ADMIN_USER_NAME } }],
    'current-context': CLUSTER_NAME,
    preferences: {},
  };
}

let yamlLoading: Promise<typeof import('yaml')> | undefined;
/** Loading yaml costs tens of milliseconds; start-up begins it early so it overlaps certificate and storage I/O. */
export function preloadKubeconfigWriter(): void {
  if (!yamlLoading) {
    yamlLoading = import('yaml');
    yamlLoading.catch(() => {}); // reported when writeAdminKubeconfig awaits it
  }
}

/** Written atomically, mode 0600 (it holds the admin key), so a poller never reads half of it. */
export async function writeAdminKubeconfig(path: string, input: AdminKubeconfigInput): Promise<void> {
  preloadKubeconfigWriter();
  const { stringify } = await yamlLoading!;
  await writeFileAtomic(path, stringify(buildAdminKubeconfig(input), { lineWidth: 0 }), 0o600);
}

/** The URL clients on this host use: loopback when we listen on every address, brackets for IPv6. */
export function serverURL(bindAddress: string, port: number): string {
  const host = bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress === '::' ? '::1' : bindAddress;
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
