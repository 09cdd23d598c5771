// The StatefulSet controller ("statefulset-controller"): informers on StatefulSets, pods,
// ControllerRevisions and PVCs; pod events are routed to the set that controls the pod (or, for
// orphans, every set whose selector matches, so it can adopt them); reconcile claims the set's pods
// and hands them to StatefulSetControl.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import type { KObject, OwnerReference } from '../../apimachinery/types.ts';
import { DeletedFinalStateUnknown, objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { ControllerRefManager, getControllerOf, recheckDeletionTimestamp } from '../framework/controller-ref.ts';
import { ControllerHistory, type ControllerRevision } from '../history/controller-history.ts';
import type { Pod } from './pod-state.ts';
import { StatefulPodControl } from './stateful-pod-control.ts';
import { StatefulSetControl } from './stateful-set-control.ts';
import { CONTROLLER_KIND, isMemberOf, type StatefulSet } from './stateful-set-utils.ts';

export const STATEFULSET_CONTROLLER_NAME = 'statefulset-controller';

/** --concurrent-statefulset-syncs default. */
const WORKERS = 5;

export function startStatefulSetController(ctx: ControllerContext): RunningController {
  const setInformer = ctx.informers.forResource<StatefulSet>(GVR.statefulsets);
  const podInformer = ctx.informers.forResource<Pod>(GVR.pods);
  const revisionInformer = ctx.informers.forResource<ControllerRevision>(GVR.controllerrevisions);
  const pvcInformer = ctx.informers.forResource(GVR.persistentvolumeclaims);
  const sets = setInformer.lister();
  const pods = podInformer.lister();
  const history = new ControllerHistory(ctx.client, revisionInformer.lister());
  const podControl = new StatefulPodControl(ctx.client, pods, pvcInformer.lister(), ctx.recorder);
  const control = new StatefulSetControl(ctx.client, podControl, history, ctx.clock);

  const controller = new Controller({
    name: 'statefulset', workers: WORKERS, clock: ctx.clock, log: ctx.log,
    caches: [setInformer, podInformer, revisionInformer, pvcInformer],
    reconcile: (key) => sync(key),
  });

  const resolveControllerRef = (namespace: string, ref: OwnerReference): StatefulSet | undefined => {
    if (ref.kind !== CONTROLLER_KIND.kind) return undefined;
    const set = sets.get(`${namespace}/${ref.name}`);
    return set && set.metadata.uid === ref.uid ? set : undefined;
  };
  /** Sets whose selector matches an orphan pod (they may adopt it). */
  const setsSelecting = (pod: Pod): StatefulSet[] => sets.namespace(pod.metadata.namespace!).list().filter((s) => {
    try {
      const sel = labelSelectorAsMatcher(s.spec.selector as never);
      return !sel.empty && sel.matches(pod.metadata.labels);
    } catch {
      return false;
    }
  });
  const enqueueForPod = (pod: Pod) => {
    const ref = getControllerOf(pod);
    if (ref) {
      const set = resolveControllerRef(pod.metadata.namespace!, ref);
      if (set) controller.enqueue(set);
      return;
    }
    for (const s of setsSelecting(pod)) controller.enqueue(s);
  };

  setInformer.addEventHandler({
    onAdd: (s) => controller.enqueue(s),
    onUpdate: (_old, s) => controller.enqueue(s),
    onDelete: (s) => controller.enqueue(s),
  });
  podInformer.addEventHandler({
    onAdd: (pod) => enqueueForPod(pod),
    onUpdate: (old, pod) => {
      if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
      const oldRef = getControllerOf(old);
      const ref = getControllerOf(pod);
      if (oldRef && oldRef.uid !== ref?.uid) {
        const oldSet = resolveControllerRef(old.metadata.namespace!, oldRef);
        if (oldSet) controller.enqueue(oldSet);
      }
      enqueueForPod(pod);
    },
    onDelete: (obj) => {
      const pod = objectOf(obj as Pod | DeletedFinalStateUnknown<Pod>);
      const ref = getControllerOf(pod);
      const set = ref && resolveControllerRef(pod.metadata.namespace!, ref);
      if (set) controller.enqueue(set);
    },
  });

  async function sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const set = sets.get(key);
    if (!set) return; // deleted: its pods and revisions are the garbage collector's
    let selector;
    try {
      selector = labelSelectorAsMatcher(set.spec.selector as never);
    } catch (err) {
      ctx.log(`error converting StatefulSet ${key} selector: ${(err as Error).message}`);
      return; // not retried: only a spec change can fix it
    }
    const setClient = ctx.client.resource<StatefulSet>(GVR.statefulsets).namespace(namespace);
    const canAdopt = recheckDeletionTimestamp(() => setClient.get(name), set);
    await adoptOrphanRevisions(set, canAdopt);
    const claimed = await getPodsForStatefulSet(set, selector, canAdopt, pods);
    const status = await control.updateStatefulSet(set, claimed);
    // A pod becomes available minReadySeconds after it is ready: look again then.
    const minReady = set.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.readyReplicas ?? 0) !== status.availableReplicas) controller.enqueueAfter(key, minReady * 1000);
  }

  async function adoptOrphanRevisions(set: StatefulSet, canAdopt: () => Promise<void>): Promise<void> {
    const orphans = control.listRevisions(set).filter((r) => !getControllerOf(r));
    if (orphans.length === 0) return;
    await canAdopt();
    for (const r of orphans) await history.adoptControllerRevision(set, CONTROLLER_KIND, r);
  }

  /** Pods this set owns after adopting matching orphans named like members and releasing non-matching ones. */
  async function getPodsForStatefulSet(set: StatefulSet, selector: ReturnType<typeof labelSelectorAsMatcher>, canAdopt: () => Promise<void>, lister: Lister<Pod>): Promise<Pod[]> {
    const all = lister.namespace(set.metadata.namespace!).list();
    const manager = new ControllerRefManager<Pod>({
      children: ctx.client.resource<Pod>(GVR.pods), controller: set, controllerKind: CONTROLLER_KIND, selector, canAdopt,
    });
    return manager.claim([...all], (pod: KObject) => isMemberOf(set, pod));
  }

  void controller.run();
  return { stop: () => controller.stop() };
}

export const statefulSetControllerDescriptor: ControllerDescriptor = {
  name: STATEFULSET_CONTROLLER_NAME,
  start: startStatefulSetController,
};
