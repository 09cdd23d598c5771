// ReplicaSet status as upstream's calculateStatus/updateReplicaSetStatus: counts over the pods the
// ReplicaSet owns (active ones only), a ReplicaFailure condition while creating or deleting pods
// fails, observedGeneration, written through /status only when something changed.
import type { LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import { selectorFromSet } from '../../apimachinery/labels.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import { jsonEqual } from './semantic-equal.ts';
import { isPodAvailable, isPodReady } from './pod-util.ts';
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from './types.ts';

/** How often a status write is retried after a fresh GET (statusUpdateRetries). */
const STATUS_UPDATE_RETRIES = 1;

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function calculateStatus(rs: ReplicaSet, filteredPods: readonly Pod[], manageReplicasErr: unknown, nowMs: number): ReplicaSetStatus {
  const templateLabels: LabelSelectorMatcher = selectorFromSet(rs.spec.template?.metadata?.labels ?? {});
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of filteredPods) {
    if (templateLabels.matches(pod.metadata.labels)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReadySeconds, nowMs)) available++;
    }
  }
  let conditions: ReplicaSetCondition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageReplicasErr && !failure) {
    const diff = filteredPods.length - (rs.spec.replicas ?? 1);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: rfc3339(nowMs), reason, message: (manageReplicasErr as Error).message ?? String(manageReplicasErr) });
  } else if (!manageReplicasErr && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = {
    replicas: filteredPods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.status?.observedGeneration,
    conditions,
  };
  return status;
}

/** The JSON upstream writes: omitempty fields left out when zero or empty. */
function compact(status: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { replicas: status.replicas };
  if (status.fullyLabeledReplicas) out.fullyLabeledReplicas = status.fullyLabeledReplicas;
  if (status.readyReplicas) out.readyReplicas = status.readyReplicas;
  if (status.availableReplicas) out.availableReplicas = status.availableReplicas;
  if (status.observedGeneration) out.observedGeneration = status.observedGeneration;
  if (status.conditions?.length) out.conditions = status.conditions;
  return out;
}

function sameConditions(a: ReplicaSetCondition[] | undefined, b: ReplicaSetCondition[] | undefined): boolean {
  return jsonEqual(a ?? [], b ?? []);
}

/** Writes newStatus (with observedGeneration = generation) unless nothing changed; returns the ReplicaSet as stored. */
export async function updateReplicaSetStatus<T extends ReplicaSet>(client: ResourceClient<T>, rs: T, newStatus: ReplicaSetStatus): Promise<T> {
  const cur = rs.status ?? { replicas: 0 };
  if (cur.replicas === newStatus.replicas
    && (cur.fullyLabeledReplicas ?? 0) === (newStatus.fullyLabeledReplicas ?? 0)
    && (cur.readyReplicas ?? 0) === (newStatus.readyReplicas ?? 0)
    && (cur.availableReplicas ?? 0) === (newStatus.availableReplicas ?? 0)
    && (rs.metadata.generation ?? 0) === (cur.observedGeneration ?? 0)
    && sameConditions(cur.conditions, newStatus.conditions)) {
    return rs;
  }
  const status = compact({ ...newStatus, observedGeneration: rs.metadata.generation });
  let target: T = rs;
  for (let i = 0; ; i++) {
    try {
      return await client.updateStatus({ ...deepCopy(target), status } as T);
    } catch (err) {
      if (i >= STATUS_UPDATE_RETRIES) throw err;
      target = await client.get(rs.metadata.name!);
    }
  }
}
