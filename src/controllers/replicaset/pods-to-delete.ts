// Which pods a shrinking ReplicaSet deletes first (getPodsToDelete + ActivePodsWithRanks): the ones
// whose loss hurts least — unscheduled, then pending, then not ready, then cheaper by the
// pod-deletion-cost annotation, then doubled up on a node with related pods, then ready for the
// shortest time, then most restarted, then newest. Times compare on a log2 scale so pods of about
// the same age are picked pseudo-randomly (by uid), as with LogarithmicScaleDown.
import { isPodActive, isPodReady, getPodReadyCondition } from './pod-util.ts';
import type { Pod } from './types.ts';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(pod: Pod): number {
  const v = Number.parseInt(pod.metadata.annotations?.[DELETION_COST_ANNOTATION] ?? '', 10);
  return Number.isNaN(v) ? 0 : v;
}

function readyTime(pod: Pod): number {
  if (!isPodReady(pod)) return 0;
  const t = Date.parse(getPodReadyCondition(pod)?.lastTransitionTime ?? '');
  return Number.isNaN(t) ? 0 : t;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** log2 of the age in nanoseconds, as upstream's logarithmicRankDiff; -1 for "not in the past". */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Negative when a should be deleted before b (times in ms; 0 = unknown). */
function compareTimes(a: Pod, b: Pod, ta: number, tb: number, now: number): number | undefined {
  if (ta === tb) return undefined;
  if (ta === 0 || tb === 0) return ta === 0 ? -1 : 1; // afterOrZero: the zero time first
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return (a.metadata.uid ?? '') < (b.metadata.uid ?? '') ? -1 : 1;
  return diff < 0 ? -1 : 1;
}

export function comparePodsForDeletion(a: Pod, b: Pod, rankA: number, rankB: number, now: number): number {
  const nodeA = a.spec?.nodeName ?? '';
  const nodeB = b.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (!nodeA || !nodeB)) return !nodeA ? -1 : 1;
  const phaseA = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const phaseB = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
  if (rankA !== rankB) return rankB - rankA;
  if (isPodReady(a) && isPodReady(b)) {
    const c = compareTimes(a, b, readyTime(a), readyTime(b), now);
    if (c !== undefined) return c;
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  const created = (p: Pod) => { const t = Date.parse(p.metadata.creationTimestamp ?? ''); return Number.isNaN(t) ? 0 : t; };
  return compareTimes(a, b, created(a), created(b), now) ?? 0;
}

/**
 * The diff pods of filteredPods to delete. relatedPods (all active pods of the owner's siblings,
 * e.g. every ReplicaSet of one Deployment) rank pods on crowded nodes first.
 */
export function getPodsToDelete(filteredPods: readonly Pod[], relatedPods: readonly Pod[], diff: number, now: number): Pod[] {
  if (diff >= filteredPods.length) return [...filteredPods];
  const onNode = new Map<string, number>();
  for (const p of relatedPods) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = filteredPods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => comparePodsForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
