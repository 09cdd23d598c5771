// kube-apiserver keeps the `kubernetes` Service's Endpoints and EndpointSlice in default pointing at
// itself (pkg/controlplane/reconcilers, EndpointsAdapter.Sync): the advertised address and the secure
// port, named "https". It writes them at start-up and resets them when they differ (a new address or
// port after a restart, or an edit), keeping one IPv4 (or IPv6) slice named after the Service.
import { isStatusError } from '../apimachinery/errors.ts';
import type { KObject } from '../apimachinery/types.ts';
import type { Registry } from '../registry/registry.ts';
import type { RequestContext } from '../registry/types.ts';

export const KUBERNETES_SERVICE = 'kubernetes';
const LABEL_SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';

export interface EndpointTarget {
  /** The advertised address (--advertise-address or the host's default interface). */
  ip: string;
  /** The secure port the server listens on. */
  port: number;
}

type Obj = Record<string, any>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function endpointPorts(port: number): Obj[] {
  return [{ name: 'https', port, protocol: 'TCP' }];
}

/** Creates the object, or updates it when `differs` says the stored one is out of date. */
async function sync(registry: Registry, group: string, version: string, resource: string, ctx: RequestContext, desired: KObject, apply: (current: KObject) => KObject, differs: (current: KObject) => boolean): Promise<void> {
  const served = registry.lookup(group, version, resource);
  if (!served) return;
  const name = desired.metadata.name!;
  let current: KObject | undefined;
  try {
    current = await served.store.get(ctx, name);
  } catch (err) {
    if (!isStatusError(err, 'NotFound')) throw err;
  }
  if (!current) {
    await served.store.create(ctx, desired);
    return;
  }
  if (differs(current)) await served.store.update(ctx, name, (cur) => apply(cur!));
}

export async function reconcileKubernetesEndpoints(registry: Registry, target: EndpointTarget, now: () => Date): Promise<void> {
  const ctx: RequestContext = { namespace: 'default', dryRun: false, now };
  const ports = endpointPorts(target.port);
  const addressType = target.ip.includes(':') ? 'IPv6' : 'IPv4';

  const subsets = [{ addresses: [{ ip: target.ip }], ports }];
  const epLabels = { [LABEL_SKIP_MIRROR]: 'true' };
  await sync(registry, '', 'v1', 'endpoints', ctx,
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: KUBERNETES_SERVICE, labels: epLabels }, subsets },
    (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: epLabels }, subsets }),
    (cur) => !same(cur.subsets, subsets) || !same(cur.metadata.labels, epLabels));

  const slices = registry.lookup('discovery.k8s.io', 'v1', 'endpointslices');
  if (!slices) return;
  // Slices for the Service that are not the one this server keeps (another family) go away.
  const list = await slices.store.list(ctx, { predicate: (o) => o.metadata.labels?.[LABEL_SERVICE_NAME] === KUBERNETES_SERVICE });
  for (const other of list.items) {
    if (other.metadata.name === KUBERNETES_SERVICE && other.addressType === addressType) continue;
    try {
      await slices.store.delete(ctx, other.metadata.name!);
    } catch (err) {
      if (!isStatusError(err, 'NotFound')) throw err;
    }
  }
  const sliceLabels = { [LABEL_SERVICE_NAME]: KUBERNETES_SERVICE };
  const endpoints = [{ addresses: [target.ip], conditions: { ready: true } }];
  const slice: Obj = { addressType, endpoints, ports };
  await sync(registry, 'discovery.k8s.io', 'v1', 'endpointslices', ctx,
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: KUBERNETES_SERVICE, labels: sliceLabels }, ...slice },
    (cur) => ({ ...cur, metadata: { ...cur.metadata, labels: sliceLabels }, ...slice }),
    (cur) => !same(cur.endpoints, endpoints) || !same(cur.ports, ports) || !same(cur.metadata.labels, sliceLabels));
}
