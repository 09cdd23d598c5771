// The ReplicaSet controller (pkg/controller/replicaset), also run for ReplicationControllers with
// another kind, as upstream's ReplicationManager: keeps spec.replicas active pods, adopting
// matching orphans and releasing pods that stopped matching, creating in slow-start batches and
// deleting the pods that hurt least, and reports the counts in status.
import type { LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { GroupVersionKind, GroupVersionResource, KObject, OwnerReference } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import { DeletedFinalStateUnknown, objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { ControllerRefManager, getControllerOf, newControllerRef, recheckDeletionTimestamp } from '../framework/controller-ref.ts';
import { UIDTrackingControllerExpectations } from '../framework/expectations.ts';
import { PodControl } from './pod-control.ts';
import { isPodActive, isPodReady } from './pod-util.ts';
import { getPodsToDelete } from './pods-to-delete.ts';
import { calculateStatus, updateReplicaSetStatus } from './replica-set-status.ts';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from './slow-start.ts';
import type { Pod, ReplicaSet } from './types.ts';

/** Creates or deletes per sync at most this many pods (BurstReplicas). */
export const BURST_REPLICAS = 500;
/** --concurrent-replicaset-syncs default. */
const WORKERS = 5;

/** What differs between ReplicaSets and ReplicationControllers. */
export interface ReplicatedKind {
  gvk: GroupVersionKind;
  gvr: GroupVersionResource;
  /** The work queue's name, as upstream's ("replicaset", "replicationmanager"). */
  queueName: string;
  selectorOf(obj: ReplicaSet): LabelSelectorMatcher;
}

const podKey = (pod: KObject) => `${pod.metadata.namespace}/${pod.metadata.name}`;

export class ReplicaSetController {
  readonly controller: Controller;
  readonly expectations: UIDTrackingControllerExpectations;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podLister: Lister<Pod>;
  private readonly podControl: PodControl;
  private readonly clock: Clock;

  constructor(private readonly kind: ReplicatedKind, private readonly ctx: ControllerContext, private readonly client: KubeClient = ctx.client) {
    this.clock = ctx.clock;
    this.expectations = new UIDTrackingControllerExpectations(ctx.clock);
    this.podControl = new PodControl(client, ctx.recorder);
    const rsInformer = ctx.informers.forResource<ReplicaSet>(kind.gvr);
    const podInformer = ctx.informers.forResource<Pod>(GVR.pods);
    this.rsLister = rsInformer.lister();
    this.podLister = podInformer.lister();
    this.controller = new Controller({
      name: kind.queueName, workers: WORKERS, clock: ctx.clock, log: ctx.log,
      caches: [rsInformer, podInformer],
      reconcile: (key) => this.syncReplicaSet(key),
    });
    rsInformer.addEventHandler({
      onAdd: (rs) => this.controller.enqueue(rs),
      onUpdate: (_old, cur) => this.controller.enqueue(cur),
      onDelete: (obj) => {
        this.expectations.deleteExpectations(this.keyOf(objectOf(obj)));
        this.controller.enqueue(obj as KObject | DeletedFinalStateUnknown);
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
  }

  run(): RunningController {
    void this.controller.run();
    return { stop: () => this.controller.stop() };
  }

  private keyOf(obj: KObject): string { return `${obj.metadata.namespace}/${obj.metadata.name}`; }

  // --- event handlers (upstream's addPod/updatePod/deletePod) --------------------------------

  private resolveControllerRef(namespace: string, ref: OwnerReference): ReplicaSet | undefined {
    if (ref.kind !== this.kind.gvk.kind) return undefined;
    const rs = this.rsLister.namespace(namespace).get(ref.name);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** The owners whose selector matches an orphan pod. */
  private getPodReplicaSets(pod: Pod): ReplicaSet[] {
    return this.rsLister.namespace(pod.metadata.namespace ?? '').list().filter((rs) => {
      try {
        const sel = this.kind.selectorOf(rs);
        return !sel.empty && !sel.nothing && sel.matches(pod.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time already terminating (e.g. after a restart): a deletion to observe.
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(this.keyOf(rs));
      this.controller.enqueue(rs);
      return;
    }
    for (const rs of this.getPodReplicaSets(pod)) this.controller.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const labelChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: the pod no longer counts, so act now rather than when it is gone.
      this.deletePod(cur);
      if (labelChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (rs) this.controller.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.controller.enqueue(rs);
      // A pod that just became ready becomes available after minReadySeconds: check again then.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.controller.enqueueAfter(rs, minReady * 1000 + 1000);
      return;
    }
    if (labelChanged || refChanged) for (const rs of this.getPodReplicaSets(cur)) this.controller.enqueue(rs);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!rs) return;
    const key = this.keyOf(rs);
    this.expectations.deletionObservedOf(key, podKey(pod));
    this.controller.enqueue(key);
  }

  // --- reconcile ------------------------------------------------------------------------------

  async syncReplicaSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const rs = this.rsLister.namespace(namespace).get(name);
    if (!rs) {
      this.expectations.deleteExpectations(key);
      return;
    }
    const rsNeedsSync = this.expectations.satisfiedExpectations(key);
    let selector: LabelSelectorMatcher;
    try {
      selector = this.kind.selectorOf(rs);
    } catch (err) {
      this.ctx.log(`error converting pod selector to selector for ${key}: ${(err as Error).message}`);
      return;
    }
    const activePods = this.podLister.namespace(namespace).list().filter(isPodActive);
    const filteredPods = await this.claimPods(rs, selector, activePods);

    let manageReplicasErr: unknown;
    if (rsNeedsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(filteredPods, rs, key);
      } catch (err) {
        manageReplicasErr = err;
      }
    }
    const rsClient = this.client.resource<ReplicaSet>(this.kind.gvr).namespace(namespace);
    const newStatus = calculateStatus(rs, filteredPods, manageReplicasErr, this.clock.now());
    const updated = await updateReplicaSetStatus(rsClient, rs, newStatus);
    if (manageReplicasErr) throw manageReplicasErr;
    // Last line of defence against clock skew: look again once the ready pods should be available.
    const replicas = updated.spec.replicas ?? 1;
    const minReady = updated.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (updated.status?.readyReplicas ?? 0) === replicas && (updated.status?.availableReplicas ?? 0) !== replicas) {
      this.controller.enqueueAfter(key, minReady * 1000);
    }
  }

  private async claimPods(rs: ReplicaSet, selector: LabelSelectorMatcher, pods: Pod[]): Promise<Pod[]> {
    const rsClient = this.client.resource<ReplicaSet>(this.kind.gvr).namespace(rs.metadata.namespace!);
    const manager = new ControllerRefManager<Pod>({
      children: this.client.resource<Pod>(GVR.pods), controller: rs, controllerKind: this.kind.gvk, selector,
      canAdopt: recheckDeletionTimestamp(() => rsClient.get(rs.metadata.name!), rs),
    });
    return manager.claim(pods);
  }

  /** Creates or deletes pods to reach spec.replicas (manageReplicas). */
  private async manageReplicas(filteredPods: Pod[], rs: ReplicaSet, key: string): Promise<void> {
    const namespace = rs.metadata.namespace!;
    let diff = filteredPods.length - (rs.spec.replicas ?? 1);
    if (diff < 0) {
      diff = Math.min(-diff, BURST_REPLICAS);
      // Expect the creates before making them: the informer may see a pod before create() returns.
      this.expectations.expectCreations(key, diff);
      this.ctx.log(`Too few replicas for ${this.kind.gvk.kind} ${key}, need ${rs.spec.replicas ?? 1}, creating ${diff}`);
      const controllerRef = newControllerRef(rs, this.kind.gvk);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async () => {
        try {
          await this.podControl.createPod(namespace, rs.spec.template ?? {}, rs, this.kind.gvk, controllerRef);
        } catch (err) {
          // A terminating namespace refuses every create; nothing to report.
          if (isNamespaceTerminating(err)) return;
          throw err;
        }
      });
      // Pods never created will never be observed.
      for (let i = 0; i < diff - successes; i++) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, BURST_REPLICAS);
      this.ctx.log(`Too many replicas for ${this.kind.gvk.kind} ${key}, need ${rs.spec.replicas ?? 1}, deleting ${diff}`);
      const related = this.getIndirectlyRelatedPods(rs);
      const toDelete = getPodsToDelete(filteredPods, related, diff, this.clock.now());
      // Expect these exact pods to go, so a pod observed twice (terminating, then gone) counts once.
      this.expectations.expectDeletionsOf(key, toDelete.map(podKey));
      const results = await Promise.allSettled(toDelete.map(async (pod) => {
        try {
          await this.podControl.deletePod(namespace, pod.metadata.name!, rs, this.kind.gvk);
        } catch (err) {
          this.expectations.deletionObservedOf(key, podKey(pod));
          if (!isNotFound(err)) throw err;
        }
      }));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /**
   * Pods selected by every ReplicaSet with the same controller as rs (all of one Deployment's), so a
   * shrinking ReplicaSet prefers pods on nodes crowded by its siblings. None without a controller.
   */
  private getIndirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const ref = getControllerOf(rs);
    if (!ref) return [];
    const seen = new Set<string>();
    const related: Pod[] = [];
    for (const other of this.rsLister.namespace(rs.metadata.namespace!).list()) {
      if (getControllerOf(other)?.uid !== ref.uid) continue;
      let selector: LabelSelectorMatcher;
      try { selector = this.kind.selectorOf(other); } catch { continue; }
      for (const pod of this.podLister.namespace(rs.metadata.namespace!).list(selector)) {
        if (seen.has(pod.metadata.uid!)) continue;
        seen.add(pod.metadata.uid!);
        related.push(pod);
      }
    }
    return related;
  }
}

function isNamespaceTerminating(err: unknown): boolean {
  const causes = (err as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes ?? [];
  return causes.some((c) => c.type === 'NamespaceTerminating');
}
