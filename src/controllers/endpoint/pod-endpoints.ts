// What Endpoints and EndpointSlices are made of, shared by both controllers (upstream
// pkg/api/v1/pod FindPort, endpointsliceutil.ShouldPodBeInEndpoints, ShouldSetHostname,
// podutil.IsPodReady): which pods count, their address of the service's IP family, their readiness
// and the port a service port resolves to (a named targetPort is looked up in the containers).
import type { KObject } from '../../apimachinery/types.ts';

type Obj = Record<string, any>;

export interface ServicePort { name?: string; port: number; targetPort?: number | string; protocol?: string; appProtocol?: string }

export const selectorOf = (svc: KObject): Record<string, string> | undefined => (svc.spec as Obj | undefined)?.selector ?? undefined;

export function isPodReady(pod: KObject): boolean {
  return ((pod.status as Obj | undefined)?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** Has an IP; terminating pods only when asked; not finished for its restart policy. */
export function shouldPodBeInEndpoints(pod: KObject, includeTerminating: boolean): boolean {
  const status = (pod.status as Obj | undefined) ?? {};
  if (!status.podIP && !(status.podIPs ?? []).length) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  const restart = (pod.spec as Obj | undefined)?.restartPolicy;
  if (restart === 'Never') return status.phase !== 'Failed' && status.phase !== 'Succeeded';
  if (restart === 'OnFailure') return status.phase !== 'Succeeded';
  return true;
}

/** The service's primary IP family: spec.ipFamilies[0], else from the cluster IP, else IPv4. */
export function serviceIPFamily(svc: KObject): 'IPv4' | 'IPv6' {
  const spec = (svc.spec as Obj | undefined) ?? {};
  if (spec.ipFamilies?.[0]) return spec.ipFamilies[0];
  return typeof spec.clusterIP === 'string' && spec.clusterIP.includes(':') ? 'IPv6' : 'IPv4';
}

export function podIPs(pod: KObject): string[] {
  const status = (pod.status as Obj | undefined) ?? {};
  const ips: string[] = (status.podIPs ?? []).map((p: Obj) => p.ip).filter(Boolean);
  return ips.length ? ips : status.podIP ? [status.podIP] : [];
}

/** The pod's first IP of the family, if any. */
export function podIPForFamily(pod: KObject, family: 'IPv4' | 'IPv6'): string | undefined {
  return podIPs(pod).find((ip) => ip.includes(':') === (family === 'IPv6'));
}

export function shouldSetHostname(pod: KObject, svc: KObject): boolean {
  const spec = (pod.spec as Obj | undefined) ?? {};
  return !!spec.hostname && spec.subdomain === svc.metadata.name && pod.metadata.namespace === svc.metadata.namespace;
}

/** The container port a service port targets on this pod, or undefined when the name matches none. */
export function findPort(pod: KObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  const spec = (pod.spec as Obj | undefined) ?? {};
  // Sidecars (init containers that keep running) serve ports too.
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? []).filter((c: Obj) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

export const servicePorts = (svc: KObject): ServicePort[] => (svc.spec as Obj | undefined)?.ports ?? [];

export const isHeadless = (svc: KObject): boolean => (svc.spec as Obj | undefined)?.clusterIP === 'None';

/** A reference to the pod as both Endpoints and EndpointSlices carry it. */
export function podTargetRef(pod: KObject): Obj {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

/** Go's RFC3339Nano: no trailing zeros in the fraction. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
}

/** JSON with object keys sorted: compares what we computed with what the server stored. */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, val) => (val && typeof val === 'object' && !Array.isArray(val)
    ? Object.fromEntries(Object.keys(val).sort().filter((k) => val[k] !== undefined).map((k) => [k, val[k]]))
    : val));
}
