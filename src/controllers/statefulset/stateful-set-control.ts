// One sync of a StatefulSet (stateful_set_control.go): find or record the current and update
// revisions, then bring the members to the spec — create missing ordinals (in order, each only once
// its predecessors are Running and Ready, unless podManagementPolicy is Parallel), delete members
// beyond replicas from the highest ordinal down, and roll members at or above the partition to the
// update revision one at a time from the top — and write the status.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import {
  ControllerHistory, findEqualRevisions, equalRevision, nextRevision, sortControllerRevisions, type ControllerRevision,
} from '../history/controller-history.ts';
import { isTerminating, type Pod } from './pod-state.ts';
import type { StatefulPodControl } from './stateful-pod-control.ts';
import {
  allowsBurst, applyRevision, completeRollingUpdate, getEndOrdinal, getOrdinal, getPodRevision, getStartOrdinal,
  identityMatches, inconsistentStatus, isCreated, isFailed, isPending, isRunningAndAvailable, isRunningAndReady,
  isSucceeded, isUnavailable, newRevision, newVersionedStatefulSetPod, podInOrdinalRange, storageMatches,
  type StatefulSet, type StatefulSetStatus,
} from './stateful-set-utils.ts';

/** Parallel creates and deletes go out in batches of 1, 2, 4, … up to this many (slowStartBatch). */
const MAX_BATCH_SIZE = 500;

interface ReplicaCounts { replicas: number; readyReplicas: number; availableReplicas: number; currentReplicas: number; updatedReplicas: number }

export class StatefulSetControl {
  constructor(
    private readonly client: KubeClient,
    private readonly podControl: StatefulPodControl,
    private readonly history: ControllerHistory,
    private readonly clock: Clock,
  ) {}

  listRevisions(set: StatefulSet): ControllerRevision[] {
    return this.history.listControllerRevisions(set, labelSelectorAsMatcher(set.spec.selector as never));
  }

  /** UpdateStatefulSet: the sync, then history truncated to revisionHistoryLimit. Returns the status written. */
  async updateStatefulSet(cached: StatefulSet, pods: Pod[]): Promise<StatefulSetStatus> {
    const set = deepCopy(cached);
    const revisions = sortControllerRevisions(this.listRevisions(set));
    const { currentRevision, updateRevision, collisionCount } = await this.getStatefulSetRevisions(set, revisions);
    // The status is written even when the sync failed part-way, as upstream does.
    const { status, err } = await this.syncMembers(set, currentRevision, updateRevision, collisionCount, pods);
    await this.updateStatefulSetStatus(set, status);
    await this.truncateHistory(set, pods, revisions, currentRevision, updateRevision);
    if (err) throw err;
    return status;
  }

  /**
   * The update revision is the set's template now (an existing equal revision is reused, renumbered
   * when it is not the latest: a rollback); the current revision is status.currentRevision, or the
   * update revision for a new set.
   */
  private async getStatefulSetRevisions(set: StatefulSet, revisions: ControllerRevision[]) {
    const collisionCount = { value: set.status?.collisionCount ?? 0 };
    let updateRevision = newRevision(set, nextRevision(revisions), collisionCount.value);
    const equal = findEqualRevisions(revisions, updateRevision);
    if (equal.length > 0 && equalRevision(revisions[revisions.length - 1], equal[equal.length - 1])) {
      updateRevision = revisions[revisions.length - 1]!;
    } else if (equal.length > 0) {
      updateRevision = await this.history.updateControllerRevision(equal[equal.length - 1]!, updateRevision.revision);
    } else {
      updateRevision = await this.history.createControllerRevision(set, updateRevision, collisionCount);
    }
    const currentRevision = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? updateRevision;
    return { currentRevision, updateRevision, collisionCount: collisionCount.value };
  }

  private computeReplicaStatus(pods: Pod[], minReadySeconds: number, current: ControllerRevision, update: ControllerRevision): ReplicaCounts {
    const now = this.clock.now();
    const c: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
    for (const pod of pods) {
      if (isCreated(pod)) c.replicas++;
      if (isRunningAndReady(pod)) {
        c.readyReplicas++;
        if (isRunningAndAvailable(pod, minReadySeconds, now)) c.availableReplicas++;
      }
      if (isCreated(pod) && !isTerminating(pod)) {
        const revision = getPodRevision(pod);
        if (revision === current.metadata.name) c.currentReplicas++;
        if (revision === update.metadata.name) c.updatedReplicas++;
      }
    }
    return c;
  }

  private fillStatus(status: StatefulSetStatus, set: StatefulSet, current: ControllerRevision, update: ControllerRevision, pods: Pod[]): void {
    Object.assign(status, this.computeReplicaStatus(pods, set.spec.minReadySeconds ?? 0, current, update));
  }

