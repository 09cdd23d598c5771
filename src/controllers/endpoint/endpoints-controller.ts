// The endpoints controller (upstream pkg/controller/endpoint): for every Service with a selector,
// an Endpoints object of the same name listing the selected pods' IPs — ready pods under addresses,
// the others under notReadyAddresses (all as ready with publishNotReadyAddresses) — with the
// service's ports resolved per pod (a named targetPort from the containers' ports). Services without
// a selector (the "kubernetes" service, whose endpoints the API server writes) are left alone.
import { selectorFromSet } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { isAlreadyExists, isForbidden, isNotFound } from '../../client/api-error.ts';
import { objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { isNamespaceTerminating } from '../serviceaccount/serviceaccounts-controller.ts';
import {
  canonicalJSON, findPort, isHeadless, isPodReady, podIPForFamily, podTargetRef, rfc3339Nano, selectorOf, serviceIPFamily, servicePorts,
  shouldPodBeInEndpoints, shouldSetHostname,
} from './pod-endpoints.ts';
import { LAST_CHANGE_TRIGGER_TIME, TriggerTimeTracker } from './trigger-time-tracker.ts';

type Obj = Record<string, any>;

export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';
/** Upstream's --concurrent-endpoint-syncs default. */
const WORKERS = 5;

interface Address { ip: string; hostname?: string; nodeName?: string; targetRef: Obj }
interface Port { name?: string; port: number; protocol: string; appProtocol?: string }
interface Subset { addresses?: Address[]; notReadyAddresses?: Address[]; ports?: Port[] }

/** Groups (address, port) pairs into subsets of addresses sharing the same ports (upstream RepackSubsets). */
export function repackSubsets(pairs: { address: Address; ready: boolean; port?: Port }[]): Subset[] {
  const addrKey = (a: Address, ready: boolean) => `${ready ? 'r' : 'n'}|${a.ip}|${a.targetRef?.uid ?? ''}`;
  const portKey = (p: Port) => `${p.name ?? ''}|${p.port}|${p.protocol}|${p.appProtocol ?? ''}`;
  // Each address → the ports it offers.
  const byAddr = new Map<string, { address: Address; ready: boolean; ports: Map<string, Port> }>();
  for (const { address, ready, port } of pairs) {
    const k = addrKey(address, ready);
    let e = byAddr.get(k);
    if (!e) byAddr.set(k, e = { address, ready, ports: new Map() });
    if (port) e.ports.set(portKey(port), port);
  }
  // Addresses with the same port set share a subset.
  const bySet = new Map<string, { ports: Port[]; ready: Address[]; notReady: Address[] }>();
  for (const e of byAddr.values()) {
    const ports = [...e.ports.values()].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol));
    const k = ports.map(portKey).join(',');
    let s = bySet.get(k);
    if (!s) bySet.set(k, s = { ports, ready: [], notReady: [] });
    (e.ready ? s.ready : s.notReady).push(e.address);
  }
  const byIP = (a: Address, b: Address) => compareIPs(a.ip, b.ip) || String(a.targetRef?.uid ?? '').localeCompare(String(b.targetRef?.uid ?? ''));
  const subsets = [...bySet.values()].map((s) => {
    const subset: Subset = {};
    if (s.ready.length) subset.addresses = s.ready.sort(byIP);
    if (s.notReady.length) subset.notReadyAddresses = s.notReady.sort(byIP);
    if (s.ports.length) subset.ports = s.ports;
    return subset;
  });
  const first = (s: Subset) => (s.addresses ?? s.notReadyAddresses ?? [])[0]?.ip ?? '';
  return subsets.sort((a, b) => compareIPs(first(a), first(b)));
}

function compareIPs(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  if (pa.length === 4 && pb.length === 4 && [...pa, ...pb].every((n) => !Number.isNaN(n))) {
    for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
    return 0;
  }
  return a.localeCompare(b);
}

/** The subsets a service's Endpoints should have, from the pods it selects. */
export function endpointSubsetsFor(svc: KObject, pods: readonly KObject[]): Subset[] {
  const spec = (svc.spec as Obj | undefined) ?? {};
  const tolerateUnready = spec.publishNotReadyAddresses === true;
  const family = serviceIPFamily(svc);
  const pairs: { address: Address; ready: boolean; port?: Port }[] = [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const ip = podIPForFamily(pod, family);
    if (!ip) continue;
    const address: Address = { ip, targetRef: podTargetRef(pod) };
    const podSpec = (pod.spec as Obj | undefined) ?? {};
    if (podSpec.nodeName) address.nodeName = podSpec.nodeName;
    if (shouldSetHostname(pod, svc)) address.hostname = podSpec.hostname;
    const ready = tolerateUnready || isPodReady(pod);
    const ports = servicePorts(svc);
    if (ports.length === 0 && isHeadless(svc)) {
      pairs.push({ address, ready });
      continue;
    }
    for (const sp of ports) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      pairs.push({ address, ready, port: { ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) } });
    }
  }
  return repackSubsets(pairs);
}

const sameJSON = (a: unknown, b: unknown) => canonicalJSON(a) === canonicalJSON(b);

