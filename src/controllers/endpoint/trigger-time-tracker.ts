// endpoints.kubernetes.io/last-change-trigger-time (upstream TriggerTimeTracker): the earliest time
// of the changes (a pod's Ready transition, the service's creation) that this sync of a service's
// endpoints is the result of — the service's creation the first time, nothing when nothing changed.
import type { KObject } from '../../apimachinery/types.ts';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState { podTriggerTimes: Map<string, number>; serviceTriggerTime: number }

function podTriggerTime(pod: KObject): number | undefined {
  const ready = ((pod.status as { conditions?: { type: string; lastTransitionTime?: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready');
  const t = ready?.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : NaN;
  return Number.isNaN(t) ? undefined : t;
}

export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** Milliseconds since the epoch, or undefined when no change triggered this sync. */
  compute(svc: KObject, pods: readonly KObject[]): number | undefined {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const old = this.states.get(key);
    let first: number | undefined;
    const next: ServiceState = { podTriggerTimes: new Map(), serviceTriggerTime: Date.parse(svc.metadata.creationTimestamp ?? '') || 0 };
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      next.podTriggerTimes.set(pod.metadata.name!, t);
      if (t > (old?.podTriggerTimes.get(pod.metadata.name!) ?? -Infinity)) first = Math.min(first ?? t, t);
    }
    if (next.serviceTriggerTime > (old?.serviceTriggerTime ?? -Infinity)) first = Math.min(first ?? next.serviceTriggerTime, next.serviceTriggerTime);
    this.states.set(key, next);
    if (!old) return next.serviceTriggerTime || undefined;
    return first;
  }

  forget(namespace: string, name: string): void { this.states.delete(`${namespace}/${name}`); }
}
