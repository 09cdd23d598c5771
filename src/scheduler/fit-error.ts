// framework.FitError.Error(): "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had
// untolerated taint {k: v}." — a histogram of the filter reasons over all nodes, sorted as strings,
// then the PostFilter (preemption) message as its own sentence.
import type { Status } from './status.ts';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** One status per node that did not fit. */
  nodeToStatus: Map<string, Status>;
  /** Set when PreFilter rejected the pod (then node statuses are not listed). */
  preFilterMsg?: string;
  postFilterMsg?: string;
}

export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  // Go's sort.Strings: byte order, not locale order.
  return [...counts].map(([r, n]) => `${n} ${r}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const reasons = reasonHistogram(d.nodeToStatus.values());
    if (reasons.length) msg += ` ${reasons.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}
