// resourceFieldRef values (upstream pkg/api/v1/resource): a container's requests or limits divided
// by the divisor and rounded up; a missing limit reads as the node's allocatable, as the kubelet
// merges it in before answering (MergeContainerResourceLimits).
import type { V1Container, V1ResourceFieldSelector } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { parseQuantityMilli, quantityValue } from '../../apimachinery/quantity.ts';

/** cpu, memory and ephemeral-storage the node can give pods, as quantities. */
export type NodeAllocatable = Partial<Record<'cpu' | 'memory' | 'ephemeral-storage', string>>;

const MERGED = ['cpu', 'memory', 'ephemeral-storage'] as const;

function isZero(q: string | undefined): boolean {
  return q === undefined || parseQuantityMilli(q) === 0;
}

/** The container with node allocatable standing in for each missing limit. */
export function withDefaultLimits(container: V1Container, allocatable: NodeAllocatable = {}): V1Container {
  const limits: Record<string, string> = { ...(container.resources?.limits ?? {}) };
  for (const r of MERGED) if (isZero(limits[r]) && allocatable[r] !== undefined) limits[r] = allocatable[r]!;
  return { ...container, resources: { ...container.resources, limits } };
}

function findContainer(pod: KObject, name: string): V1Container {
  const spec = (pod.spec ?? {}) as { containers?: V1Container[]; initContainers?: V1Container[] };
  const c = spec.containers?.find((x) => x.name === name) ?? spec.initContainers?.find((x) => x.name === name);
  if (!c) throw new Error(`container ${name} not found`);
  return c;
}

/** ExtractContainerResourceValue on the (defaulted) container. */
export function extractContainerResourceValue(fs: V1ResourceFieldSelector, container: V1Container): string {
  const divisor = fs.divisor && !isZero(fs.divisor) ? fs.divisor : '1';
  const [kind, name] = splitResource(fs.resource);
  if (!kind) throw new Error(`unsupported container resource : ${fs.resource}`);
  const list = (kind === 'limits' ? container.resources?.limits : container.resources?.requests) ?? {};
  const q = list[name] ?? '0';
  if (name === 'cpu') return String(Math.ceil(parseQuantityMilli(q) / parseQuantityMilli(divisor)));
  return String(Math.ceil(quantityValue(q) / quantityValue(divisor)));
}

function splitResource(resource: string): ['limits' | 'requests' | undefined, string] {
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$/.exec(resource);
  return m ? [m[1] as 'limits' | 'requests', m[2]!] : [undefined, ''];
}

/**
 * The value a resourceFieldRef selects: of `container` when the selector names none (env), else of
 * the named container in the pod (downwardAPI volumes), with node allocatable for missing limits.
 */
export function containerResourceValue(
  fs: V1ResourceFieldSelector, pod: KObject, container: V1Container | undefined, allocatable?: NodeAllocatable,
): string {
  const target = fs.containerName ? findContainer(pod, fs.containerName) : container;
  if (!target) throw new Error('resourceFieldRef needs a containerName here');
  return extractContainerResourceValue(fs, withDefaultLimits(target, allocatable));
}
