// Per-pod workers (pkg/kubelet/pod_workers.go): each pod UID has one loop, so its syncs never
// overlap, and every update while a sync runs folds into one more pass with the newest spec. A
// pod moves one way: syncing → terminating (its containers are stopped) → terminated (volumes torn
// down; for a deleted pod the runtime objects are removed and the final delete is made) →
// finished. Syncs are repeated when asked (PLEG, probes), when a back-off ends, and every minute.
import type { Clock, TimerHandle } from '../client/clock.ts';
import { KUBELET_CONDITION_TYPES } from './pod-conditions.ts';

type Obj = Record<string, any>;

export const RESYNC_INTERVAL_MS = 60_000;
/** After a failed sync (upstream's backOffPeriod). */
export const SYNC_ERROR_BACKOFF_MS = 10_000;

export interface SyncPodResult {
  /** The pod's containers are done for good (phase Succeeded/Failed): terminate it. */
  terminal?: boolean;
  /** Sync again at this time (a back-off ends). */
  retryAt?: number;
  /** The sync failed; it is retried after SYNC_ERROR_BACKOFF_MS (or retryAt when sooner). */
  error?: Error;
}

export interface PodSyncHandlers {
  syncPod(pod: Obj): Promise<SyncPodResult>;
  /** Stop every container and the sandbox, and set the pod's final status. */
  syncTerminatingPod(pod: Obj): Promise<void>;
  /** Clean up after termination; for a deleted pod remove its runtime objects and finish the delete. */
  syncTerminatedPod(pod: Obj, how: { deleted: boolean; apiGone: boolean }): Promise<void>;
}

export type WorkerPhase = 'syncing' | 'terminating' | 'terminated' | 'finished';

interface Worker {
  uid: string;
  pod: Obj;
  phase: WorkerPhase;
  terminationRequested: boolean;
  /** The pod is gone from the API (a delete event): nothing is written for it any more. */
  apiGone: boolean;
  /** The deleted pod's clean-up and final delete are done. */
  deleteDone: boolean;
  pending: boolean;
  running?: Promise<void>;
  timer?: TimerHandle;
}

const TERMINAL_PHASES = new Set(['Succeeded', 'Failed']);

/** Spec, labels, annotations, deletion, or another owner's condition changed (podsDifferSemantically). */
export function podChangedSemantically(old: Obj, pod: Obj): boolean {
  const m0 = old.metadata ?? {};
  const m1 = pod.metadata ?? {};
  const others = (p: Obj) => (Array.isArray(p.status?.conditions) ? p.status.conditions : [])
    .filter((c: Obj) => !KUBELET_CONDITION_TYPES.includes(c?.type)).map((c: Obj) => `${c.type}=${c.status}`).sort().join(',');
  return JSON.stringify(old.spec) !== JSON.stringify(pod.spec)
    || JSON.stringify(m0.labels ?? {}) !== JSON.stringify(m1.labels ?? {})
    || JSON.stringify(m0.annotations ?? {}) !== JSON.stringify(m1.annotations ?? {})
    || m0.deletionTimestamp !== m1.deletionTimestamp
    || m0.deletionGracePeriodSeconds !== m1.deletionGracePeriodSeconds
    || others(old) !== others(pod);
}

export class PodWorkers {
  private readonly workers = new Map<string, Worker>();
  private stopped = false;

  constructor(
    private readonly handlers: PodSyncHandlers,
    private readonly clock: Clock,
    private readonly log: (m: string) => void,
    private readonly resyncIntervalMs = RESYNC_INTERVAL_MS,
  ) {}

  /**
   * A new or changed pod from the API (UpdatePod). A change to its status alone (mostly the
   * kubelet's own writes coming back) only refreshes the worker's copy, as upstream's pod config
   * ignores status updates — unless another component's condition changed (readiness gates).
   */
  updatePod(pod: Obj): void {
    const uid: string = pod.metadata.uid;
    let w = this.workers.get(uid);
    const changed = !w || podChangedSemantically(w.pod, pod);
    if (!w) {
      w = { uid, pod, phase: 'syncing', terminationRequested: false, apiGone: false, deleteDone: false, pending: false };
      this.workers.set(uid, w);
    }
    w.pod = pod;
    if (pod.metadata.deletionTimestamp || TERMINAL_PHASES.has(pod.status?.phase)) w.terminationRequested = true;
    if (changed || w.terminationRequested) this.kick(w);
  }

