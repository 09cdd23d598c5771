// The scheduling queue (upstream's PriorityQueue): activeQ is a heap ordered by priority then
// enqueue time; pods that failed wait in backoffQ (1 s doubling to 10 s per attempt) or, when
// unschedulable, in unschedulablePods until a cluster event that may help them (a node added, a pod
// deleted, …) or 5 minutes pass. An event seen while a pod was being scheduled sends that pod to
// backoff rather than to unschedulablePods, so it is not missed (moveRequestCycle). Pods with
// schedulingGates wait until their gates are removed. Pods nominated to a node after preemption are
// tracked here too (the nominator), so other pods leave the room to them.
import { realClock, type Clock, type TimerHandle } from '../client/clock.ts';
import { KeyedHeap } from './heap.ts';
import { newPodInfo, type PodInfo } from './node-info.ts';
import { podKey, type Pod } from './types.ts';

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_IN_UNSCHEDULABLE_MS = 5 * 60_000;
const UNSCHEDULABLE_FLUSH_MS = 30_000;

export interface QueuedPodInfo {
  pi: PodInfo;
  /** When it was last put into the queue. */
  timestamp: number;
  attempts: number;
  initialAttemptTimestamp?: number;
  /** Plugins that rejected it last time; empty means any event may help. */
  unschedulablePlugins: Set<string>;
  gated: boolean;
}

export type ClusterEvent = 'NodeAdd' | 'NodeUpdate' | 'AssignedPodAdd' | 'AssignedPodUpdate' | 'AssignedPodDelete' | 'UnschedulableTimeout';

/** Which plugins' rejections an event may resolve (upstream's EventsToRegister, coarsened). */
const PLUGINS_FOR_EVENT: Record<ClusterEvent, Set<string> | 'all'> = {
  NodeAdd: 'all',
  NodeUpdate: 'all',
  AssignedPodAdd: new Set(['InterPodAffinity', 'PodTopologySpread']),
  AssignedPodUpdate: new Set(['InterPodAffinity', 'PodTopologySpread']),
  AssignedPodDelete: new Set(['NodeResourcesFit', 'NodePorts', 'InterPodAffinity', 'PodTopologySpread', 'DefaultPreemption']),
  UnschedulableTimeout: 'all',
};

const hasGates = (pod: Pod) => (pod.spec.schedulingGates?.length ?? 0) > 0;

export class SchedulingQueue {
  private readonly activeQ = new KeyedHeap<QueuedPodInfo>((q) => q.pi.key, (a, b) =>
    a.pi.priority !== b.pi.priority ? a.pi.priority > b.pi.priority : a.timestamp < b.timestamp);
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>((q) => q.pi.key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private schedulingCycle = 0;
  private moveRequestCycle = -1;
  private waiter: (() => void) | undefined;
  private closed = false;
  private backoffTimer: TimerHandle | undefined;
  private backoffTimerAt = Infinity;
  private flushTimer: TimerHandle | undefined;

  constructor(private readonly clock: Clock = realClock) {}

  run(): void {
    const tick = () => {
      this.flushUnschedulableLeftover();
      this.flushTimer = this.clock.setTimeout(tick, UNSCHEDULABLE_FLUSH_MS);
    };
    this.flushTimer = this.clock.setTimeout(tick, UNSCHEDULABLE_FLUSH_MS);
  }

  close(): void {
    this.closed = true;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer);
    if (this.flushTimer) this.clock.clearTimeout(this.flushTimer);
    this.wake();
  }

  get cycle(): number { return this.schedulingCycle; }

