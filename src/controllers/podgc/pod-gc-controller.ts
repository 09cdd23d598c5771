// pod-garbage-collector (pkg/controller/podgc): every gcCheckPeriod (20 s) it
// - deletes the oldest terminated (Succeeded/Failed) pods beyond --terminated-pod-gc-threshold;
// - force-deletes pods bound to nodes that no longer exist, once the node has been missing for the
//   quarantine time (40 s) and a fresh GET confirms it is gone, after marking them Failed with the
//   DisruptionTarget condition (DeletionByPodGC, "PodGC: node no longer exists");
// - force-deletes terminating pods that were never scheduled.
// Only the quarantine start times live in memory; after a restart they begin again, as upstream.
import type { KObject } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { TimerHandle } from '../../client/clock.ts';
import { GVR } from '../../client/resources.ts';
import { DEFAULT_CONTROLLER_MANAGER_FLAGS } from '../../components/controller-manager/controller-flags.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { describeError } from '../framework/describe-error.ts';

type Obj = Record<string, any>;

export interface PodGCOptions {
  gcCheckPeriodMs?: number;
  quarantineMs?: number;
  terminatedPodThreshold?: number;
}

const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function isTerminated(pod: KObject): boolean {
  const phase = (pod.status as Obj)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function startPodGCController(ctx: ControllerContext, o: PodGCOptions = {}): RunningController {
  const period = o.gcCheckPeriodMs ?? 20_000;
  const quarantine = o.quarantineMs ?? 40_000;
  const threshold = o.terminatedPodThreshold ?? ctx.flags?.terminatedPodGCThreshold ?? DEFAULT_CONTROLLER_MANAGER_FLAGS.terminatedPodGCThreshold;
  const { clock, client } = ctx;
  const podInformer = ctx.informers.forResource(GVR.pods);
  const nodeInformer = ctx.informers.forResource(GVR.nodes);
  const pods = podInformer.lister();
  const nodes = nodeInformer.lister();
  /** Node name → when it was first seen missing while pods are bound to it. */
  const missingSince = new Map<string, number>();
  const abort = new AbortController();
  let timer: TimerHandle | undefined;
  let running: Promise<void> | undefined;

  const forceDelete = async (pod: KObject) => {
    try {
      await client.resource(GVR.pods).namespace(pod.metadata.namespace!).delete(pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  /** markFailedAndDeletePodWithCondition. */
  const markFailedAndDelete = async (pod: KObject, condition: Obj) => {
    if (!isTerminated(pod)) {
      const status: Obj = { ...(pod.status as Obj), phase: 'Failed' };
      const conditions: Obj[] = Array.isArray(status.conditions) ? status.conditions.filter((c: Obj) => c?.type !== condition.type) : [];
      status.conditions = [...conditions, { ...condition, lastProbeTime: null, lastTransitionTime: rfc3339(clock.now()) }];
      try {
        await client.resource(GVR.pods).namespace(pod.metadata.namespace!).updateStatus({ ...pod, status });
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    await forceDelete(pod);
  };

  const gcTerminated = async (all: readonly KObject[]) => {
    if (threshold <= 0) return;
    const terminated = all.filter(isTerminated);
    const excess = terminated.length - threshold;
    if (excess <= 0) return;
    ctx.log(`garbage collecting ${excess} pods`);
    const oldest = [...terminated].sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')).slice(0, excess);
    await Promise.all(oldest.map((p) => forceDelete(p)));
  };

  const gcOrphaned = async (all: readonly KObject[]) => {
    const now = clock.now();
    const missing = new Set<string>();
    for (const pod of all) {
      const nodeName = (pod.spec as Obj)?.nodeName as string | undefined;
      if (nodeName && !nodes.get(nodeName)) missing.add(nodeName);
    }
    for (const n of missingSince.keys()) if (!missing.has(n)) missingSince.delete(n);
    const deleted = new Set<string>();
    for (const n of missing) {
      const since = missingSince.get(n);
      if (since === undefined) {
        missingSince.set(n, now);
        continue;
      }
      if (now - since < quarantine) continue;
      try {
        await client.resource(GVR.nodes).get(n);
        missingSince.delete(n); // it exists after all; the cache was behind
      } catch (err) {
        if (isNotFound(err)) deleted.add(n);
        else throw err;
      }
    }
    for (const pod of all) {
      const nodeName = (pod.spec as Obj)?.nodeName as string | undefined;
      if (!nodeName || !deleted.has(nodeName)) continue;
      ctx.log(`Found orphaned Pod ${pod.metadata.namespace}/${pod.metadata.name} assigned to the Node ${nodeName}, deleting`);
      await markFailedAndDelete(pod, { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
    }
  };

  const gcUnscheduledTerminating = async (all: readonly KObject[]) => {
    await Promise.all(all.filter((p) => p.metadata.deletionTimestamp && !(p.spec as Obj)?.nodeName).map((p) => forceDelete(p)));
  };

  const gc = async () => {
    const all = pods.list();
    await gcTerminated(all);
    await gcOrphaned(all);
    await gcUnscheduledTerminating(all);
  };

  const loop = async () => {
    const synced = (await Promise.all([podInformer.whenSynced(abort.signal), nodeInformer.whenSynced(abort.signal)])).every(Boolean);
    if (!synced) return;
    const tick = () => {
      if (abort.signal.aborted) return;
      running = gc().catch((err) => ctx.log(`pod gc failed: ${describeError(err)}`)).finally(() => {
        if (!abort.signal.aborted) timer = clock.setTimeout(tick, period);
      });
    };
    tick();
  };
  void loop();
  return {
    stop: async () => {
      abort.abort();
      if (timer) clock.clearTimeout(timer);
      await running;
    },
  };
}

export const podGCController: ControllerDescriptor = {
  name: 'pod-garbage-collector',
  start: (ctx) => startPodGCController(ctx),
};
