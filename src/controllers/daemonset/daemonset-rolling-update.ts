// RollingUpdate for DaemonSets (update.go rollingUpdate): with maxSurge 0, old pods are deleted —
// unavailable ones at once, available ones only while fewer than maxUnavailable nodes are without
// an available pod — and the sync's manage step puts updated pods on the emptied nodes. With
// maxSurge, an updated pod is started next to the old one on up to maxSurge nodes and the old pod
// is deleted once the new one is available.
import type { Pod } from '../statefulset/pod-state.ts';
import { isPodAvailable, isTerminating } from '../statefulset/pod-state.ts';
import { getTemplateGeneration, isPodUpdated, type DaemonSet } from './daemon-pod.ts';

export interface RollingUpdatePlan {
  podsToDelete: string[];
  nodesNeedingPods: string[];
}

/** intstr.GetScaledValueFromIntOrPercent, rounding up. */
export function scaledValue(v: number | string | undefined, total: number): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  const pct = Number.parseInt(v, 10);
  return Number.isNaN(pct) ? 0 : Math.ceil((pct * total) / 100);
}

/** updatedDesiredNodeCounts: maxSurge and maxUnavailable in pods; both 0 would stall, so maxUnavailable becomes 1. */
export function surgeAndUnavailable(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec.updateStrategy?.rollingUpdate ?? {};
  const maxUnavailable = scaledValue(ru.maxUnavailable ?? 1, desired);
  const maxSurge = scaledValue(ru.maxSurge ?? 0, desired);
  return { maxSurge, maxUnavailable: maxUnavailable === 0 && maxSurge === 0 ? 1 : maxUnavailable };
}

/** findUpdatedPodsOnNode: the node's one new and one old live pod; ok false when there are two of a kind. */
function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  const generation = getTemplateGeneration(ds);
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    if (isPodUpdated(pod, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = pod;
    } else {
      if (oldPod) return { ok: false };
      oldPod = pod;
    }
  }
  return { newPod, oldPod, ok: true };
}

export function planRollingUpdate(ds: DaemonSet, nodeToDaemonPods: Map<string, Pod[]>, desired: number, hash: string, nowMs: number): RollingUpdatePlan {
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, desired);
  const minReady = ds.spec.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p, minReady, nowMs);
  const nodes = [...nodeToDaemonPods.keys()].sort();

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replaceNow: string[] = [];
    const candidates: string[] = [];
    for (const node of nodes) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, nodeToDaemonPods.get(node)!, hash);
      if (!ok || (!newPod && !oldPod) || (newPod && oldPod)) {
        numUnavailable++; // manage sorts this node out; until then it counts as unavailable
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (!available(oldPod!)) {
        replaceNow.push(oldPod!.metadata.name!);
      } else if (numUnavailable < maxUnavailable) {
        candidates.push(oldPod!.metadata.name!);
      }
    }
    const budget = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { podsToDelete: [...replaceNow, ...candidates.slice(0, budget)], nodesNeedingPods: [] };
  }

  let numSurge = 0;
  const podsToDelete: string[] = [];
  const waiting: string[] = [];
  const nodesNeedingPods: string[] = [];
  for (const node of nodes) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, nodeToDaemonPods.get(node)!, hash);
    if (!ok || !oldPod) continue;
    if (!newPod) {
      // An unavailable old pod is replaced at once; an available one only within the surge budget.
      if (!available(oldPod)) nodesNeedingPods.push(node);
      else waiting.push(node);
    } else if (available(newPod)) {
      podsToDelete.push(oldPod.metadata.name!);
    } else {
      numSurge++; // surged, waiting for the new pod
    }
  }
  for (const node of waiting) {
    if (numSurge >= maxSurge) break;
    numSurge++;
    nodesNeedingPods.push(node);
  }
  return { podsToDelete, nodesNeedingPods };
}