  /** A new pending pod (informer add). */
  add(pod: Pod): void {
    const pi = newPodInfo(pod);
    this.updateNominated(pi);
    const q: QueuedPodInfo = { pi, timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), gated: hasGates(pod) };
    this.remove(pi.key);
    if (q.gated) this.unschedulable.set(pi.key, q);
    else this.pushActive(q);
  }

  /** Blocks until a pod is ready to be scheduled; undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    while (!this.closed && this.activeQ.size === 0) await new Promise<void>((r) => { this.waiter = r; });
    if (this.closed) return undefined;
    const q = this.activeQ.pop()!;
    q.attempts++;
    q.initialAttemptTimestamp ??= this.clock.now();
    this.schedulingCycle++;
    return q;
  }

  /**
   * A pod that failed in scheduling cycle `podCycle` goes back: to backoff when an event came while
   * it was in flight or the failure was an error, else to wait among the unschedulable.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podCycle: number, error = false): void {
    const key = q.pi.key;
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.clock.now();
    if (error || this.moveRequestCycle >= podCycle) this.pushBackoff(q);
    else this.unschedulable.set(key, q);
  }

  /** An informer update of a pending pod. */
  update(oldPod: Pod | undefined, newPod: Pod): void {
    const key = podKey(newPod);
    const pi = newPodInfo(newPod);
    this.updateNominated(pi);
    for (const heap of [this.activeQ, this.backoffQ]) {
      const q = heap.get(key);
      if (q) {
        q.pi = pi;
        heap.push(q);
        return;
      }
    }
    const q = this.unschedulable.get(key);
    if (!q) return;
    q.pi = pi;
    if (q.gated) {
      if (hasGates(newPod)) return;
      q.gated = false;
      this.unschedulable.delete(key);
      this.pushActive(q);
      return;
    }
    if (oldPod && specChanged(oldPod, newPod)) {
      this.unschedulable.delete(key);
      this.moveToActiveOrBackoff(q);
    }
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.remove(key);
    this.deleteNominated(key);
  }

  /** A cluster event: unschedulable pods it may help are retried (upstream MoveAllToActiveOrBackoffQueue). */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent): void {
    this.moveRequestCycle = this.schedulingCycle;
    const plugins = PLUGINS_FOR_EVENT[event];
    for (const [key, q] of this.unschedulable) {
      if (q.gated) continue;
      if (plugins !== 'all' && q.unschedulablePlugins.size > 0 && ![...q.unschedulablePlugins].some((p) => plugins.has(p))) continue;
      this.unschedulable.delete(key);
      this.moveToActiveOrBackoff(q);
    }
  }

  // --- nominator ---------------------------------------------------------------------------

  /** Pods nominated to the node (they keep room made by preemption). */
  nominatedPodsForNode(node: string): readonly PodInfo[] {
    const m = this.nominated.get(node);
    return m ? [...m.values()] : [];
  }

  addNominated(pi: PodInfo, node: string): void {
    this.deleteNominated(pi.key);
    if (!node) return;
    let m = this.nominated.get(node);
    if (!m) this.nominated.set(node, (m = new Map()));
    m.set(pi.key, pi);
    this.nominatedNodeOf.set(pi.key, node);
  }

  deleteNominated(key: string): void {
    const node = this.nominatedNodeOf.get(key);
    if (node === undefined) return;
    this.nominatedNodeOf.delete(key);
    const m = this.nominated.get(node);
    m?.delete(key);
    if (m?.size === 0) this.nominated.delete(node);
  }

  private updateNominated(pi: PodInfo): void {
    const node = pi.pod.status?.nominatedNodeName;
    if (node) this.addNominated(pi, node);
    else if (this.nominatedNodeOf.has(pi.key)) {
      // Keep our own nomination until the API shows it (the status patch may still be in flight).
      const cur = this.nominatedNodeOf.get(pi.key)!;
      this.nominated.get(cur)?.set(pi.key, pi);
    }
  }

  // --- sizes for tests and logs --------------------------------------------------------------

  stats(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  // --- internals -----------------------------------------------------------------------------

  backoffDuration(q: QueuedPodInfo): number {
    let d = INITIAL_BACKOFF_MS;
    for (let i = 1; i < q.attempts && d < MAX_BACKOFF_MS; i++) d *= 2;
    return Math.min(d, MAX_BACKOFF_MS);
  }

  private backoffExpiry(q: QueuedPodInfo): number { return q.timestamp + this.backoffDuration(q); }

  private remove(key: string): void {
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  private pushActive(q: QueuedPodInfo): void {
    this.activeQ.push(q);
    this.wake();
  }

  private pushBackoff(q: QueuedPodInfo): void {
    this.backoffQ.push(q);
    this.armBackoffTimer();
  }

  private moveToActiveOrBackoff(q: QueuedPodInfo): void {
    if (q.attempts > 0 && this.backoffExpiry(q) > this.clock.now()) this.pushBackoff(q);
    else this.pushActive(q);
  }

  private armBackoffTimer(): void {
    const head = this.backoffQ.peek();
    if (!head) return;
    const at = this.backoffExpiry(head);
    if (this.backoffTimer && at >= this.backoffTimerAt) return;
    if (this.backoffTimer) this.clock.clearTimeout(this.backoffTimer);
    this.backoffTimerAt = at;
    this.backoffTimer = this.clock.setTimeout(() => {
      this.backoffTimer = undefined;
      this.backoffTimerAt = Infinity;
      this.flushBackoffCompleted();
    }, at - this.clock.now());
  }

  private flushBackoffCompleted(): void {
    if (this.closed) return;
    const now = this.clock.now();
    for (let head = this.backoffQ.peek(); head && this.backoffExpiry(head) <= now; head = this.backoffQ.peek()) {
      this.backoffQ.pop();
      this.pushActive(head);
    }
    this.armBackoffTimer();
  }

  private flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, q] of this.unschedulable) {
      if (q.gated || now - q.timestamp < MAX_IN_UNSCHEDULABLE_MS) continue;
      this.unschedulable.delete(key);
      this.moveToActiveOrBackoff(q);
    }
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}

/** isPodUpdated: anything but status, resourceVersion, generation and managedFields changed. */
function specChanged(a: Pod, b: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata;
    return JSON.stringify({ meta, spec: p.spec });
  };
  return strip(a) !== strip(b);
}
