// The probes of every pod on the node (upstream prober manager): one worker per container and probe
// kind, results kept per container id and published on change through a callback, and the
// started/ready answers the kubelet puts in container statuses — not started while a startup probe
// has not passed, not ready until the readiness probe has succeeded once.
import type { V1Container, V1PodSpec, V1Probe } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import type { RuntimeService } from '../runtime/runtime-service.ts';
import { ProbeWorker, type ProbeKind, type ProbePodStatus, type WorkerHost } from './probe-worker.ts';
import { runProbe as defaultRunProbe, type ProbeContext, type ProbeOutcome, type ProbeResult } from './run-probe.ts';

export interface ProberManagerOptions {
  runtime: RuntimeService;
  /** The kubelet's current view of a pod's containers. */
  getPodStatus(podUID: string): ProbePodStatus | undefined;
  /** A probe's published result changed (for a new container: readiness failure, liveness success, startup unknown). */
  onResult(podUID: string, containerName: string, kind: ProbeKind, result: ProbeResult, containerId: string): void;
  /** Unhealthy / ProbeWarning events on the container. */
  recordEvent?(pod: KObject, containerName: string, type: 'Normal' | 'Warning', reason: string, message: string): void;
  clock?: Clock;
  /** For the start-up jitter of first probes (default Math.random). */
  random?: () => number;
  /** Replaces the real probes (unit tests of the kubelet). */
  runProbe?: (probe: V1Probe, ctx: ProbeContext, kind: ProbeKind) => Promise<ProbeOutcome>;
}

const KINDS: [ProbeKind, keyof V1Container][] = [['startup', 'startupProbe'], ['readiness', 'readinessProbe'], ['liveness', 'livenessProbe']];

const key = (podUID: string, name: string, kind: ProbeKind) => `${podUID}/${name}/${kind}`;

export class ProberManager {
  private readonly workers = new Map<string, ProbeWorker>();
  private readonly results = new Map<string, { containerId: string; result: ProbeResult }>();
  /** The same results by container id (upstream's results managers are keyed so). */
  private readonly byContainer = new Map<string, ProbeResult>();
  private readonly clock: Clock;
  private readonly started: number;
  private readonly host: WorkerHost;

  constructor(private readonly opts: ProberManagerOptions) {
    this.clock = opts.clock ?? realClock;
    this.started = this.clock.now();
    const run = opts.runProbe ?? defaultRunProbe;
    this.host = {
      clock: this.clock,
      getPodStatus: (uid) => opts.getPodStatus(uid),
      runProbe: (probe, ctx, kind) => run(probe, { ...ctx, runtime: opts.runtime }, kind),
      isStarted: (uid, name, id) => this.isStartedFor(uid, name, id),
      setResult: (w, containerId, result) => {
        const k = key(w.podUID, w.container.name, w.kind);
        const prev = this.results.get(k);
        if (prev) this.byContainer.delete(`${prev.containerId}/${w.kind}`);
        this.results.set(k, { containerId, result });
        this.byContainer.set(`${containerId}/${w.kind}`, result);
        if (prev?.containerId !== containerId || prev.result !== result) opts.onResult(w.podUID, w.container.name, w.kind, result, containerId);
      },
      removeResult: (w) => {
        const k = key(w.podUID, w.container.name, w.kind);
        const prev = this.results.get(k);
        if (prev) this.byContainer.delete(`${prev.containerId}/${w.kind}`);
        this.results.delete(k);
      },
      event: (pod, name, type, reason, message) => opts.recordEvent?.(pod, name, type, reason, message),
      workerDone: (w) => {
        const k = key(w.podUID, w.container.name, w.kind);
        if (this.workers.get(k) === w) this.workers.delete(k);
      },
    };
  }

  /** Starts workers for the probes of the pod's containers and sidecars (restartable init containers). */
  addPod(pod: KObject): void {
    const uid = pod.metadata.uid ?? '';
    const spec = (pod.spec ?? { containers: [] }) as V1PodSpec;
    const containers = [...(spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'), ...spec.containers];
    for (const c of containers) {
      for (const [kind, field] of KINDS) {
        const probe = c[field] as V1Probe | undefined;
        if (!probe || this.workers.has(key(uid, c.name, kind))) continue;
        const period = (probe.periodSeconds ?? 10) * 1000;
        // Right after a kubelet (re)start, spread first probes over one period.
        const delay = this.clock.now() - this.started < period ? Math.floor((this.opts.random ?? Math.random)() * period) : 0;
        this.workers.set(key(uid, c.name, kind), new ProbeWorker(this.host, pod, c, kind, probe, delay));
      }
    }
  }

  /** Keeps the workers' pod current (its deletionTimestamp matters to liveness/startup). */
  updatePod(pod: KObject): void {
    for (const w of this.workersOf(pod.metadata.uid ?? '')) w.pod = pod;
  }

  /** Stops every probe of the pod (it is gone or terminating). */
  removePod(pod: KObject | string): void {
    for (const w of this.workersOf(typeof pod === 'string' ? pod : pod.metadata.uid ?? '')) w.stop();
  }

  /** While a pod terminates only readiness keeps running (upstream StopLivenessAndStartup). */
  stopLivenessAndStartup(podUID: string): void {
    for (const w of this.workersOf(podUID)) if (w.kind !== 'readiness') w.stop();
  }

  stop(): void {
    for (const w of [...this.workers.values()]) w.stop();
  }

  /**
   * Upstream's results manager Get(containerID): Success/Failure of a container's probe, undefined
   * while unknown (not probed yet, no such probe, or a startup probe still running).
   */
  result(containerId: string, kind: ProbeKind): 'Success' | 'Failure' | undefined {
    const r = this.byContainer.get(`${containerId}/${kind}`);
    return r === 'success' ? 'Success' : r === 'failure' ? 'Failure' : undefined;
  }

  /** The published result of one probe of the current container, if any. */
  getResult(podUID: string, containerName: string, kind: ProbeKind): { containerId: string; result: ProbeResult } | undefined {
    return this.results.get(key(podUID, containerName, kind));
  }

  /** ContainerStatus.started: running and past its startup probe (or it has none). */
  isStarted(podUID: string, containerName: string): boolean {
    const c = this.opts.getPodStatus(podUID)?.containers[containerName];
    if (!c || c.state !== 'running') return false;
    return this.isStartedFor(podUID, containerName, c.containerId);
  }

  /** ContainerStatus.ready: started, running, and its readiness probe succeeded (or it has none). */
  isReady(podUID: string, containerName: string): boolean {
    if (!this.isStarted(podUID, containerName)) return false;
    const id = this.opts.getPodStatus(podUID)?.containers[containerName]?.containerId;
    const r = this.results.get(key(podUID, containerName, 'readiness'));
    if (r && r.containerId === id && r.result === 'success') return true;
    const w = this.workers.get(key(podUID, containerName, 'readiness'));
    // Not known yet: ask for a probe now rather than at the next period.
    w?.trigger();
    return !w;
  }

  private isStartedFor(podUID: string, containerName: string, containerId: string): boolean {
    const r = this.results.get(key(podUID, containerName, 'startup'));
    if (r && r.containerId === containerId) return r.result === 'success';
    return !this.workers.has(key(podUID, containerName, 'startup'));
  }

  private workersOf(podUID: string): ProbeWorker[] {
    return [...this.workers.values()].filter((w) => w.podUID === podUID);
  }
}
