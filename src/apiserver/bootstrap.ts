// What kube-apiserver's bootstrap controllers create: the system namespaces and the `kubernetes`
// Service in default. Idempotent: runs at every start, creates only what is missing.
import { isStatusError } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { RequestContext } from '../registry/types.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export interface BootstrapOptions {
  serviceClusterIPRange: string;
  now: () => Date;
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
  await ensure(registry, 'services', ctx, {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: {
      type: 'ClusterIP', clusterIP: firstServiceIP(opts.serviceClusterIPRange), sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
    },
  });
}
