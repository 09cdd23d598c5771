// Resource arithmetic of the scheduler (framework.Resource): cpu in millicores, memory and
// ephemeral storage in bytes, extended resources (scalars) in whole units, and the pod's effective
// request as upstream computes it: containers summed, init containers' maximum (sidecars add up),
// plus overhead.
import { parseQuantityMilli, quantityValue } from '../apimachinery/quantity.ts';
import type { Container, Node, Pod, ResourceList } from './types.ts';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources, hugepages, … */
  scalar: Map<string, number>;
}

/** Pods with no request count as this much when spreading (schedutil.DefaultMilliCPURequest/DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, scalar: new Map() };
}

function quantity(v: string | number | undefined, milli: boolean): number {
  if (v === undefined) return 0;
  const s = String(v);
  try {
    return milli ? parseQuantityMilli(s) : quantityValue(s);
  } catch {
    return 0;
  }
}

/** A ResourceList as a Resource; `pods` is returned apart (a node's allowed pod count). */
export function resourceFromList(list: ResourceList | null | undefined): Resource & { pods: number } {
  const r = { ...emptyResource(), pods: 0 };
  for (const [name, v] of Object.entries(list ?? {})) {
    if (name === 'cpu') r.milliCPU = quantity(v, true);
    else if (name === 'memory') r.memory = quantity(v, false);
    else if (name === 'ephemeral-storage') r.ephemeralStorage = quantity(v, false);
    else if (name === 'pods') r.pods = quantity(v, false);
    else r.scalar.set(name, quantity(v, false));
  }
  return r;
}

export function addResource(into: Resource, r: Resource, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  for (const [k, v] of r.scalar) into.scalar.set(k, (into.scalar.get(k) ?? 0) + sign * v);
}

function maxResource(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [k, v] of r.scalar) into.scalar.set(k, Math.max(into.scalar.get(k) ?? 0, v));
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const requests = c.resources?.requests ?? {};
  const r = resourceFromList(requests);
  if (nonZero) {
    if (requests.cpu === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests.memory === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * resourcehelper.PodRequests: the sum of the containers' requests, or the largest init container's
 * (restartable "sidecar" init containers run alongside and add to both), plus spec.overhead.
 * nonZero: containers without a cpu/memory request count the defaults (for scoring).
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const sum = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(sum, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(sidecars, r);
      maxResource(initMax, sidecars);
    } else {
      const withSidecars = emptyResource();
      addResource(withSidecars, sidecars);
      addResource(withSidecars, r);
      maxResource(initMax, withSidecars);
    }
  }
  addResource(sum, sidecars);
  maxResource(sum, initMax);
  if (pod.spec?.overhead) addResource(sum, resourceFromList(pod.spec.overhead));
  return sum;
}

export interface NodeAllocatable extends Resource { allowedPodNumber: number }

export function nodeAllocatable(node: Node): NodeAllocatable {
  const list = node.status?.allocatable ?? node.status?.capacity;
  const r = resourceFromList(list);
  return { milliCPU: r.milliCPU, memory: r.memory, ephemeralStorage: r.ephemeralStorage, scalar: r.scalar, allowedPodNumber: r.pods };
}
