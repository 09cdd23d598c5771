// NodeResourcesFit: the pod's requests must fit the node's allocatable minus what its pods already
// request (and the pod count under allocatable pods); the score prefers the least allocated node
// (LeastAllocated on cpu and memory, counting request-less containers at the defaults).
import type { FilterPlugin, ScorePlugin } from '../framework.ts';
import type { NodeInfo, PodInfo } from '../node-info.ts';
import { unschedulable } from '../status.ts';

/** fitsRequest: the reasons the pod does not fit, in upstream's order. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const reasons: string[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  const req = pod.requests;
  if (node.pods.size + 1 > alloc.allowedPodNumber) reasons.push('Too many pods');
  if (req.milliCPU === 0 && req.memory === 0 && req.ephemeralStorage === 0 && req.scalar.size === 0) return reasons;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) reasons.push('Insufficient cpu');
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons.push('Insufficient memory');
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) reasons.push('Insufficient ephemeral-storage');
  for (const [name, q] of req.scalar) {
    if (q === 0) continue;
    if (q > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

export const nodeResourcesFitFilter: FilterPlugin = {
  name: 'NodeResourcesFit',
  filter(_state, pod, node) {
    const reasons = insufficientResources(pod, node);
    return reasons.length ? unschedulable(...reasons) : undefined;
  },
};

function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * 100) / capacity);
}

/** LeastAllocated over cpu and memory, weight 1 each; a resource the node has none of is left out. */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  let sum = 0;
  let weights = 0;
  const pairs: [number, number][] = [
    [node.nonZeroRequested.milliCPU + pod.nonZero.milliCPU, node.allocatable.milliCPU],
    [node.nonZeroRequested.memory + pod.nonZero.memory, node.allocatable.memory],
  ];
  for (const [req, alloc] of pairs) {
    if (alloc === 0) continue;
    sum += leastRequestedScore(req, alloc);
    weights++;
  }
  return weights === 0 ? 0 : Math.trunc(sum / weights);
}

export const nodeResourcesFitScore: ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  score: (_state, pod, node) => leastAllocatedScore(pod, node),
};