function withoutLabel(labels: Record<string, string> | undefined, key: string): Record<string, string> {
  const { [key]: _drop, ...rest } = labels ?? {};
  return rest;
}

/** Services in pod's namespace whose selector matches the pod's labels. */
export function servicesSelecting(services: Lister, pod: KObject): KObject[] {
  return services.namespace(pod.metadata.namespace ?? '').list().filter((svc) => {
    const sel = selectorOf(svc);
    return sel && Object.keys(sel).length > 0 && selectorFromSet(sel).matches(pod.metadata.labels);
  });
}

/** Enqueues the services that select a pod before or after a change (upstream GetPodServiceMemberships). */
export function podServicesHandler(services: Lister, enqueue: (svc: KObject) => void) {
  const touch = (...pods: KObject[]) => {
    const seen = new Set<string>();
    for (const pod of pods) for (const svc of servicesSelecting(services, pod)) {
      const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
      if (!seen.has(key)) { seen.add(key); enqueue(svc); }
    }
  };
  return {
    onAdd: (pod: KObject) => touch(pod),
    onUpdate: (old: KObject, pod: KObject) => { if (old.metadata.resourceVersion !== pod.metadata.resourceVersion) touch(old, pod); },
    onDelete: (obj: KObject | { obj: KObject }) => touch(objectOf(obj as KObject)),
  };
}

class EndpointsController {
  readonly controller: Controller;
  private readonly tracker = new TriggerTimeTracker();
  private readonly services;
  private readonly pods;
  private readonly endpoints;

  constructor(private readonly ctx: ControllerContext) {
    const services = ctx.informers.forResource(GVR.services);
    const pods = ctx.informers.forResource(GVR.pods);
    const endpoints = ctx.informers.forResource(GVR.endpoints);
    this.services = services.lister();
    this.pods = pods.lister();
    this.endpoints = endpoints.lister();
    this.controller = new Controller({
      name: 'endpoint', workers: WORKERS, caches: [services, pods, endpoints], clock: ctx.clock, log: ctx.log,
      reconcile: (key) => this.syncService(key),
    });
    const enqueue = (obj: KObject | { key: string }) => this.controller.enqueue(obj as KObject);
    services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, svc) => enqueue(svc), onDelete: enqueue });
    pods.addEventHandler(podServicesHandler(this.services, (svc) => this.controller.enqueue(svc)));
    // An Endpoints object deleted by hand comes back while its service is there.
    endpoints.addEventHandler({
      onDelete: (obj) => {
        const ep = objectOf(obj);
        if (this.services.namespace(ep.metadata.namespace!).get(ep.metadata.name!)) this.controller.enqueue(ep);
      },
    });
  }

  private async syncService(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const client = this.ctx.client.resource(GVR.endpoints).namespace(namespace);
    const svc = this.services.namespace(namespace).get(name);
    if (!svc) {
      // The service is gone: so are its endpoints.
      this.tracker.forget(namespace, name);
      try {
        await client.delete(name);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      return;
    }
    const spec = (svc.spec as Obj | undefined) ?? {};
    if (spec.type === 'ExternalName') return;
    const selector = selectorOf(svc);
    // No selector: the endpoints are someone else's (the API server's for "kubernetes").
    if (!selector) return;

    const pods = this.pods.namespace(namespace).list(selector);
    const triggerTime = this.tracker.compute(svc, pods);
    const subsets = endpointSubsetsFor(svc, pods);
    const current = this.endpoints.namespace(namespace).get(name);
    const serviceLabels = svc.metadata.labels ?? {};
    if (current && sameJSON(current.subsets, subsets.length ? subsets : undefined)
      && sameJSON(withoutLabel(current.metadata.labels, HEADLESS_SERVICE_LABEL), serviceLabels)) return;

    const next: KObject = current ? structuredClone(current) as KObject : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace } };
    next.subsets = subsets.length ? subsets : undefined;
    const annotations = { ...next.metadata.annotations };
    if (triggerTime !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339Nano(triggerTime);
    else delete annotations[LAST_CHANGE_TRIGGER_TIME];
    next.metadata.annotations = annotations;
    const labels = { ...serviceLabels };
    if (isHeadless(svc)) labels[HEADLESS_SERVICE_LABEL] = '';
    next.metadata.labels = labels;
    try {
      if (current) await client.update(next);
      else await client.create(next);
    } catch (err) {
      // A terminating namespace refuses new content for good: drop the key.
      if (!current && isForbidden(err) && isNamespaceTerminating(err)) return;
      if (!current && isAlreadyExists(err)) throw err; // the cache is behind: retry
      if (current) this.ctx.recorder.eventf(next, 'Warning', 'FailedToUpdateEndpoint', 'Failed to update endpoint %s/%s: %s', namespace, name, (err as Error).message);
      else this.ctx.recorder.eventf(next, 'Warning', 'FailedToCreateEndpoint', 'Failed to create endpoint for service %s/%s: %s', namespace, name, (err as Error).message);
      throw err;
    }
  }
}

export const endpointsController: ControllerDescriptor = {
  name: 'endpoints-controller',
  start(ctx): RunningController {
    const c = new EndpointsController(ctx);
    void c.controller.run();
    return c.controller;
  },
};