  /** The pod was removed from the API: stop it without writing anything more. */
  removePod(pod: Obj): void {
    const w = this.workers.get(pod.metadata.uid);
    if (!w) return;
    w.apiGone = true;
    w.terminationRequested = true;
    this.kick(w);
  }

  /** Sync a pod again now (a container changed state, a probe result changed). */
  syncNow(uid: string): void {
    const w = this.workers.get(uid);
    if (w) this.kick(w);
  }

  has(uid: string): boolean { return this.workers.has(uid); }

  phaseOf(uid: string): WorkerPhase | undefined { return this.workers.get(uid)?.phase; }

  /** The pods the workers know, newest spec each. */
  pods(): Obj[] { return [...this.workers.values()].map((w) => w.pod); }

  /** Pods whose containers may run (admitted and not yet terminated): they hold node resources. */
  activePods(): Obj[] {
    return [...this.workers.values()].filter((w) => w.phase === 'syncing' && !w.terminationRequested).map((w) => w.pod);
  }

  /** ShouldPodContentBeRemoved: unknown pods, and deleted pods that finished terminating. */
  shouldPodContentBeRemoved(uid: string): boolean {
    const w = this.workers.get(uid);
    if (!w) return true;
    return (w.phase === 'finished' || w.phase === 'terminated') && (w.apiGone || !!w.pod.metadata.deletionTimestamp);
  }

  /** Stops scheduling syncs; waits (briefly) for the ones in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.workers.values()) if (w.timer) this.clock.clearTimeout(w.timer);
    const inflight = [...this.workers.values()].map((w) => w.running).filter(Boolean);
    await Promise.race([Promise.all(inflight), new Promise((r) => setTimeout(r, 2000).unref())]);
  }

  private kick(w: Worker): void {
    if (this.stopped) return;
    w.pending = true;
    w.running ??= this.run(w).finally(() => {
      w.running = undefined;
      if (w.pending && !this.stopped) this.kick(w);
    });
  }

  private schedule(w: Worker, at: number): void {
    if (this.stopped) return;
    if (w.timer) this.clock.clearTimeout(w.timer);
    w.timer = this.clock.setTimeout(() => {
      w.timer = undefined;
      if (this.workers.get(w.uid) === w) this.kick(w);
    }, Math.max(0, at - this.clock.now()));
  }

  private async run(w: Worker): Promise<void> {
    while (w.pending && !this.stopped) {
      w.pending = false;
      const pod = w.pod;
      try {
        switch (w.phase) {
          case 'syncing': {
            if (w.terminationRequested) { w.phase = 'terminating'; w.pending = true; break; }
            const r = await this.handlers.syncPod(pod);
            if (r.terminal) { w.phase = 'terminating'; w.pending = true; break; }
            const now = this.clock.now();
            let next = now + (r.error ? SYNC_ERROR_BACKOFF_MS : this.resyncIntervalMs);
            if (r.retryAt !== undefined) next = Math.min(next, Math.max(now, r.retryAt));
            this.schedule(w, next);
            break;
          }
          case 'terminating':
            await this.handlers.syncTerminatingPod(pod);
            w.phase = 'terminated';
            w.pending = true;
            break;
          case 'terminated': {
            const deleted = w.apiGone || !!pod.metadata.deletionTimestamp;
            await this.handlers.syncTerminatedPod(pod, { deleted, apiGone: w.apiGone });
            if (deleted) w.deleteDone = true;
            w.phase = 'finished';
            w.pending = true;
            break;
          }
          case 'finished':
            if (w.apiGone) {
              if (this.workers.get(w.uid) === w) this.workers.delete(w.uid);
              if (w.timer) this.clock.clearTimeout(w.timer);
              return;
            }
            // A finished pod deleted later still needs its clean-up and final delete.
            if (w.pod.metadata.deletionTimestamp && !w.deleteDone) { w.phase = 'terminated'; w.pending = true; }
            break;
        }
      } catch (err) {
        this.log(`Error syncing pod "${pod.metadata.namespace}/${pod.metadata.name}" (${w.uid}), skipping: ${(err as Error).message}`);
        this.schedule(w, this.clock.now() + (w.phase === 'syncing' ? SYNC_ERROR_BACKOFF_MS : 1000));
      }
    }
  }
}