  private async syncMembers(set: StatefulSet, currentRevision: ControllerRevision, updateRevision: ControllerRevision, collisionCount: number, pods: Pod[]): Promise<{ status: StatefulSetStatus; err?: unknown }> {
    const currentSet = applyRevision(set, currentRevision);
    const updateSet = applyRevision(set, updateRevision);
    const minReadySeconds = set.spec.minReadySeconds ?? 0;
    const now = () => this.clock.now();
    const status: StatefulSetStatus = {
      observedGeneration: set.metadata.generation, replicas: 0, availableReplicas: 0,
      currentRevision: currentRevision.metadata.name, updateRevision: updateRevision.metadata.name, collisionCount,
    };
    this.fillStatus(status, set, currentRevision, updateRevision, pods);

    const start = getStartOrdinal(set);
    const end = getEndOrdinal(set);
    const replicas: Pod[] = new Array(Math.max(0, end - start + 1));
    const condemned: Pod[] = [];
    for (const pod of pods) {
      if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
      else if (getOrdinal(pod) >= 0) condemned.push(pod);
    }
    // Without rollingUpdate, a recreated member below currentReplicas keeps the current revision.
    // Upstream reads that count from the stored status; we count the pods, which a cache lagging
    // behind our own status write cannot make stale (it would recreate a member at the old revision).
    const countedSet: StatefulSet = { ...currentSet, status: { ...(currentSet.status ?? { replicas: 0, availableReplicas: 0 }), currentReplicas: status.currentReplicas } };
    for (let ord = start; ord <= end; ord++) {
      replicas[ord - start] ??= newVersionedStatefulSetPod(countedSet, updateSet, currentRevision.metadata.name!, updateRevision.metadata.name!, ord);
    }
    condemned.sort((a, b) => getOrdinal(b) - getOrdinal(a));

    let firstUnavailablePod: Pod | undefined;
    for (const p of replicas) if (!firstUnavailablePod && isUnavailable(p, minReadySeconds, now())) firstUnavailablePod = p;
    for (let i = condemned.length - 1; i >= 0; i--) if (!firstUnavailablePod && isUnavailable(condemned[i]!, minReadySeconds, now())) firstUnavailablePod = condemned[i];

    if (set.metadata.deletionTimestamp) return { status };
    const monotonic = !allowsBurst(set);
    const finish = (err?: unknown) => {
      this.fillStatus(status, set, currentRevision, updateRevision, [...replicas, ...condemned]);
      return { status, err };
    };

    // Living replicas: create what is missing, wait for (or, in Parallel, skip) what is not ready.
    const processReplica = async (i: number): Promise<boolean> => {
      const pod = replicas[i]!;
      if (isFailed(pod) || isSucceeded(pod)) {
        // A failed or completed member is replaced: deleted now, recreated once it is gone.
        if (!isTerminating(pod)) await this.podControl.deleteStatefulPod(set, pod);
        return true;
      }
      if (!isCreated(pod)) {
        await this.podControl.createStatefulPod(set, pod);
        if (monotonic) return true;
      }
      if (isPending(pod)) await this.podControl.createMissingPersistentVolumeClaims(set, pod);
      if (isTerminating(pod) && monotonic) return true;
      if (!isRunningAndReady(pod) && monotonic) return true;
      if (!isRunningAndAvailable(pod, minReadySeconds, now()) && monotonic) return true;
      if (isCreated(pod) && !(identityMatches(updateSet, pod) && storageMatches(updateSet, pod))) {
        await this.podControl.updateStatefulPod(updateSet, pod);
      }
      return false;
    };
    try {
      if (await runForAll(replicas.length, processReplica, monotonic)) return finish();
    } catch (err) {
      return finish(err);
    }

    // Members beyond replicas go from the highest ordinal down, each after its predecessors are healthy.
    const processCondemned = async (i: number): Promise<boolean> => {
      const pod = condemned[i]!;
      if (isTerminating(pod)) return monotonic;
      if (monotonic && pod !== firstUnavailablePod && (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReadySeconds, now()))) return true;
      await this.podControl.deleteStatefulPod(set, pod);
      return true;
    };
    try {
      if (await runForAll(condemned.length, processCondemned, monotonic)) return finish();
    } catch (err) {
      return finish(err);
    }

