// The DaemonSet controller ("daemonset-controller", upstream's daemon_controller.go): one daemon
// pod per eligible node. Pods are not bound here: each gets the required node affinity
// `metadata.name In [node]` and the default scheduler binds it, as upstream since 1.12. Nodes
// joining, changing labels or taints, and leaving, pods and ControllerRevisions all requeue the
// DaemonSets they concern; reconcile keeps history, creates and deletes pods (with expectations),
// rolls updates and writes status.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import type { KObject, OwnerReference } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/api-error.ts';
import { objectOf, splitMetaNamespaceKey, type DeletedFinalStateUnknown } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import type { Node } from '../../scheduler/types.ts';
import { Controller } from '../framework/controller.ts';
import { ControllerRefManager, getControllerOf, newControllerRef, recheckDeletionTimestamp } from '../framework/controller-ref.ts';
import { ControllerExpectations } from '../framework/expectations.ts';
import type { ControllerRevision } from '../history/controller-history.ts';
import { PodControl, objectRef } from '../replicaset/pod-control.ts';
import { slowStartBatch, SLOW_START_INITIAL_BATCH_SIZE } from '../replicaset/slow-start.ts';
import { isTerminating, msUntilAvailable, type Pod } from '../statefulset/pod-state.ts';
import {
  DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY, createPodTemplate, getTargetNodeName, getTemplateGeneration,
  replaceDaemonSetPodNodeNameNodeAffinity, type DaemonSet,
} from './daemon-pod.ts';
import { DAEMONSET_KIND, DaemonSetHistory } from './daemonset-history.ts';
import { planRollingUpdate } from './daemonset-rolling-update.ts';
import { byCreationTimestampAndPhase, computeDaemonSetStatus, type DaemonSetStatus } from './daemonset-status.ts';
import { nodeShouldRunDaemonPod, type NodeVerdict } from './node-eligibility.ts';

export const DAEMONSET_CONTROLLER_NAME = 'daemonset-controller';

/** --concurrent-daemonset-syncs default; BurstReplicas caps creates/deletes per sync. */
const WORKERS = 2;
const BURST_REPLICAS = 250;
/** Failed daemon pods are replaced with back-off per node: 1 s doubling to 15 min (failedPodsBackoff). */
const FAILED_POD_BACKOFF_INITIAL_MS = 1000;
const FAILED_POD_BACKOFF_MAX_MS = 15 * 60 * 1000;

