// Where a node's kubelet listens (upstream's NodeConnectionInfoGetter): the first address of the
// preferred types (kubeadm's --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname) and
// status.daemonEndpoints.kubeletEndpoint.Port, 10250 when unset.
import { newInternalError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { Registry } from '../../registry/registry.ts';
import type { RequestContext } from '../../registry/types.ts';

type Obj = Record<string, any>;

export interface NodeConnectionInfo {
  host: string;
  port: number;
}

const PREFERRED_ADDRESS_TYPES = ['InternalIP', 'ExternalIP', 'Hostname'];
const DEFAULT_KUBELET_PORT = 10250;

export function connectionInfoOf(node: KObject): NodeConnectionInfo {
  const status = (node.status ?? {}) as Obj;
  const addresses: Obj[] = Array.isArray(status.addresses) ? status.addresses : [];
  let host: string | undefined;
  for (const type of PREFERRED_ADDRESS_TYPES) {
    host = addresses.find((a) => a?.type === type && a.address)?.address;
    if (host) break;
  }
  if (!host) {
    const known = addresses.map((a) => `{${a?.type ?? ''} ${a?.address ?? ''}}`).join(' ');
    throw newInternalError(new Error(`no preferred addresses found; known addresses: [${known}]`));
  }
  const port = Number(status.daemonEndpoints?.kubeletEndpoint?.Port);
  return { host, port: Number.isInteger(port) && port > 0 ? port : DEFAULT_KUBELET_PORT };
}

/** The Node (404 nodes "n" not found when missing) and where its kubelet is. */
export async function nodeConnectionInfo(registry: Registry, ctx: RequestContext, nodeName: string): Promise<NodeConnectionInfo> {
  const nodes = registry.lookup('', 'v1', 'nodes');
  if (!nodes) throw newInternalError(new Error('nodes are not served'));
  return connectionInfoOf(await nodes.store.get({ ...ctx, namespace: '' }, nodeName));
}

/** host:port, bracketing IPv6 (net.JoinHostPort). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
