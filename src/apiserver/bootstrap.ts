// What kube-apiserver's bootstrap controllers create: the system namespaces, the `kubernetes` Service
// in default (its targetPort kept on the secure port) and that Service's Endpoints and EndpointSlice.
// Idempotent: runs at every start, creates what is missing and resets what is out of date.
import { isStatusError } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { RequestContext } from '../registry/types.ts';
import { reconcileKubernetesEndpoints } from './kubernetes-endpoints.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  serviceClusterIPRange: string;
  /** The port the server listens on: the Service's targetPort and the endpoints' port (default 6443). */
  securePort?: number;
  /** --advertise-address (resolved); without one, no Endpoints or EndpointSlice are written. */
  advertiseAddress?: string;
  now: () => Date;
  log?: (message: string) => void;
}

/** The first usable address of the service range: the `kubernetes` Service's ClusterIP. */
export function firstServiceIP(cidr: string): string {
  const [base = '10.96.0.0'] = cidr.split('/');
  const n = base.split('.').reduce((acc, o) => acc * 256 + Number(o), 0) + 1;
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

async function ensure(registry: Registry, resource: string, ctx: RequestContext, obj: KObject): Promise<void> {
  const served = registry.lookup('', 'v1', resource);
  if (!served) return;
  // Exists already (a restart): creating again would trip allocators before AlreadyExists.
  try {
    await served.store.get(ctx, obj.metadata.name!);
    return;
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
  try {
    await served.store.create(ctx, obj);
  } catch (err) {
    if (!isStatusError(err, 'AlreadyExists')) throw err;
  }
}

export async function bootstrapCluster(registry: Registry, opts: BootstrapOptions): Promise<void> {
  const base = { dryRun: false, now: opts.now };
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(registry, 'namespaces', { ...base, namespace: '' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const ctx = { ...base, namespace: 'default' };
  const securePort = opts.securePort || 6443;
  const ports = [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }];
  await ensure(registry, 'services', ctx, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { type: 'ClusterIP', clusterIP: firstServiceIP(opts.serviceClusterIPRange), sessionAffinity: 'None', ports },
  });
  // CreateOrUpdateMasterServiceIfNeeded reconciles the ports (the secure port may differ after a restart).
  const services = registry.lookup('', 'v1', 'services');
  const svc = await services?.store.get(ctx, 'kubernetes');
  if (services && svc && JSON.stringify((svc.spec as { ports?: unknown })?.ports) !== JSON.stringify(ports)) {
    await services.store.update(ctx, 'kubernetes', (cur) => ({ ...cur!, spec: { ...(cur!.spec as object), ports } }));
  }
  if (!opts.advertiseAddress) {
    opts.log?.('no non-loopback IPv4 address to advertise: the kubernetes Endpoints and EndpointSlice are not written (set --advertise-address)');
    return;
  }
  try {
    await reconcileKubernetesEndpoints(registry, { ip: opts.advertiseAddress, port: securePort }, opts.now);
  } catch (err) {
    // As the upstream reconciler, a refused address (e.g. loopback) is reported, not fatal.
    opts.log?.(`cannot write the kubernetes Endpoints and EndpointSlice for ${opts.advertiseAddress}: ${(err as Error).message}`);
  }
}
