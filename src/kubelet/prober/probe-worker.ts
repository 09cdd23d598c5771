// One probe of one container (upstream prober worker): every periodSeconds it reads the container's
// status, waits out initialDelaySeconds, lets the startup probe gate the others, runs the probe and
// publishes a result only once successThreshold/failureThreshold consecutive outcomes agree. After a
// liveness or startup failure it holds until the container is replaced.
import type { V1Container, V1PodSpec, V1Probe } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import type { Clock, TimerHandle } from '../../client/clock.ts';
import type { ProbeContext, ProbeOutcome, ProbeResult } from './run-probe.ts';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeContainerStatus {
  /** Empty until the runtime created the container. */
  containerId: string;
  state: 'waiting' | 'running' | 'terminated';
  /** When the current run started (ms since the epoch); required while running. */
  startedAt?: number;
}

export interface ProbePodStatus {
  /** Pending, Running, Succeeded, Failed. */
  phase?: string;
  podIP: string;
  containers: Record<string, ProbeContainerStatus | undefined>;
}

/** What a worker needs from its manager. */
export interface WorkerHost {
  clock: Clock;
  getPodStatus(podUID: string): ProbePodStatus | undefined;
  runProbe(probe: V1Probe, ctx: Omit<ProbeContext, 'runtime'>, kind: ProbeKind): Promise<ProbeOutcome>;
  /** Whether the container has passed its startup probe (or has none). */
  isStarted(podUID: string, containerName: string, containerId: string): boolean;
  setResult(worker: ProbeWorker, containerId: string, result: ProbeResult): void;
  removeResult(worker: ProbeWorker): void;
  event(pod: KObject, containerName: string, type: 'Normal' | 'Warning', reason: string, message: string): void;
  workerDone(worker: ProbeWorker): void;
}

/** Retries of a probe that errored before its result is thrown away (upstream maxProbeRetries). */
const MAX_PROBE_RETRIES = 3;
const KIND_TITLE: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };
/** The published value while a new container has not been probed yet. */
export const INITIAL_RESULT: Record<ProbeKind, ProbeResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };

export class ProbeWorker {
  readonly spec: Required<Pick<V1Probe, 'periodSeconds' | 'initialDelaySeconds' | 'successThreshold' | 'failureThreshold'>> & V1Probe;
  private containerId = '';
  private lastResult: ProbeResult | undefined;
  private resultRun = 0;
  private onHold = false;
  private timer?: TimerHandle;
  private running = false;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly host: WorkerHost,
    public pod: KObject,
    readonly container: V1Container,
    readonly kind: ProbeKind,
    probe: V1Probe,
    firstDelayMs: number,
  ) {
    this.spec = { periodSeconds: 10, initialDelaySeconds: 0, successThreshold: 1, failureThreshold: 3, ...probe };
    this.schedule(firstDelayMs);
  }

  get podUID(): string { return this.pod.metadata.uid ?? ''; }

  /** Runs a probe now (e.g. when readiness is asked for and not yet known). */
  trigger(): void {
    if (this.stopped) return;
    if (this.running) { this.rerun = true; return; }
    this.schedule(0);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) this.host.clock.clearTimeout(this.timer);
    this.host.removeResult(this);
    this.host.workerDone(this);
  }

  private schedule(ms: number): void {
    if (this.timer) this.host.clock.clearTimeout(this.timer);
    this.timer = this.host.clock.setTimeout(() => { void this.tick(); }, ms);
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.running) return;
    this.running = true;
    const start = this.host.clock.now();
    let keepGoing = true;
    try {
      keepGoing = await this.doProbe();
    } catch {
      keepGoing = true;
    } finally {
      this.running = false;
    }
    if (!keepGoing) { this.stop(); return; }
    if (this.stopped) return;
    if (this.rerun) { this.rerun = false; this.schedule(0); return; }
    this.schedule(Math.max(0, start + this.spec.periodSeconds * 1000 - this.host.clock.now()));
  }

  /** One round of upstream's doProbe; false when the worker should end. */
  private async doProbe(): Promise<boolean> {
    const status = this.host.getPodStatus(this.podUID);
    if (!status) return true;
    if (status.phase === 'Failed' || status.phase === 'Succeeded') return false;
    const c = status.containers[this.container.name];
    if (!c?.containerId) return true;

    if (c.containerId !== this.containerId) {
      if (this.containerId) this.host.removeResult(this);
      this.containerId = c.containerId;
      this.host.setResult(this, this.containerId, INITIAL_RESULT[this.kind]);
      this.onHold = false;
      this.lastResult = undefined;
      this.resultRun = 0;
    }
    if (this.onHold) return true;

    if (c.state !== 'running') {
      this.host.setResult(this, this.containerId, 'failure');
      // A container that will not be restarted needs no more probing.
      return c.state !== 'terminated' || (this.pod.spec as V1PodSpec | undefined)?.restartPolicy !== 'Never';
    }

    // A pod being deleted is not restarted for a failing liveness/startup probe.
    if (this.pod.metadata.deletionTimestamp && this.kind !== 'readiness') {
      this.host.setResult(this, this.containerId, 'success');
      return false;
    }

    if (Math.trunc((this.host.clock.now() - (c.startedAt ?? 0)) / 1000) < this.spec.initialDelaySeconds) return true;

    const started = this.host.isStarted(this.podUID, this.container.name, this.containerId);
    if (started ? this.kind === 'startup' : this.kind !== 'startup') return true;

    const outcome = await this.probeWithRetries(status.podIP);
    if (this.stopped) return false;
    const title = KIND_TITLE[this.kind];
    if (outcome.result === 'unknown') {
      this.host.event(this.pod, this.container.name, 'Warning', 'Unhealthy', `${title} probe errored and resulted in unknown state: ${outcome.output}`);
      return true;
    }
    if (outcome.result === 'failure') this.host.event(this.pod, this.container.name, 'Warning', 'Unhealthy', `${title} probe failed: ${outcome.output}`);
    else if (outcome.warning) this.host.event(this.pod, this.container.name, 'Warning', 'ProbeWarning', `${title} probe warning: ${outcome.output}`);

    const result = outcome.result;
    if (this.lastResult === result) this.resultRun++;
    else { this.lastResult = result; this.resultRun = 1; }
    if ((result === 'failure' && this.resultRun < this.spec.failureThreshold)
      || (result === 'success' && this.resultRun < this.spec.successThreshold)) return true;

    this.host.setResult(this, this.containerId, result);
    if (this.kind !== 'readiness' && result === 'failure') {
      // The container will be restarted: wait for the new one.
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }

  private async probeWithRetries(podIP: string): Promise<ProbeOutcome> {
    let outcome: ProbeOutcome = { result: 'unknown', output: '' };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      outcome = await this.host.runProbe(this.spec, { pod: this.pod, container: this.container, containerId: this.containerId, podIP }, this.kind);
      if (outcome.result !== 'unknown') break;
    }
    return outcome;
  }
}