export function startDaemonSetController(ctx: ControllerContext): RunningController {
  const dsInformer = ctx.informers.forResource<DaemonSet>(GVR.daemonsets);
  const podInformer = ctx.informers.forResource<Pod>(GVR.pods);
  const nodeInformer = ctx.informers.forResource<Node>(GVR.nodes);
  const revisionInformer = ctx.informers.forResource<ControllerRevision>(GVR.controllerrevisions);
  const daemonSets = dsInformer.lister();
  const pods = podInformer.lister();
  const nodes = nodeInformer.lister();
  const history = new DaemonSetHistory(ctx.client, revisionInformer.lister());
  const podControl = new PodControl(ctx.client, ctx.recorder);
  const expectations = new ControllerExpectations(ctx.clock);
  const failedPodsBackoff = new Map<string, { delayMs: number; until: number }>();

  const controller = new Controller({
    name: 'daemonset', workers: WORKERS, clock: ctx.clock, log: ctx.log,
    caches: [dsInformer, podInformer, nodeInformer, revisionInformer],
    reconcile: (key) => syncDaemonSet(key),
  });

  const selectorOf = (ds: DaemonSet) => {
    try {
      return labelSelectorAsMatcher(ds.spec.selector as never);
    } catch {
      return undefined;
    }
  };
  const resolveControllerRef = (namespace: string, ref: OwnerReference): DaemonSet | undefined => {
    if (ref.kind !== DAEMONSET_KIND.kind) return undefined;
    const ds = daemonSets.get(`${namespace}/${ref.name}`);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  };
  /** DaemonSets whose selector matches an orphan (they may adopt it). */
  const daemonSetsSelecting = (obj: KObject) => daemonSets.namespace(obj.metadata.namespace!).list().filter((ds) => {
    const sel = selectorOf(ds);
    return sel !== undefined && !sel.empty && sel.matches(obj.metadata.labels);
  });
  const enqueueOwnerOrSelecting = (obj: KObject, onOwner?: (ds: DaemonSet) => void) => {
    const ref = getControllerOf(obj);
    if (ref) {
      const ds = resolveControllerRef(obj.metadata.namespace!, ref);
      if (ds) {
        onOwner?.(ds);
        controller.enqueue(ds);
      }
      return;
    }
    for (const ds of daemonSetsSelecting(obj)) controller.enqueue(ds);
  };
  const keyOf = (ds: KObject) => `${ds.metadata.namespace}/${ds.metadata.name}`;

  dsInformer.addEventHandler({
    onAdd: (ds) => controller.enqueue(ds),
    onUpdate: (_o, ds) => controller.enqueue(ds),
    onDelete: (obj) => {
      const ds = objectOf(obj as DaemonSet | DeletedFinalStateUnknown<DaemonSet>);
      expectations.deleteExpectations(keyOf(ds));
      controller.enqueue(ds);
    },
  });
  podInformer.addEventHandler({
    onAdd: (pod) => {
      if (isTerminating(pod)) return deletePod(pod);
      enqueueOwnerOrSelecting(pod, (ds) => expectations.creationObserved(keyOf(ds)));
    },
    onUpdate: (old, pod) => {
      if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      const oldRef = getControllerOf(old);
      const ref = getControllerOf(pod);
      if (oldRef && oldRef.uid !== ref?.uid) {
        const oldDs = resolveControllerRef(old.metadata.namespace!, oldRef);
        if (oldDs) controller.enqueue(oldDs);
      }
      if (ref) return enqueueOwnerOrSelecting(pod);
      const changed = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {}) || oldRef !== undefined;
      if (changed) enqueueOwnerOrSelecting(pod);
    },
    onDelete: (obj) => deletePod(objectOf(obj as Pod | DeletedFinalStateUnknown<Pod>)),
  });
  function deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    const ds = ref && resolveControllerRef(pod.metadata.namespace!, ref);
    if (!ds) return;
    expectations.deletionObserved(keyOf(ds));
    controller.enqueue(ds);
  }
  revisionInformer.addEventHandler({
    onAdd: (r) => enqueueOwnerOrSelecting(r),
    onUpdate: (old, r) => { if (old.metadata.resourceVersion !== r.metadata.resourceVersion) enqueueOwnerOrSelecting(r); },
    onDelete: (obj) => {
      const r = objectOf(obj as ControllerRevision | DeletedFinalStateUnknown<ControllerRevision>);
      const ref = getControllerOf(r);
      const ds = ref && resolveControllerRef(r.metadata.namespace!, ref);
      if (ds) controller.enqueue(ds);
    },
  });
  // Nodes: a new node gets pods from every DaemonSet that should run there; a change of labels,
  // taints or unschedulable requeues the DaemonSets whose verdict for it changed; a deleted node
  // changes every DaemonSet's counts.
  const sameVerdict = (a: NodeVerdict, b: NodeVerdict) => a.shouldRun === b.shouldRun && a.shouldContinueRunning === b.shouldContinueRunning;
  nodeInformer.addEventHandler({
    onAdd: (node) => {
      for (const ds of daemonSets.list()) if (nodeShouldRunDaemonPod(node, ds).shouldRun) controller.enqueue(ds);
    },
    onUpdate: (old, node) => {
      const relevant = (n: Node) => JSON.stringify([n.metadata.labels ?? {}, (n.spec as Record<string, unknown> | undefined) ?? {}]);
      if (relevant(old) === relevant(node)) return; // heartbeats and status only
      for (const ds of daemonSets.list()) {
        if (!sameVerdict(nodeShouldRunDaemonPod(old, ds), nodeShouldRunDaemonPod(node, ds))) controller.enqueue(ds);
      }
    },
    onDelete: () => {
      for (const ds of daemonSets.list()) controller.enqueue(ds);
    },
  });

  /** Claimed daemon pods by the node they are for (bound node, or affinity pin when unbound). */
  async function getNodesToDaemonPods(ds: DaemonSet, canAdopt: () => Promise<void>): Promise<{ claimed: Pod[]; byNode: Map<string, Pod[]> }> {
    const manager = new ControllerRefManager<Pod>({
      children: ctx.client.resource<Pod>(GVR.pods), controller: ds, controllerKind: DAEMONSET_KIND,
      selector: labelSelectorAsMatcher(ds.spec.selector as never), canAdopt,
    });
    const claimed = await manager.claim([...pods.namespace(ds.metadata.namespace!).list()]);
    const byNode = new Map<string, Pod[]>();
    for (const pod of claimed) {
      const node = getTargetNodeName(pod);
      if (!node) continue;
      const list = byNode.get(node);
      if (list) list.push(pod);
      else byNode.set(node, [pod]);
    }
    return { claimed, byNode };
  }

  /** podsShouldBeOnNode: whether the node needs a pod, and which of its pods must go. */
  function podsShouldBeOnNode(node: Node, byNode: Map<string, Pod[]>, ds: DaemonSet, dsKey: string, hash: string): { needsPod: boolean; toDelete: string[] } {
    const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
    const daemonPods = byNode.get(node.metadata.name!);
    const toDelete: string[] = [];
    if (shouldRun && !daemonPods) return { needsPod: true, toDelete };
    if (!daemonPods) return { needsPod: false, toDelete };
    if (!shouldContinueRunning) {
      for (const pod of daemonPods) if (!isTerminating(pod)) toDelete.push(pod.metadata.name!);
      return { needsPod: false, toDelete };
    }
    const running: Pod[] = [];
    for (const pod of daemonPods) {
      if (isTerminating(pod)) continue;
      if (pod.status?.phase === 'Failed') {
        // Replace a failed pod, but back off per node so a pod failing at once cannot hot-loop.
        const backoffKey = `${dsKey}/${node.metadata.name}`;
        const now = ctx.clock.now();
        const b = failedPodsBackoff.get(backoffKey);
        if (b && now < b.until) {
          controller.enqueueAfter(dsKey, b.until - now);
          continue;
        }
        const delayMs = b ? Math.min(b.delayMs * 2, FAILED_POD_BACKOFF_MAX_MS) : FAILED_POD_BACKOFF_INITIAL_MS;
        failedPodsBackoff.set(backoffKey, { delayMs, until: now + delayMs });
        ctx.recorder.eventf(objectRef(ds, DAEMONSET_KIND), 'Warning', 'FailedDaemonPod', 'Found failed daemon pod %s/%s on node %s, will try to kill it', pod.metadata.namespace, pod.metadata.name, node.metadata.name);
        toDelete.push(pod.metadata.name!);
      } else if (pod.status?.phase === 'Succeeded') {
        // A daemon pod that exited is replaced right away.
        toDelete.push(pod.metadata.name!);
      } else {
        running.push(pod);
      }
    }
    if (running.length <= 1) return { needsPod: false, toDelete };
    running.sort(byCreationTimestampAndPhase);
    const surge = Boolean(ds.spec.updateStrategy?.type === 'RollingUpdate' && ds.spec.updateStrategy.rollingUpdate?.maxSurge);
    if (!surge) {
      // More than one: keep the oldest.
      for (const pod of running.slice(1)) toDelete.push(pod.metadata.name!);
      return { needsPod: false, toDelete };
    }
    // With surge, one updated and one old pod may share the node; any further ones go.
    const seen = new Set<string>();
    for (const pod of running) {
      const kind = pod.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] ?? '';
      const group = kind === hash ? 'new' : 'old';
      if (seen.has(group)) toDelete.push(pod.metadata.name!);
      else seen.add(group);
    }
    return { needsPod: false, toDelete };
  }

  /** syncNodes: create pods on nodes (pinned by affinity) and delete pods, under expectations. */
  async function syncNodes(ds: DaemonSet, dsKey: string, podsToDelete: string[], nodesNeedingPods: string[], hash: string): Promise<void> {
    const creates = nodesNeedingPods.slice(0, BURST_REPLICAS);
    const deletes = podsToDelete.slice(0, BURST_REPLICAS);
    expectations.setExpectations(dsKey, creates.length, deletes.length);
    const template = createPodTemplate(ds.spec.template, getTemplateGeneration(ds), hash);
    const ref = newControllerRef(ds, DAEMONSET_KIND);
    const errors: unknown[] = [];
    let next = 0;
    const { error } = await slowStartBatch(creates.length, SLOW_START_INITIAL_BATCH_SIZE, async () => {
      const node = creates[next++]!;
      const podTemplate = deepCopy(template);
      podTemplate.spec.affinity = replaceDaemonSetPodNodeNameNodeAffinity(podTemplate.spec.affinity, node);
      try {
        await podControl.createPod(ds.metadata.namespace!, podTemplate, ds, DAEMONSET_KIND, ref);
      } catch (err) {
        // A create that failed will never be observed.
        expectations.creationObserved(dsKey);
        if (!isAlreadyExists(err)) throw err;
      }
    });
    if (error) {
      errors.push(error);
      // The creates never attempted will not be observed either.
      const skipped = creates.length - next;
      for (let i = 0; i < skipped; i++) expectations.creationObserved(dsKey);
    }
    await Promise.all(deletes.map(async (name) => {
      try {
        await podControl.deletePod(ds.metadata.namespace!, name, ds, DAEMONSET_KIND);
      } catch (err) {
        expectations.deletionObserved(dsKey);
        if (!isNotFound(err)) errors.push(err);
      }
    }));
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => (e as Error).message).join('; '));
  }

  async function syncDaemonSet(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = daemonSets.get(key);
    if (!cached) {
      expectations.deleteExpectations(key);
      return;
    }
    const ds = deepCopy(cached);
    const selector = selectorOf(ds);
    if (!selector || selector.empty) {
      ctx.recorder.event(objectRef(ds, DAEMONSET_KIND), 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const nodeList = [...nodes.list()];
    const dsClient = ctx.client.resource<DaemonSet>(GVR.daemonsets).namespace(namespace);
    const canAdopt = recheckDeletionTimestamp(() => dsClient.get(name), ds);
    const { claimed, byNode } = await getNodesToDaemonPods(ds, canAdopt);
    const { cur, old } = await history.constructHistory(ds, canAdopt, (from, to) => relabelPods(claimed, from, to));
    const hash = cur.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] ?? '';

    if (!expectations.satisfiedExpectations(key)) {
      await updateDaemonSetStatus(ds, nodeList, byNode, hash, false);
      return;
    }

    // manage: a pod on each node that needs one, none where there should be none.
    const nodesNeedingPods: string[] = [];
    const podsToDelete: string[] = [];
    const nodeNames = new Set(nodeList.map((n) => n.metadata.name!));
    for (const node of nodeList) {
      const r = podsShouldBeOnNode(node, byNode, ds, key, hash);
      if (r.needsPod) nodesNeedingPods.push(node.metadata.name!);
      podsToDelete.push(...r.toDelete);
    }
    // Unscheduled pods pinned to nodes that no longer exist (bound ones are PodGC's).
    for (const [node, list] of byNode) {
      if (nodeNames.has(node)) continue;
      for (const pod of list) if (!pod.spec?.nodeName && !isTerminating(pod)) podsToDelete.push(pod.metadata.name!);
    }
    await syncNodes(ds, key, podsToDelete, nodesNeedingPods, hash);

    if (expectations.satisfiedExpectations(key) && ds.spec.updateStrategy?.type === 'RollingUpdate') {
      const desired = nodeList.filter((n) => nodeShouldRunDaemonPod(n, ds).shouldRun).length;
      const plan = planRollingUpdate(ds, byNode, desired, hash, ctx.clock.now());
      if (plan.podsToDelete.length || plan.nodesNeedingPods.length) await syncNodes(ds, key, plan.podsToDelete, plan.nodesNeedingPods, hash);
    }
    await history.cleanupHistory(ds, old, claimed);
    await updateDaemonSetStatus(ds, nodeList, byNode, hash, true);
  }

  /** Pods of a duplicate revision get the kept revision's hash (dedupCurHistories). */
  async function relabelPods(claimed: Pod[], fromHash: string, toHash: string): Promise<void> {
    for (const pod of claimed) {
      if (pod.metadata.labels?.[DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY] !== fromHash) continue;
      await ctx.client.resource<Pod>(GVR.pods).namespace(pod.metadata.namespace!).patch(pod.metadata.name!, {
        metadata: { labels: { [DEFAULT_DAEMON_SET_UNIQUE_LABEL_KEY]: toHash }, resourceVersion: pod.metadata.resourceVersion },
      }, 'merge');
    }
  }

  async function updateDaemonSetStatus(ds: DaemonSet, nodeList: Node[], byNode: Map<string, Pod[]>, hash: string, updateObservedGeneration: boolean): Promise<void> {
    const now = ctx.clock.now();
    const status = computeDaemonSetStatus(ds, nodeList, byNode, hash, now, updateObservedGeneration);
    await storeDaemonSetStatus(ds, status);
    // Pods become available minReadySeconds after turning ready: look again then.
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== (status.numberAvailable ?? 0)) {
      const waits = [...byNode.values()].flat().map((p) => msUntilAvailable(p, minReady, now)).filter((ms) => ms > 0);
      controller.enqueueAfter(keyOf(ds), waits.length ? Math.min(...waits) + 1 : minReady * 1000);
    }
  }

  async function storeDaemonSetStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    const same = (a: object | undefined, b: object) => JSON.stringify(canonicalStatus(a)) === JSON.stringify(canonicalStatus(b));
    if (same(ds.status, status)) return;
    const client = ctx.client.resource<DaemonSet>(GVR.daemonsets).namespace(ds.metadata.namespace!);
    let target = deepCopy(ds);
    for (let attempt = 0; ; attempt++) {
      target.status = { ...status };
      try {
        await client.updateStatus(target);
        return;
      } catch (err) {
        if (!isConflict(err) || attempt >= 4) throw err;
        target = await client.get(ds.metadata.name!);
      }
    }
  }

  void controller.run();
  return { stop: () => controller.stop() };
}

function canonicalStatus(s: object | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s ?? {}).sort(([a], [b]) => a.localeCompare(b))) if (v !== undefined && v !== 0) out[k] = v;
  return out;
}

export const daemonSetControllerDescriptor: ControllerDescriptor = {
  name: DAEMONSET_CONTROLLER_NAME,
  start: startDaemonSetController,
};
