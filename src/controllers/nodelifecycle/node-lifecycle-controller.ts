// node-lifecycle-controller (pkg/controller/nodelifecycle): watches kubelet heartbeats — Lease
// renewals in kube-node-lease and Ready heartbeats in node status — and when a node has been silent
// for the grace period, sets its conditions to Unknown, records NodeNotReady, marks its pods not
// ready; and keeps the not-ready/unreachable NoSchedule+NoExecute taints in line with its Ready
// condition. Heartbeats are timed by when this controller observed them (not by the timestamps
// written, so clock skew does not matter), as upstream; each node is looked at again exactly when
// its grace period would run out, through the work queue's single timer.
import type { KObject } from '../../apimachinery/types.ts';
import { isConflict, isNotFound } from '../../client/api-error.ts';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../../client/cache/index-funcs.ts';
import { objectOf, type DeletedFinalStateUnknown } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { GVR } from '../../client/resources.ts';
import { DEFAULT_CONTROLLER_MANAGER_FLAGS } from '../../components/controller-manager/controller-flags.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { readyCondition, reconcileReadinessTaints, rfc3339, unknownConditions } from './node-health.ts';

type Obj = Record<string, any>;

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  gracePeriodMs?: number;
}

interface Health {
  /** When this controller last saw the node heartbeat (ms, its own clock). */
  probeAt: number;
  leaseRenewTime?: string;
  readyHeartbeat?: string;
}

export function startNodeLifecycleController(ctx: ControllerContext, o: NodeLifecycleOptions = {}): RunningController {
  const grace = o.gracePeriodMs ?? ctx.flags?.nodeMonitorGracePeriodMs ?? DEFAULT_CONTROLLER_MANAGER_FLAGS.nodeMonitorGracePeriodMs;
  const { clock, client, recorder } = ctx;
  const nodeInformer = ctx.informers.forResource(GVR.nodes);
  const leaseInformer = ctx.informers.forResource(GVR.leases, { namespace: NODE_LEASE_NAMESPACE });
  const podInformer = ctx.informers.forResource(GVR.pods, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
  const nodes: Lister = nodeInformer.lister();
  const pods: Lister = podInformer.lister();
  const health = new Map<string, Health>();

  const observe = (name: string, lease?: string, beat?: string) => {
    const h = health.get(name);
    if (!h) {
      health.set(name, { probeAt: clock.now(), leaseRenewTime: lease, readyHeartbeat: beat });
      return;
    }
    if (lease !== undefined && lease !== h.leaseRenewTime) { h.leaseRenewTime = lease; h.probeAt = clock.now(); }
    if (beat !== undefined && beat !== h.readyHeartbeat) { h.readyHeartbeat = beat; h.probeAt = clock.now(); }
  };

  const controller = new Controller({
    name: 'node-lifecycle', reconcile: (name) => reconcile(name), workers: 1,
    caches: [nodeInformer, leaseInformer, podInformer], clock, log: ctx.log,
  });

  nodeInformer.addEventHandler({
    onAdd: (n) => { observe(n.metadata.name!, undefined, readyCondition(n)?.lastHeartbeatTime); controller.enqueue(n); },
    onUpdate: (_o, n) => { observe(n.metadata.name!, undefined, readyCondition(n)?.lastHeartbeatTime); controller.enqueue(n); },
    onDelete: (n) => { health.delete(objectOf(n as KObject | DeletedFinalStateUnknown).metadata.name!); },
  });
  const onLease = (l: KObject) => {
    const name = l.metadata.name!;
    observe(name, (l.spec as Obj)?.renewTime);
    if (nodes.get(name)) controller.enqueue(name);
  };
  leaseInformer.addEventHandler({ onAdd: onLease, onUpdate: (_o, l) => onLease(l) });

  async function reconcile(name: string): Promise<void> {
    const node = nodes.get(name);
    if (!node) return;
    if (!health.has(name)) observe(name);
    const h = health.get(name)!;
    const now = clock.now();
    const silentFor = now - h.probeAt;
    const api = client.resource(GVR.nodes);
    try {
      if (silentFor >= grace) {
        const conditions = unknownConditions(node, now);
        if (conditions) {
          const wasReady = readyCondition(node)?.status === 'True';
          await api.updateStatus({ ...node, status: { ...(node.status as Obj), conditions } });
          if (wasReady) recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
          return; // the update comes back through the informer for the taints
        }
      } else {
        controller.enqueueAfter(name, grace - silentFor);
      }
      if (readyCondition(node) && readyCondition(node)!.status !== 'True') await markPodsNotReady(node);
      const taints = reconcileReadinessTaints(node, now);
      if (taints) await api.update({ ...node, spec: { ...(node.spec as Obj), taints } });
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return;
      throw err;
    }
  }

  /** MarkPodsNotReady: the pods' Ready condition goes False, so Services stop sending them traffic. */
  async function markPodsNotReady(node: KObject): Promise<void> {
    let changedMeanwhile = false;
    for (const pod of pods.byIndex(NODE_NAME_INDEX, node.metadata.name!)) {
      const conditions: Obj[] = Array.isArray((pod.status as Obj)?.conditions) ? (pod.status as Obj).conditions : [];
      const i = conditions.findIndex((c) => c?.type === 'Ready');
      if (i < 0 || conditions[i]!.status === 'False') continue;
      const next = conditions.map((c, k) => (k === i ? { ...c, status: 'False', lastTransitionTime: rfc3339(clock.now()) } : c));
      try {
        await client.resource(GVR.pods).namespace(pod.metadata.namespace!).updateStatus({ ...pod, status: { ...(pod.status as Obj), conditions: next } });
        recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (isConflict(err)) changedMeanwhile = true;
        else if (!isNotFound(err)) throw err;
      }
    }
    if (changedMeanwhile) throw new Error(`pods on node ${node.metadata.name} changed while being marked not ready; retrying`);
  }

  void controller.run();
  return { stop: () => controller.stop() };
}

export const nodeLifecycleController: ControllerDescriptor = {
  name: 'node-lifecycle-controller',
  start: (ctx) => startNodeLifecycleController(ctx),
};
