// The EndpointSlice controller (upstream pkg/controller/endpointslice, reconciler simplified): for
// every Service with a selector, EndpointSlices named <service>-<random> (generateName), labelled
// kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by, owned by the service, one
// set per address family, holding the selected pods grouped by resolved ports, at most 100 endpoints
// per slice. Endpoint conditions are upstream's: serving = pod Ready, terminating = being deleted,
// ready = serving and not terminating (always true with publishNotReadyAddresses). A service whose
// pods give no endpoint keeps one empty placeholder slice, as upstream.
import type { KObject } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { getControllerOf } from '../framework/controller-ref.ts';
import { isNamespaceTerminating } from '../serviceaccount/serviceaccounts-controller.ts';
import { HEADLESS_SERVICE_LABEL, podServicesHandler } from '../endpoint/endpoints-controller.ts';
import {
  canonicalJSON, findPort, isHeadless, isPodReady, podIPForFamily, podTargetRef, rfc3339Nano, selectorOf, servicePorts, shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpoint/pod-endpoints.ts';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from '../endpoint/trigger-time-tracker.ts';

type Obj = Record<string, any>;

export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
export const LABEL_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
/** Upstream's --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;
const WORKERS = 5;

interface SlicePort { name: string; port: number; protocol: string; appProtocol?: string }
interface Endpoint { addresses: string[]; conditions: { ready: boolean; serving: boolean; terminating: boolean }; hostname?: string; targetRef: Obj; nodeName?: string; zone?: string }
interface Desired { addressType: string; ports: SlicePort[]; endpoints: Endpoint[] }

const sameJSON = (a: unknown, b: unknown) => canonicalJSON(a) === canonicalJSON(b);

/** The service's families (spec.ipFamilies, IPv4 when unset). */
function addressTypes(svc: KObject): string[] {
  const fams = (svc.spec as Obj | undefined)?.ipFamilies;
  return Array.isArray(fams) && fams.length ? fams : ['IPv4'];
}

/** Desired slices' contents: per address type and port set, endpoints sorted by pod name, chunked. */
export function desiredSlices(svc: KObject, pods: readonly KObject[], zoneOf: (node: string) => string | undefined): Desired[] {
  const spec = (svc.spec as Obj | undefined) ?? {};
  const groups = new Map<string, Desired>();
  for (const addressType of addressTypes(svc)) {
    for (const pod of [...pods].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!))) {
      if (!shouldPodBeInEndpoints(pod, true)) continue;
      const ip = podIPForFamily(pod, addressType === 'IPv6' ? 'IPv6' : 'IPv4');
      if (!ip) continue;
      const ports: SlicePort[] = [];
      for (const sp of servicePorts(svc)) {
        const port = findPort(pod, sp);
        if (port === undefined) continue;
        ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
      }
      const serving = isPodReady(pod);
      const terminating = !!pod.metadata.deletionTimestamp;
      const endpoint: Endpoint = {
        addresses: [ip],
        conditions: { ready: spec.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
        targetRef: podTargetRef(pod),
      };
      const podSpec = (pod.spec as Obj | undefined) ?? {};
      if (shouldSetHostname(pod, svc)) endpoint.hostname = podSpec.hostname;
      if (podSpec.nodeName) {
        endpoint.nodeName = podSpec.nodeName;
        const zone = zoneOf(podSpec.nodeName);
        if (zone) endpoint.zone = zone;
      }
      const key = `${addressType}|${JSON.stringify(ports)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, g = { addressType, ports, endpoints: [] });
      g.endpoints.push(endpoint);
    }
  }
  const out: Desired[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ...g, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  // No endpoint at all: one empty placeholder slice of the primary family.
  if (out.length === 0) out.push({ addressType: addressTypes(svc)[0]!, ports: [], endpoints: [] });
  return out;
}

class EndpointSliceController {
  readonly controller: Controller;
  private readonly tracker = new TriggerTimeTracker();
  private readonly services;
  private readonly pods;
  private readonly slices;
  private readonly nodes;
  /** Slices created but not yet seen in the cache, per service: syncing before they arrive would create them twice. */
  private readonly pendingCreates = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext) {
    const services = ctx.informers.forResource(GVR.services);
    const pods = ctx.informers.forResource(GVR.pods);
    const slices = ctx.informers.forResource(GVR.endpointslices);
    const nodes = ctx.informers.forResource(GVR.nodes);
    this.services = services.lister();
    this.pods = pods.lister();
    this.slices = slices.lister();
    this.nodes = nodes.lister();
    this.controller = new Controller({
      name: 'endpoint_slice', workers: WORKERS, caches: [services, pods, slices, nodes], clock: ctx.clock, log: ctx.log,
      reconcile: (key) => this.syncService(key),
    });
    const enqueue = (obj: KObject | { key: string }) => this.controller.enqueue(obj as KObject);
    services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, svc) => enqueue(svc), onDelete: enqueue });
    pods.addEventHandler(podServicesHandler(this.services, (svc) => this.controller.enqueue(svc)));
    // Our slices changed or deleted by someone else are put right.
    const onSlice = (obj: KObject) => {
      const svcName = obj.metadata.labels?.[LABEL_SERVICE_NAME];
      if (svcName && obj.metadata.labels?.[LABEL_MANAGED_BY] === CONTROLLER_NAME) this.controller.enqueue(`${obj.metadata.namespace}/${svcName}`);
    };
    slices.addEventHandler({ onUpdate: (_o, s) => onSlice(s), onDelete: (s) => onSlice(objectOf(s)) });
  }

  private async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.services.namespace(namespace).get(name);
    const client = this.ctx.client.resource(GVR.endpointslices).namespace(namespace);
    const ours = this.slices.namespace(namespace).list({ [LABEL_SERVICE_NAME]: name, [LABEL_MANAGED_BY]: CONTROLLER_NAME });
    const pending = this.pendingCreates.get(key);
    if (pending) {
      for (const n of pending) if (this.slices.namespace(namespace).get(n)) pending.delete(n);
      if (pending.size > 0) {
        this.controller.enqueueAfter(key, 100);
        return;
      }
      this.pendingCreates.delete(key);
    }
    // Owned slices of a deleted service go with it (garbage collector); nothing to do here.
    if (!svc) {
      this.tracker.forget(namespace, name);
      return;
    }
    const spec = (svc.spec as Obj | undefined) ?? {};
    const selector = selectorOf(svc);
    if (!selector || spec.type === 'ExternalName') return;

    const pods = this.pods.namespace(namespace).list(selector);
    const triggerTime = this.tracker.compute(svc, pods);
    const desired = desiredSlices(svc, pods, (node) => this.nodes.get(node)?.metadata.labels?.[LABEL_TOPOLOGY_ZONE]);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    delete labels[LABEL_SERVICE_NAME];
    delete labels[LABEL_MANAGED_BY];
    if (isHeadless(svc)) labels[HEADLESS_SERVICE_LABEL] = '';
    labels[LABEL_SERVICE_NAME] = name;
    labels[LABEL_MANAGED_BY] = CONTROLLER_NAME;
    const ownerRef = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };

    // Slices owned by an older service of the same name are left to the garbage collector.
    const existing = ours.filter((s) => getControllerOf(s)?.uid === svc.metadata.uid)
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    const unused = [...existing];
    const annotate = (annotations: Record<string, string> | undefined) => {
      const a = { ...annotations };
      if (triggerTime !== undefined) a[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
      return a;
    };
    const writes: Promise<unknown>[] = [];
    const toCreate: Desired[] = [];
    for (const d of desired) {
      // Reuse a slice that already has exactly this content, else one of the same address type.
      let idx = unused.findIndex((s) => s.addressType === d.addressType && sameJSON(s.ports, d.ports) && sameJSON(s.endpoints ?? [], d.endpoints));
      if (idx >= 0) {
        const s = unused.splice(idx, 1)[0]!;
        if (!sameJSON(s.metadata.labels, labels)) writes.push(client.update({ ...structuredClone(s) as KObject, metadata: { ...structuredClone(s.metadata), labels } }));
        continue;
      }
      idx = unused.findIndex((s) => s.addressType === d.addressType);
      if (idx < 0) { toCreate.push(d); continue; }
      const s = structuredClone(unused.splice(idx, 1)[0]!) as KObject;
      s.metadata.labels = labels;
      s.metadata.annotations = annotate(s.metadata.annotations);
      s.ports = d.ports;
      s.endpoints = d.endpoints;
      writes.push(client.update(s));
    }
    for (const d of toCreate) {
      writes.push(client.create({
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: { generateName: `${name}-`, namespace, labels, annotations: annotate(undefined), ownerReferences: [ownerRef] },
        addressType: d.addressType, endpoints: d.endpoints, ports: d.ports,
      }).then((created) => {
        let set = this.pendingCreates.get(key);
        if (!set) this.pendingCreates.set(key, set = new Set());
        set.add(created.metadata.name!);
      }).catch((err) => { if (!isNamespaceTerminating(err)) throw err; }));
    }
    for (const s of unused) writes.push(client.delete(s.metadata.name!).catch((err) => { if (!isNotFound(err)) throw err; }));
    const results = await Promise.allSettled(writes);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export const endpointSliceController: ControllerDescriptor = {
  name: 'endpointslice-controller',
  start(ctx): RunningController {
    const c = new EndpointSliceController(ctx);
    void c.controller.run();
    return c.controller;
  },
};
