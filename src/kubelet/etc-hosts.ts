// The /etc/hosts the kubelet mounts into every container (upstream ensureHostsFile): a managed file
// with localhost, the IPv6 names and the pod's own name on each pod IP, or — for hostNetwork pods —
// the node's own hosts file under a header; hostAliases are appended to both.
import { readFile, writeFile, chmod } from 'node:fs/promises';
import type { V1HostAlias, V1PodSpec } from '@kubernetes/client-node';
import type { KObject } from '../apimachinery/types.ts';
import { isDNS1123Label } from '../apimachinery/validation.ts';

export const ETC_HOSTS_PATH = '/etc/hosts';
const MANAGED_HEADER = '# Kubernetes-managed hosts file.\n';
const MANAGED_HEADER_HOST_NETWORK = '# Kubernetes-managed hosts file (host network).\n';
const HOSTNAME_MAX = 63;

export interface EtcHostsOptions {
  clusterDomain?: string;
  /** The node's hosts file, copied for hostNetwork pods. */
  nodeHostsFile?: string;
}

/** GeneratePodHostNameAndDomain: spec.hostname or the pod name (cut to 63), and subdomain.ns.svc.<domain>. */
export function podHostnameAndDomain(pod: KObject, clusterDomain = 'cluster.local'): { hostname: string; domain: string } {
  const spec = (pod.spec ?? {}) as V1PodSpec;
  const name = pod.metadata.name ?? '';
  let hostname = name;
  if (spec.hostname) {
    const errs = isDNS1123Label(spec.hostname);
    if (errs.length) throw new Error(`pod Hostname "${spec.hostname}" is not a valid DNS label: ${errs.join(';')}`);
    hostname = spec.hostname;
  }
  if (hostname.length > HOSTNAME_MAX) {
    // A hostname may not end with '-' or '.' once cut.
    hostname = hostname.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
    if (!hostname) throw new Error(`hostname for pod "${name}" was invalid: "${spec.hostname ?? name}"`);
  }
  let domain = '';
  if (spec.subdomain) {
    const errs = isDNS1123Label(spec.subdomain);
    if (errs.length) throw new Error(`pod Subdomain "${spec.subdomain}" is not a valid DNS label: ${errs.join(';')}`);
    domain = `${spec.subdomain}.${pod.metadata.namespace}.svc.${clusterDomain}`;
  }
  return { hostname, domain };
}

function hostAliasEntries(aliases: V1HostAlias[] | undefined): string {
  if (!aliases?.length) return '';
  return '\n# Entries added by HostAliases.\n' + aliases.map((a) => `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`).join('');
}

/** managedHostsFileContent of upstream. */
export function managedHostsFileContent(podIPs: readonly string[], hostname: string, domain: string, aliases?: V1HostAlias[]): string {
  let s = MANAGED_HEADER
    + '127.0.0.1\tlocalhost\n'
    + '::1\tlocalhost ip6-localhost ip6-loopback\n'
    + 'fe00::0\tip6-localnet\n'
    + 'fe00::0\tip6-mcastprefix\n'
    + 'fe00::1\tip6-allnodes\n'
    + 'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) s += domain ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  return s + hostAliasEntries(aliases);
}

/** Whether containers get the managed /etc/hosts: once the pod has an IP, or always on the host network. */
export function shouldMountHostsFile(pod: KObject, podIPs: readonly string[]): boolean {
  return podIPs.length > 0 || !!(pod.spec as V1PodSpec | undefined)?.hostNetwork;
}

/** Writes the pod's hosts file at path (mode 0644), as the kubelet does before starting containers. */
export async function writeEtcHosts(path: string, pod: KObject, podIPs: readonly string[], opts: EtcHostsOptions = {}): Promise<void> {
  const spec = (pod.spec ?? {}) as V1PodSpec;
  let content: string;
  if (spec.hostNetwork) {
    const node = await readFile(opts.nodeHostsFile ?? ETC_HOSTS_PATH, 'utf8');
    content = MANAGED_HEADER_HOST_NETWORK + node + hostAliasEntries(spec.hostAliases);
  } else {
    const { hostname, domain } = podHostnameAndDomain(pod, opts.clusterDomain);
    content = managedHostsFileContent(podIPs, hostname, domain, spec.hostAliases);
  }
  await writeFile(path, content, { mode: 0o644 });
  await chmod(path, 0o644);
}
