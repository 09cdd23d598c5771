// The Deployment controller (pkg/controller/deployment): claims ReplicaSets by selector and owner
// reference, then per sync either only reports status (being deleted), scales (paused, or a
// changed spec.replicas), or takes one step of the RollingUpdate or Recreate rollout.
import type { LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import { deepCopy, type KObject, type OwnerReference } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { DeletedFinalStateUnknown, objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { ControllerRefManager, getControllerOf, recheckDeletionTimestamp } from '../framework/controller-ref.ts';
import type { Pod } from '../replicaset/types.ts';
import { rolloutRecreate } from './recreate.ts';
import { rolloutRolling } from './rolling.ts';
import { DEPLOYMENT_KIND, deployments, type DeploymentSyncContext } from './sync-context.ts';
import { checkPausedConditions, getAllReplicaSetsAndSyncRevision, isScalingEvent, sync, syncDeploymentStatus } from './sync.ts';
import type { Deployment, ReplicaSet } from './types.ts';

/** --concurrent-deployment-syncs default. */
const WORKERS = 5;
const RS_KIND = { group: 'apps', version: 'v1', kind: 'ReplicaSet' };

export class DeploymentController {
  readonly controller: Controller;
  private readonly dLister: Lister<Deployment>;
  private readonly rsLister: Lister<ReplicaSet>;
  private readonly podLister: Lister<Pod>;
  private readonly dc: DeploymentSyncContext;

  constructor(private readonly ctx: ControllerContext) {
    const dInformer = ctx.informers.forResource<Deployment>(GVR.deployments);
    const rsInformer = ctx.informers.forResource<ReplicaSet>(GVR.replicasets);
    const podInformer = ctx.informers.forResource<Pod>(GVR.pods);
    this.dLister = dInformer.lister();
    this.rsLister = rsInformer.lister();
    this.podLister = podInformer.lister();
    this.controller = new Controller({
      name: 'deployment', workers: WORKERS, clock: ctx.clock, log: ctx.log,
      caches: [dInformer, rsInformer, podInformer],
      reconcile: (key) => this.syncDeployment(key),
    });
    this.dc = {
      client: ctx.client, recorder: ctx.recorder, clock: ctx.clock, rsLister: this.rsLister,
      enqueueAfter: (d, ms) => this.controller.enqueueAfter(d, ms),
      enqueueRateLimited: (d) => this.controller.enqueueRateLimited(d),
    };
    dInformer.addEventHandler({
      onAdd: (d) => this.controller.enqueue(d),
      onUpdate: (_old, cur) => this.controller.enqueue(cur),
      onDelete: (d) => this.controller.enqueue(d as KObject | DeletedFinalStateUnknown),
    });
    rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (rs) => this.deleteReplicaSet(rs),
    });
    podInformer.addEventHandler({ onDelete: (pod) => this.deletePod(pod) });
  }

  run(): RunningController {
    void this.controller.run();
    return { stop: () => this.controller.stop() };
  }

  // --- event handlers -------------------------------------------------------------------------

  private resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== DEPLOYMENT_KIND.kind) return undefined;
    const d = this.dLister.namespace(namespace).get(ref.name);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose selector matches an orphan ReplicaSet. */
  private getDeploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    return this.dLister.namespace(rs.metadata.namespace ?? '').list().filter((d) => {
      try {
        const sel = labelSelectorAsMatcher(d.spec.selector);
        return !sel.empty && !sel.nothing && sel.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.controller.enqueue(d);
      return;
    }
    for (const d of this.getDeploymentsForReplicaSet(rs)) this.controller.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (d) this.controller.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (d) this.controller.enqueue(d);
      return;
    }
    const labelChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelChanged || refChanged) for (const d of this.getDeploymentsForReplicaSet(cur)) this.controller.enqueue(d);
  }

  private deleteReplicaSet(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = objectOf(obj);
    const ref = getControllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
    if (d) this.controller.enqueue(d);
  }

  /** Recreate waits for old pods to be gone: look again when the last one goes. */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    const rsRef = getControllerOf(pod);
    if (!rsRef || rsRef.kind !== RS_KIND.kind) return;
    const rs = this.rsLister.namespace(pod.metadata.namespace ?? '').get(rsRef.name);
    if (!rs || rs.metadata.uid !== rsRef.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolveControllerRef(rs.metadata.namespace ?? '', dRef);
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    const rsList = this.rsLister.namespace(d.metadata.namespace!).list().filter((r) => getControllerOf(r)?.uid === d.metadata.uid);
    const podMap = this.getPodMapForDeployment(d, rsList);
    let count = 0;
    for (const pods of podMap.values()) count += pods.length;
    if (count === 0) this.controller.enqueue(d);
  }

  // --- reconcile ------------------------------------------------------------------------------

  /** The ReplicaSets this Deployment owns after adopting matching orphans and releasing others. */
  private async getReplicaSetsForDeployment(d: Deployment, selector: LabelSelectorMatcher): Promise<ReplicaSet[]> {
    const all = this.rsLister.namespace(d.metadata.namespace!).list();
    const manager = new ControllerRefManager<ReplicaSet>({
      children: this.ctx.client.resource<ReplicaSet>(GVR.replicasets), controller: d, controllerKind: DEPLOYMENT_KIND, selector,
      canAdopt: recheckDeletionTimestamp(() => deployments(this.dc, d.metadata.namespace!).get(d.metadata.name!), d),
    });
    return manager.claim(all);
  }

  /** Pods grouped by the uid of the ReplicaSet (of rsList) that controls them. */
  private getPodMapForDeployment(d: Deployment, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>(rsList.map((rs) => [rs.metadata.uid!, []]));
    let selector: LabelSelectorMatcher;
    try { selector = labelSelectorAsMatcher(d.spec.selector); } catch { return map; }
    for (const pod of this.podLister.namespace(d.metadata.namespace!).list(selector)) {
      const ref = getControllerOf(pod);
      if (ref) map.get(ref.uid)?.push(pod);
    }
    return map;
  }

  async syncDeployment(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dLister.namespace(namespace).get(name);
    if (!cached) {
      this.ctx.log(`Deployment ${key} has been deleted`);
      return;
    }
    // The sync mutates its own copy, never the cache's object.
    const d = deepCopy(cached);
    let selector: LabelSelectorMatcher;
    try {
      selector = labelSelectorAsMatcher(d.spec.selector);
    } catch (err) {
      this.ctx.log(`invalid selector of deployment ${key}: ${(err as Error).message}`);
      return;
    }
    if (selector.empty) {
      this.ctx.recorder.event({ kind: 'Deployment', apiVersion: 'apps/v1', namespace, name, uid: d.metadata.uid }, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      return;
    }
    let rsList: ReplicaSet[];
    try {
      rsList = await this.getReplicaSetsForDeployment(d, selector);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const podMap = this.getPodMapForDeployment(d, rsList);

    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(this.dc, d, rsList, false);
      return syncDeploymentStatus(this.dc, [...oldRSs, newRS], newRS, d);
    }
    await checkPausedConditions(this.dc, d);
    if (d.spec.paused) return sync(this.dc, d, rsList);
    if (await isScalingEvent(this.dc, d, rsList)) return sync(this.dc, d, rsList);
    if (d.spec.strategy?.type === 'Recreate') return rolloutRecreate(this.dc, d, rsList, podMap);
    return rolloutRolling(this.dc, d, rsList);
  }
}

export const deploymentControllerDescriptor: ControllerDescriptor = {
  name: 'deployment-controller',
  start: (ctx) => new DeploymentController(ctx).run(),
};
