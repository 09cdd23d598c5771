// taint-eviction-controller (upstream's NoExecuteTaintManager, split out of the node lifecycle
// controller in 1.29): a pod on a node with NoExecute taints it does not tolerate is deleted at
// once; one that tolerates them for tolerationSeconds is deleted when that time has passed since
// the taint was added. Before deleting, the pod gets the DisruptionTarget condition, as upstream.
// The waits are work-queue delays (one timer), and the start time is the taint's timeAdded, so a
// restarted controller keeps the deadlines.
import type { KObject } from '../../apimachinery/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../../client/cache/index-funcs.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { rfc3339 } from './node-health.ts';
import { minTolerationSeconds, taintsOf, tolerationsOf, usedTolerations } from './taints.ts';

type Obj = Record<string, any>;

function noExecuteTaints(node: KObject | undefined) {
  return node ? taintsOf(node).filter((t) => t.effect === 'NoExecute') : [];
}

export function startTaintEvictionController(ctx: ControllerContext): RunningController {
  const { clock, client, recorder } = ctx;
  const nodeInformer = ctx.informers.forResource(GVR.nodes);
  const podInformer = ctx.informers.forResource(GVR.pods, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
  const nodes = nodeInformer.lister();
  const pods = podInformer.lister();

  const controller = new Controller({
    name: 'taint-eviction', reconcile: (key) => reconcile(key), workers: 4,
    caches: [nodeInformer, podInformer], clock, log: ctx.log,
  });

  const enqueuePodsOf = (nodeName: string) => {
    for (const pod of pods.byIndex(NODE_NAME_INDEX, nodeName)) controller.enqueue(pod);
  };
  nodeInformer.addEventHandler({
    onAdd: (n) => { if (noExecuteTaints(n).length > 0) enqueuePodsOf(n.metadata.name!); },
    onUpdate: (old, n) => {
      if (JSON.stringify(noExecuteTaints(old)) !== JSON.stringify(noExecuteTaints(n))) enqueuePodsOf(n.metadata.name!);
    },
  });
  const onPod = (pod: KObject) => {
    const nodeName = (pod.spec as Obj)?.nodeName;
    if (nodeName && noExecuteTaints(nodes.get(nodeName)).length > 0) controller.enqueue(pod);
  };
  podInformer.addEventHandler({
    onAdd: onPod,
    onUpdate: (old, pod) => {
      // Only binding and toleration changes matter (tolerations may be added to a running pod).
      if ((old.spec as Obj)?.nodeName !== (pod.spec as Obj)?.nodeName || JSON.stringify(tolerationsOf(old)) !== JSON.stringify(tolerationsOf(pod))) onPod(pod);
    },
  });

  async function reconcile(key: string): Promise<void> {
    const pod = pods.get(key);
    if (!pod || pod.metadata.deletionTimestamp) return;
    const nodeName = (pod.spec as Obj)?.nodeName;
    if (!nodeName) return;
    const taints = noExecuteTaints(nodes.get(nodeName));
    if (taints.length === 0) return;
    const used = usedTolerations(tolerationsOf(pod), taints);
    const now = clock.now();
    if (used) {
      const seconds = minTolerationSeconds(used);
      if (seconds < 0) return; // tolerated for ever
      const since = Math.min(...taints.map((t) => Date.parse(t.timeAdded ?? '') || now));
      const due = since + seconds * 1000;
      if (now < due) {
        controller.enqueueAfter(key, due - now);
        return;
      }
    }
    await evict(pod);
  }

  async function evict(pod: KObject): Promise<void> {
    const name = `${pod.metadata.namespace}/${pod.metadata.name}`;
    recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${name}`);
    const api = client.resource(GVR.pods).namespace(pod.metadata.namespace!);
    try {
      const status: Obj = { ...(pod.status as Obj) };
      const conditions: Obj[] = Array.isArray(status.conditions) ? status.conditions.filter((c: Obj) => c?.type !== 'DisruptionTarget') : [];
      conditions.push({
        type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint', lastProbeTime: null, lastTransitionTime: rfc3339(clock.now()),
      });
      await api.updateStatus({ ...pod, status: { ...status, conditions } });
      await api.delete(pod.metadata.name!, { preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) throw new Error(`pod ${name} changed while being evicted; retrying`);
      throw err;
    }
  }

  void controller.run();
  return { stop: () => controller.stop() };
}

export const taintEvictionController: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  start: (ctx) => startTaintEvictionController(ctx),
};
