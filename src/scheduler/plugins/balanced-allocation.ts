// NodeResourcesBalancedAllocation: prefer nodes where cpu and memory would be used in equal
// fractions after placing the pod (1 − standard deviation of the fractions, × 100).
import type { ScorePlugin } from '../framework.ts';
import type { NodeInfo, PodInfo } from '../node-info.ts';

export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const fractions: number[] = [];
  const pairs: [number, number][] = [
    [node.requested.milliCPU + pod.requests.milliCPU, node.allocatable.milliCPU],
    [node.requested.memory + pod.requests.memory, node.allocatable.memory],
  ];
  for (const [req, alloc] of pairs) {
    if (alloc === 0) continue;
    fractions.push(Math.min(1, req / alloc));
  }
  let std = 0;
  if (fractions.length === 2) std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  return Math.trunc((1 - std) * 100);
}

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score: (_state, pod, node) => balancedAllocationScore(pod, node),
};
