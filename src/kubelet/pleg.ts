// The pod lifecycle event generator (pkg/kubelet/pleg's GenericPLEG): every second it lists the
// runtime's sandboxes and containers and tells the kubelet which pods had one appear, change state
// or disappear — how a container exit (a crash, a finished job) reaches the pod's worker without a
// watch on the runtime. It also remembers which pod UIDs the runtime holds, for orphan clean-up.
import type { Clock, TimerHandle } from '../client/clock.ts';
import { POD_UID_LABEL } from './runtime-labels.ts';
import type { RuntimeService } from './runtime/runtime-service.ts';

export const RELIST_PERIOD_MS = 1000;

export class PodLifecycleEventGenerator {
  private states = new Map<string, { uid: string; state: string }>();
  private timer?: TimerHandle;
  private stopped = false;
  private inflight?: Promise<void>;
  private relisted = false;
  /** When the last relist finished (PLEG health). */
  lastRelistAt = 0;

  constructor(
    private readonly runtime: RuntimeService,
    private readonly clock: Clock,
    private readonly onPodChanged: (uid: string) => void,
    private readonly log: (m: string) => void,
    private readonly periodMs = RELIST_PERIOD_MS,
  ) {}

  start(): void {
    this.arm(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    await this.inflight;
  }

  /** Pod UIDs the runtime held at the last relist. */
  runtimePodUIDs(): Set<string> {
    return new Set([...this.states.values()].map((s) => s.uid));
  }

  /** Whether a relist has completed since start. */
  get hasRelisted(): boolean { return this.relisted; }

  relist(): Promise<void> {
    return this.inflight ??= this.doRelist().finally(() => { this.inflight = undefined; });
  }

  private arm(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.relist().finally(() => this.arm(this.periodMs));
    }, ms);
  }

  private async doRelist(): Promise<void> {
    let next: Map<string, { uid: string; state: string }>;
    try {
      const [sandboxes, containers] = await Promise.all([this.runtime.listPodSandbox(), this.runtime.listContainers()]);
      next = new Map();
      for (const s of sandboxes) {
        const uid = s.labels[POD_UID_LABEL] ?? s.metadata.uid;
        if (uid) next.set(`sandbox/${s.id}`, { uid, state: s.state });
      }
      for (const c of containers) {
        const uid = c.labels[POD_UID_LABEL];
        if (uid) next.set(`container/${c.id}`, { uid, state: c.state });
      }
    } catch (err) {
      this.log(`GenericPLEG: Unable to retrieve pods: ${(err as Error).message}`);
      return;
    }
    const changed = new Set<string>();
    for (const [id, s] of next) if (this.states.get(id)?.state !== s.state) changed.add(s.uid);
    for (const [id, s] of this.states) if (!next.has(id)) changed.add(s.uid);
    this.states = next;
    this.relisted = true;
    this.lastRelistAt = this.clock.now();
    for (const uid of changed) this.onPodChanged(uid);
  }
}