    finish();
    if (set.spec.updateStrategy?.type === 'OnDelete') return { status };
    try {
      await this.rollingUpdate(set, replicas, updateRevision, status);
    } catch (err) {
      if (!isNotFound(err)) return { status, err };
    }
    return { status };
  }

  /**
   * RollingUpdate: delete the highest-ordinal member at or above the partition that is not at the
   * update revision; it comes back at the update revision on a later sync. With maxUnavailable set,
   * up to that many members may be down at once; without it, one, and only when the members above
   * the target are available.
   */
  private async rollingUpdate(set: StatefulSet, replicas: Pod[], updateRevision: ControllerRevision, status: StatefulSetStatus): Promise<void> {
    const minReadySeconds = set.spec.minReadySeconds ?? 0;
    const now = this.clock.now();
    const ru = set.spec.updateStrategy?.rollingUpdate;
    const updateMin = ru?.partition ?? 0;
    const needsUpdate = (p: Pod) => getPodRevision(p) !== updateRevision.metadata.name && !isTerminating(p);
    if (ru?.maxUnavailable === undefined || ru.maxUnavailable === null) {
      for (let target = replicas.length - 1; target >= updateMin; target--) {
        const pod = replicas[target]!;
        if (needsUpdate(pod)) {
          await this.podControl.deleteStatefulPod(set, pod);
          status.currentReplicas = (status.currentReplicas ?? 0) - 1;
          return;
        }
        if (isUnavailable(pod, minReadySeconds, now)) return;
      }
      return;
    }
    const maxUnavailable = scaledValue(ru.maxUnavailable, replicas.length);
    const unavailable = replicas.filter((p) => isUnavailable(p, minReadySeconds, now)).length;
    if (unavailable > maxUnavailable) return;
    let budget = maxUnavailable - unavailable;
    for (let target = replicas.length - 1; target >= updateMin && budget > 0; target--) {
      const pod = replicas[target]!;
      if (!needsUpdate(pod)) continue;
      await this.podControl.deleteStatefulPod(set, pod);
      budget--;
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
    }
  }

  /** Writes status when it differs (completing a finished rolling update first), retrying conflicts. */
  private async updateStatefulSetStatus(set: StatefulSet, status: StatefulSetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    const client = this.client.resource<StatefulSet>(GVR.statefulsets).namespace(set.metadata.namespace!);
    let target = deepCopy(set);
    for (let attempt = 0; ; attempt++) {
      target.status = { ...(target.status ?? {}), ...wireStatus(status) } as StatefulSetStatus;
      for (const k of OMIT_EMPTY) if (!(target.status as never as Record<string, unknown>)[k]) delete (target.status as never as Record<string, unknown>)[k];
      try {
        await client.updateStatus(target);
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= 4) throw err;
        target = await client.get(set.metadata.name!);
      }
    }
  }

  /** Deletes non-live revisions (not current, update, or any member's) beyond revisionHistoryLimit, oldest first. */
  private async truncateHistory(set: StatefulSet, pods: Pod[], revisions: ControllerRevision[], current: ControllerRevision, update: ControllerRevision): Promise<void> {
    const live = new Set<string>([current.metadata.name!, update.metadata.name!, ...pods.map(getPodRevision)]);
    const history = revisions.filter((r) => !live.has(r.metadata.name!));
    const limit = set.spec.revisionHistoryLimit ?? 10;
    if (limit < 0 || history.length <= limit) return;
    for (const r of history.slice(0, history.length - limit)) {
      try {
        await this.history.deleteControllerRevision(r);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

/** StatefulSetStatus fields with omitempty upstream: left out when zero or empty. */
const OMIT_EMPTY = ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'currentRevision', 'updateRevision'] as const;

function wireStatus(s: StatefulSetStatus): StatefulSetStatus {
  return {
    observedGeneration: s.observedGeneration, replicas: s.replicas, readyReplicas: s.readyReplicas,
    currentReplicas: s.currentReplicas, updatedReplicas: s.updatedReplicas, currentRevision: s.currentRevision,
    updateRevision: s.updateRevision, collisionCount: s.collisionCount, availableReplicas: s.availableReplicas,
  };
}

/** intstr.GetScaledValueFromIntOrPercent rounding up, at least 1 (getStatefulSetMaxUnavailable). */
function scaledValue(v: number | string, total: number): number {
  const n = typeof v === 'number' ? v : Math.ceil((Number.parseInt(v, 10) * total) / 100);
  return Math.max(1, Number.isFinite(n) ? n : 1);
}

/**
 * Monotonic: one at a time, stopping at the first that says so. Parallel: slow-start batches
 * (1, 2, 4, …), stopping at the first batch with an error. Resolves true when the caller should stop.
 */
async function runForAll(count: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<boolean> {
  if (monotonic) {
    for (let i = 0; i < count; i++) if (await fn(i)) return true;
    return false;
  }
  let next = 0;
  for (let batch = Math.min(1, count); next < count; batch = Math.min(2 * batch, count - next, MAX_BATCH_SIZE)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, k) => fn(next + k)));
    next += batch;
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length === 1) throw failed[0]!.reason;
    if (failed.length > 1) throw new AggregateError(failed.map((f) => f.reason), failed.map((f) => (f.reason as Error).message).join(', '));
  }
  return false;
}
