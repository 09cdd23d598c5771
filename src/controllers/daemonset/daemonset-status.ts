// DaemonSet status (updateDaemonSetStatus): per eligible node whether it has a daemon pod, and
// whether the oldest one is ready, available and updated; pods on nodes that should not run one
// are misscheduled. Fields without omitempty upstream are always written.
import type { Node } from '../../scheduler/types.ts';
import { isPodAvailable, isPodReady, type Pod } from '../statefulset/pod-state.ts';
import { getTemplateGeneration, isPodUpdated, type DaemonSet } from './daemon-pod.ts';
import { nodeShouldRunDaemonPod } from './node-eligibility.ts';

export interface DaemonSetStatus {
  currentNumberScheduled: number;
  numberMisscheduled: number;
  desiredNumberScheduled: number;
  numberReady: number;
  observedGeneration?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberUnavailable?: number;
  collisionCount?: number;
  conditions?: unknown[];
}

/** podByCreationTimestampAndPhase: running pods first, then the oldest. */
export function byCreationTimestampAndPhase(a: Pod, b: Pod): number {
  const ar = a.status?.phase === 'Running' ? 0 : 1;
  const br = b.status?.phase === 'Running' ? 0 : 1;
  if (ar !== br) return ar - br;
  const t = (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '');
  return t !== 0 ? t : (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

export function computeDaemonSetStatus(ds: DaemonSet, nodes: readonly Node[], nodeToDaemonPods: Map<string, Pod[]>, hash: string, nowMs: number, updateObservedGeneration: boolean): DaemonSetStatus {
  let desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
  const generation = getTemplateGeneration(ds);
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToDaemonPods.get(node.metadata.name!) ?? [];
    if (!shouldRun) {
      if (pods.length > 0) misscheduled++;
      continue;
    }
    desired++;
    if (pods.length === 0) continue;
    current++;
    const pod = [...pods].sort(byCreationTimestampAndPhase)[0]!;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, ds.spec.minReadySeconds ?? 0, nowMs)) available++;
    }
    if (isPodUpdated(pod, hash, generation)) updated++;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current, numberMisscheduled: misscheduled, desiredNumberScheduled: desired, numberReady: ready,
  };
  const observed = updateObservedGeneration ? ds.metadata.generation : (ds.status?.observedGeneration as number | undefined);
  if (observed) status.observedGeneration = observed;
  if (updated) status.updatedNumberScheduled = updated;
  if (available) status.numberAvailable = available;
  if (desired - available) status.numberUnavailable = desired - available;
  if (ds.status?.collisionCount !== undefined) status.collisionCount = ds.status.collisionCount as number;
  if (ds.status?.conditions !== undefined) status.conditions = ds.status.conditions as unknown[];
  return status;
}
