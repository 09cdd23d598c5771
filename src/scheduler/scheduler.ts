// kube-scheduler's loop as a client of the API: informers feed the cache (nodes, bound pods) and the
// queue (pending pods of schedulerName default-scheduler); scheduleOne pops the most important
// pod, picks a node synchronously against the cache, assumes the pod there and binds it through
// pods/binding in the background, so the next pod is scheduled without waiting for the bind. A pod
// that fits nowhere gets PodScheduled=False/Unschedulable with upstream's message, a
// FailedScheduling event and, when preempting lower-priority pods helps, a nominatedNodeName.
import type { KObject } from '../apimachinery/types.ts';
import { objectOf, type DeletedFinalStateUnknown } from '../client/cache/keys.ts';
import type { Lister } from '../client/cache/lister.ts';
import { isConflict, isNotFound } from '../client/api-error.ts';
import { realClock, type Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { SharedInformerFactory } from '../client/cache/informer-factory.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { describeError } from '../controllers/framework/describe-error.ts';
import { SchedulerCache } from './cache.ts';
import { Framework, type Handle, type Profile } from './framework.ts';
import { NO_NODES_AVAILABLE, fitErrorMessage } from './fit-error.ts';
import type { PodInfo } from './node-info.ts';
import { defaultProfile } from './plugins/index.ts';
import { preempt } from './preemption.ts';
import { SchedulingQueue, type QueuedPodInfo } from './queue.ts';
import { PodScheduler } from './schedule-pod.ts';
import { DEFAULT_SCHEDULER_NAME, isTerminated, podKey, type Node, type Pod, type PodCondition } from './types.ts';

export interface SchedulerDeps {
  client: KubeClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  clock?: Clock;
  log?: (message: string) => void;
  profile?: Profile;
  random?: () => number;
}

const assigned = (p: Pod) => !!p.spec?.nodeName;
const responsible = (p: Pod) => (p.spec?.schedulerName || DEFAULT_SCHEDULER_NAME) === DEFAULT_SCHEDULER_NAME;
const rfc3339 = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

interface Failure {
  message: string;
  reason: 'Unschedulable' | 'SchedulerError';
  /** Plugins whose rejection this was (decides which cluster events retry the pod). */
  plugins: Set<string>;
  /** undefined: leave nominatedNodeName; '' clears it; a name sets it. */
  nominatedNode?: string;
  error?: boolean;
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly framework: Framework;
  private readonly podScheduler: PodScheduler;
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly podLister: Lister<Pod>;
  private readonly nsLister: Lister<KObject>;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  /** Pods bound so far (for logs and tests). */
  scheduledCount = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.clock = deps.clock ?? realClock;
    this.log = deps.log ?? (() => {});
    this.queue = new SchedulingQueue(this.clock);
    const handle: Handle = {
      nodeInfos: () => this.cache.nodeInfos(),
      getNodeInfo: (n) => this.cache.getNodeInfo(n),
      namespaceLabels: (ns) => this.nsLister.get(ns)?.metadata.labels,
    };
    this.framework = new Framework(deps.profile ?? defaultProfile(), handle);
    this.podScheduler = new PodScheduler(this.framework, deps.random);
    const pods = deps.informers.forResource<Pod>(GVR.pods);
    const nodes = deps.informers.forResource<Node>(GVR.nodes);
    const namespaces = deps.informers.forResource(GVR.namespaces);
    this.podLister = pods.lister();
    this.nsLister = namespaces.lister();
    pods.addEventHandler({
      onAdd: (p) => this.onPodAdd(p),
      onUpdate: (o, p) => this.onPodUpdate(o, p),
      onDelete: (p) => this.onPodDelete(p),
    });
    nodes.addEventHandler({
      onAdd: (n) => { this.cache.addNode(n); this.queue.moveAllToActiveOrBackoffQueue('NodeAdd'); },
      onUpdate: (o, n) => {
        this.cache.updateNode(n);
        if (nodeSchedulingPropertiesChanged(o, n)) this.queue.moveAllToActiveOrBackoffQueue('NodeUpdate');
      },
      onDelete: (n) => this.cache.removeNode(objectOf(n)),
    });
  }

  /** Starts the loop once the informers have synced (they are started by the caller). */
  start(): void {
    this.queue.run();
    this.loop = (async () => {
      if (!(await this.deps.informers.waitForCacheSync())) return;
      this.log(`scheduling (${this.cache.nodeCount()} nodes, ${this.queue.stats().active} pending pods)`);
      while (!this.stopped) {
        const q = await this.queue.pop();
        if (!q) break;
        try {
          this.scheduleOne(q);
        } catch (err) {
          this.log(`scheduling ${q.pi.key} failed: ${describeError(err)}`);
          this.queue.addUnschedulableIfNotPresent(q, this.queue.cycle, true);
        }
        // Let informer events and bind answers in between pods.
        await new Promise<void>((r) => setImmediate(r));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.queue.close();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
  }

  // --- informer handlers ---------------------------------------------------------------------

  private onPodAdd(pod: Pod): void {
    if (isTerminated(pod)) return;
    if (assigned(pod)) {
      this.cache.addPod(pod);
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
    } else if (responsible(pod)) {
      this.queue.add(pod);
    }
  }

  private onPodUpdate(old: Pod, pod: Pod): void {
    if (old.metadata.resourceVersion === pod.metadata.resourceVersion) return;
    if (assigned(pod)) {
      if (!assigned(old)) this.queue.delete(pod);
      if (isTerminated(pod)) {
        // A finished pod holds nothing: as if deleted (upstream's informer filter drops it).
        if (!isTerminated(old) || this.cache.nodeOf(podKey(pod))) {
          this.cache.removePod(pod);
          this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
        }
        return;
      }
      this.cache.addPod(pod);
      if (!assigned(old)) this.queue.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
      else if (JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(pod.metadata.labels ?? {})) {
        this.queue.moveAllToActiveOrBackoffQueue('AssignedPodUpdate');
      }
    } else if (responsible(pod) && !isTerminated(pod)) {
      this.queue.update(old, pod);
    } else {
      this.queue.delete(pod);
    }
  }

  private onPodDelete(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = objectOf(obj);
    if (assigned(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    } else {
      this.queue.delete(pod);
      // An assumed pod deleted before its binding is seen: its bind fails (404) and forgets it too.
      this.cache.forgetPod(podKey(pod));
    }
  }

  // --- scheduling cycle ----------------------------------------------------------------------

  /** One pod: decide synchronously, then bind (or record the failure) in the background. */
  scheduleOne(q: QueuedPodInfo): void {
    const pod = q.pi.pod;
    // skipPodSchedule: being deleted, or already assumed (its bind is in flight).
    if (pod.metadata.deletionTimestamp || this.cache.isAssumed(q.pi.key)) return;
    const cycle = this.queue.cycle;
    const nominated = (n: string) => this.queue.nominatedPodsForNode(n);
    const result = this.podScheduler.schedule(q.pi, nominated);

    if (result.kind === 'scheduled') {
      const assumedPod: Pod = { ...pod, spec: { ...pod.spec, nodeName: result.node } };
      const assumed: PodInfo = { ...q.pi, pod: assumedPod };
      this.cache.assumePod(assumed, result.node);
      this.queue.deleteNominated(q.pi.key);
      this.track(this.bind(q, cycle, result.node));
      return;
    }
    if (result.kind === 'noNodes') {
      this.track(this.handleFailure(q, cycle, { message: NO_NODES_AVAILABLE, reason: 'Unschedulable', plugins: new Set(), nominatedNode: '' }));
      return;
    }
    const d = result.diagnosis;
    const plugins = new Set([...d.nodeToStatus.values()].map((s) => s.plugin ?? ''));
    const pre = preempt(this.framework, result.state, q.pi, d.nodeToStatus, nominated);
    if (pre.nominatedNode) {
      plugins.add('DefaultPreemption');
      this.track(this.evictVictims(q.pi, pre.nominatedNode, pre.victims));
    } else if (pre.message) {
      d.postFilterMsg = `preemption: ${pre.message}`;
    }
    const message = fitErrorMessage(result.numAllNodes, d);
    this.track(this.handleFailure(q, cycle, { message, reason: 'Unschedulable', plugins, nominatedNode: pre.nominatedNode ?? '' }));
  }

  private track(p: Promise<void>): void {
    const t = p.catch((err) => this.log(describeError(err))).finally(() => this.inFlight.delete(t));
    this.inFlight.add(t);
  }

  private async bind(q: QueuedPodInfo, cycle: number, node: string): Promise<void> {
    const pod = q.pi.pod;
    const { namespace, name, uid } = pod.metadata;
    try {
      await this.deps.client.resource(GVR.pods).namespace(namespace!).createSubresource(name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { kind: 'Node', name: node },
      });
    } catch (err) {
      this.cache.forgetPod(q.pi.key);
      // Gone, or bound by someone else: the informer tells the rest.
      if (isNotFound(err) || isConflict(err)) return;
      await this.handleFailure(q, cycle, { message: `binding rejected: ${describeError(err)}`, reason: 'SchedulerError', plugins: new Set(), error: true });
      return;
    }
    this.scheduledCount++;
    this.deps.recorder.eventf(pod, 'Normal', 'Scheduled', 'Successfully assigned %s/%s to %s', namespace, name, node);
  }

  /** handleSchedulingFailure: back to the queue, event, PodScheduled condition and nomination. */
  private async handleFailure(q: QueuedPodInfo, cycle: number, f: Failure): Promise<void> {
    const current = this.podLister.get(q.pi.key);
    // Deleted, or bound meanwhile: nothing to report.
    if (!current || assigned(current) || current.metadata.uid !== q.pi.pod.metadata.uid) return;
    q.unschedulablePlugins = f.plugins;
    q.pi = { ...q.pi, pod: current };
    this.queue.addUnschedulableIfNotPresent(q, cycle, f.error);
    if (f.nominatedNode) this.queue.addNominated(q.pi, f.nominatedNode);
    else if (f.nominatedNode === '') this.queue.deleteNominated(q.pi.key);
    this.deps.recorder.event(current, 'Warning', 'FailedScheduling', f.message);
    await this.updatePodStatus(current, { type: 'PodScheduled', status: 'False', reason: f.reason, message: f.message }, f.nominatedNode);
  }

  /** updatePod: patch the condition (and nominatedNodeName) only when something changes. */
  private async updatePodStatus(pod: Pod, cond: PodCondition, nominatedNode: string | undefined): Promise<void> {
    const old = pod.status?.conditions?.find((c) => c.type === cond.type);
    const nnChange = nominatedNode !== undefined && (pod.status?.nominatedNodeName ?? '') !== nominatedNode;
    const same = old && old.status === cond.status && (old.reason ?? '') === (cond.reason ?? '') && (old.message ?? '') === (cond.message ?? '');
    if (same && !nnChange) return;
    const lastTransitionTime = old && old.status === cond.status ? old.lastTransitionTime : rfc3339(this.clock.now());
    const status: Record<string, unknown> = { conditions: [{ ...cond, lastProbeTime: null, lastTransitionTime }] };
    if (nnChange) status.nominatedNodeName = nominatedNode || null;
    try {
      await this.deps.client.resource(GVR.pods).namespace(pod.metadata.namespace!)
        .patch(pod.metadata.name!, { status }, 'strategic', { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** prepareCandidate: mark and delete the victims; lower-priority pods nominated there lose the nomination. */
  private async evictVictims(preemptor: PodInfo, node: string, victims: PodInfo[]): Promise<void> {
    const pods = this.deps.client.resource(GVR.pods);
    await Promise.all(victims.map(async (v) => {
      const { namespace, name } = v.pod.metadata;
      try {
        await pods.namespace(namespace!).patch(name!, {
          status: {
            conditions: [{
              type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler',
              message: `${DEFAULT_SCHEDULER_NAME}: preempting to accommodate a higher priority pod`,
              lastTransitionTime: rfc3339(this.clock.now()),
            }],
          },
        }, 'strategic', { subresource: 'status' });
        await pods.namespace(namespace!).delete(name!);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
      this.log(`preempted ${v.key} on ${node} for ${preemptor.key}`);
      this.deps.recorder.eventf(v.pod, 'Normal', 'Preempted', 'Preempted by pod %s on node %s', preemptor.pod.metadata.uid, node);
    }));
    for (const p of this.queue.nominatedPodsForNode(node)) {
      if (p.priority >= preemptor.priority || p.key === preemptor.key) continue;
      this.queue.deleteNominated(p.key);
      await pods.namespace(p.pod.metadata.namespace!).patch(p.pod.metadata.name!, { status: { nominatedNodeName: null } }, 'strategic', { subresource: 'status' })
        .catch((err) => { if (!isNotFound(err)) throw err; });
    }
  }
}

/** Changes that can make a pod fit (not heartbeats): labels, taints, cordon, allocatable, condition states, images. */
export function nodeSchedulingPropertiesChanged(a: Node, b: Node): boolean {
  const view = (n: Node) => JSON.stringify([
    n.metadata.labels ?? {}, n.spec?.taints ?? [], !!n.spec?.unschedulable, n.status?.allocatable ?? {},
    (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`), (n.status?.images ?? []).length,
  ]);
  return view(a) !== view(b);
}
