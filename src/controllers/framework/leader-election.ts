// Leader election as client-go's leaderelection: candidates race for a Lease; the holder renews it
// every retryPeriod and gives up leading if it cannot renew within renewDeadline; the others take it
// over once they have seen the same record unchanged for leaseDuration on their own clock (so clock
// skew between machines does not matter). Defaults as kube-controller-manager: 15 s / 10 s / 2 s.
import { isConflict } from '../../client/api-error.ts';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { isNotFound } from '../../client/api-error.ts';
import { realClock, sleep, type Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { describeError } from './describe-error.ts';
import type { EventRecorder } from './events/event-recorder.ts';
import { LeaseLock, microTime, type LeaderElectionRecord } from './lease-lock.ts';

export const DEFAULT_LEASE_DURATION_MS = 15_000;
export const DEFAULT_RENEW_DEADLINE_MS = 10_000;
export const DEFAULT_RETRY_PERIOD_MS = 2_000;
export const JITTER_FACTOR = 1.2;

export interface LeaderCallbacks {
  /** Called when this candidate becomes leader; signal aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when run() ends: leadership lost, or stopped (also if it never led), as upstream. */
  onStoppedLeading(): void;
  /** Called whenever the observed leader changes (including to this candidate). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionConfig {
  client: KubeClient;
  namespace: string;
  name: string;
  /** Unique per candidate; defaults to "<hostname>_<uuid>" as upstream components use. */
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** On stop(), clear the holder so another candidate can take over at once (ReleaseOnCancel). */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  log?: (message: string) => void;
  random?: () => number;
  /** Records "<identity> became leader" / "stopped leading" on the Lease, as upstream's LeaseLock. */
  recorder?: EventRecorder;
}

export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID()}`;
}

export class LeaderElector {
  readonly identity: string;
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private observedRecord?: LeaderElectionRecord;
  private observedRawRecord = '';
  private observedTime = 0;
  private reportedLeader = '';
  private readonly stopController = new AbortController();
  private running?: Promise<void>;

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseDurationMs = config.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS;
    this.renewDeadlineMs = config.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS;
    this.retryPeriodMs = config.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS;
    validate(this.leaseDurationMs, this.renewDeadlineMs, this.retryPeriodMs);
    this.identity = config.identity ?? defaultIdentity();
    if (!this.identity) throw new Error('Lock identity is empty');
    this.lock = new LeaseLock(config.client, config.namespace, config.name, this.identity);
    this.clock = config.clock ?? realClock;
    this.log = config.log ?? (() => {});
  }

  /** The identity of the last observed leader ("" if none yet). */
  getLeader(): string { return this.observedRecord?.holderIdentity ?? ''; }

  isLeader(): boolean { return this.observedRecord?.holderIdentity === this.identity; }

  /** Campaign, lead until the lease is lost or stop() is called, then resolve. Call once. */
  run(): Promise<void> {
    return this.running ??= this.campaign();
  }

  /** Stop campaigning or leading (releasing the lease when releaseOnCancel); resolves when run() has ended. */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.running;
  }

  private get stopped(): boolean { return this.stopController.signal.aborted; }

  private async campaign(): Promise<void> {
    try {
      if (!(await this.acquire())) return;
      const leading = new AbortController();
      try {
        void Promise.resolve()
          .then(() => this.config.callbacks.onStartedLeading(leading.signal))
          .catch((err) => this.log(`leader callback failed: ${describeError(err)}`));
        await this.renew();
      } finally {
        leading.abort();
      }
      if (this.config.releaseOnCancel) await this.release();
    } finally {
      this.config.callbacks.onStoppedLeading();
    }
  }

  /** Tries every retryPeriod (with jitter) until it holds the lease; false if stopped first. */
  private async acquire(): Promise<boolean> {
    const desc = this.lock.describe();
    this.log(`attempting to acquire leader lease ${desc}...`);
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew();
      this.maybeReportTransition();
      if (ok) {
        this.log(`successfully acquired lease ${desc}`);
        this.recordEvent('became leader');
        return true;
      }
      const jittered = this.retryPeriodMs + (this.config.random ?? Math.random)() * JITTER_FACTOR * this.retryPeriodMs;
      await this.pause(jittered);
    }
    return false;
  }

  /** Renews every retryPeriod; returns when a renewal round fails for renewDeadline, or on stop. */
  private async renew(): Promise<void> {
    const desc = this.lock.describe();
    while (!this.stopped) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let renewed = false;
      // PollImmediateUntil(retryPeriod, tryAcquireOrRenew, renewDeadline)
      for (;;) {
        renewed = await this.tryBefore(deadline);
        if (renewed || this.stopped) break;
        await this.pause(this.retryPeriodMs);
        if (this.clock.now() >= deadline) break;
      }
      this.maybeReportTransition();
      if (this.stopped) return;
      if (!renewed) {
        this.log(`failed to renew lease ${desc}: timed out waiting for the condition`);
        this.recordEvent('stopped leading');
        return;
      }
      await this.pause(this.retryPeriodMs);
    }
  }

  /** One attempt, abandoned (counts as failed) if it is still running at deadline. */
  private async tryBefore(deadline: number): Promise<boolean> {
    const remaining = deadline - this.clock.now();
    if (remaining <= 0) return false;
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = this.clock.setTimeout(() => resolve(false), remaining); });
    try {
      return await Promise.race([this.tryAcquireOrRenew(), timeout]);
    } finally {
      if (timer) this.clock.clearTimeout(timer);
    }
  }

  /**
   * One round of upstream's tryAcquireOrRenew: create the Lease if missing; otherwise take it if it
   * is ours, released, or unchanged for leaseDuration since we first saw it this way. True on success.
   */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const record: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.floor(this.leaseDurationMs / 1000),
      renewTime: microTime(now),
      acquireTime: microTime(now),
      leaderTransitions: 0,
    };

    let old: LeaderElectionRecord;
    try {
      old = await this.lock.get();
    } catch (err) {
      if (!isNotFound(err)) {
        this.log(`error retrieving resource lock ${this.lock.describe()}: ${describeError(err)}`);
        return false;
      }
      try {
        await this.lock.create(record);
      } catch (createErr) {
        this.log(`error initially creating leader election record: ${describeError(createErr)}`);
        return false;
      }
      this.observe(record, this.clock.now());
      return true;
    }

    const raw = JSON.stringify(old);
    if (raw !== this.observedRawRecord) this.observe(old, this.clock.now());
    if (old.holderIdentity !== '' && this.observedTime + this.leaseDurationMs > now && !this.isLeader()) {
      return false; // held by another candidate and not yet expired
    }
    if (this.isLeader()) {
      record.acquireTime = old.acquireTime;
      record.leaderTransitions = old.leaderTransitions;
    } else {
      record.leaderTransitions = old.leaderTransitions + 1;
    }
    try {
      await this.lock.update(record);
    } catch (err) {
      this.log(`Failed to update lock: ${describeError(err)}`);
      return false;
    }
    this.observe(record, this.clock.now());
    return true;
  }

  /** Clear the holder so the next candidate need not wait for the lease to expire. */
  private async release(): Promise<void> {
    if (!this.isLeader()) return;
    const record: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      renewTime: microTime(this.clock.now()),
      acquireTime: microTime(this.clock.now()),
      leaderTransitions: this.observedRecord!.leaderTransitions,
    };
    try {
      await this.lock.update(record);
      this.observe(record, this.clock.now());
    } catch (err) {
      // A renewal abandoned at its deadline may still have landed and moved the resourceVersion on:
      // read the lease again and release it if it is still ours.
      if (!isConflict(err)) {
        this.log(`Failed to release lock: ${describeError(err)}`);
        return;
      }
      try {
        const current = await this.lock.get();
        if (current.holderIdentity !== this.identity) return;
        await this.lock.update({ ...record, leaderTransitions: current.leaderTransitions });
        this.observe(record, this.clock.now());
      } catch (retryErr) {
        this.log(`Failed to release lock: ${describeError(retryErr)}`);
      }
    }
  }

  private observe(record: LeaderElectionRecord, at: number): void {
    this.observedRecord = record;
    this.observedRawRecord = JSON.stringify(record);
    this.observedTime = at;
  }

  private maybeReportTransition(): void {
    const leader = this.getLeader();
    if (leader === this.reportedLeader) return;
    this.reportedLeader = leader;
    if (leader) this.log(`new leader elected: ${leader}`);
    try {
      this.config.callbacks.onNewLeader?.(leader);
    } catch (err) {
      this.log(`onNewLeader failed: ${describeError(err)}`);
    }
  }

  private recordEvent(what: string): void {
    const lease = this.lock.current();
    if (this.config.recorder && lease) this.config.recorder.event(lease, 'Normal', 'LeaderElection', `${this.identity} ${what}`);
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(this.clock, ms, this.stopController.signal);
    } catch {
      // stopped
    }
  }
}

function validate(leaseDurationMs: number, renewDeadlineMs: number, retryPeriodMs: number): void {
  if (leaseDurationMs <= renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
  if (renewDeadlineMs <= JITTER_FACTOR * retryPeriodMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
  if (leaseDurationMs < 1) throw new Error('leaseDuration must be greater than zero');
  if (renewDeadlineMs < 1) throw new Error('renewDeadline must be greater than zero');
  if (retryPeriodMs < 1) throw new Error('retryPeriod must be greater than zero');
}
