// The pod shape and predicates the StatefulSet and DaemonSet controllers share; readiness and
// availability are the ReplicaSet controller's (podutil.IsPodReady / IsPodAvailable).
import type { KObject } from '../../apimachinery/types.ts';
import { getPodReadyCondition, isPodAvailable, isPodReady } from '../replicaset/pod-util.ts';

export { isPodAvailable, isPodReady };

export interface Pod extends KObject {
  spec?: Record<string, any>;
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[]; [k: string]: unknown };
}

export function isTerminating(pod: KObject): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

/** How long until a Ready pod counts as available (0 when it already does or is not Ready). */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, nowMs: number): number {
  const ready = getPodReadyCondition(pod);
  if (!minReadySeconds || ready?.status !== 'True' || !ready.lastTransitionTime) return 0;
  return Math.max(0, Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 - nowMs);
}
