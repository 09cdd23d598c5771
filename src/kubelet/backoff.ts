// Per-key exponential back-off on an injected clock (client-go's flowcontrol.Backoff), as the kubelet
// uses it for container restarts (10 s doubling to 5 min) and image pulls. An entry idle for twice the
// maximum is stale: the next failure starts again from the initial delay, so a container that ran for
// ten minutes before crashing is restarted at once again.
import type { Clock } from '../client/clock.ts';

/** kubelet's backOffPeriod and MaxContainerBackOff. */
export const CONTAINER_BACKOFF_INITIAL_MS = 10_000;
export const CONTAINER_BACKOFF_MAX_MS = 300_000;

interface Entry {
  backoffMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    readonly initialMs = CONTAINER_BACKOFF_INITIAL_MS,
    readonly maxMs = CONTAINER_BACKOFF_MAX_MS,
  ) {}

  /** The current delay for id (0 when it has none). */
  get(id: string): number {
    return this.entries.get(id)?.backoffMs ?? 0;
  }

  /** Records a failure at eventTime: the delay starts at initialMs and doubles up to maxMs. */
  next(id: string, eventTime: number): void {
    const e = this.entries.get(id);
    if (!e || this.hasExpired(eventTime, e.lastUpdate)) {
      this.entries.set(id, { backoffMs: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    e.backoffMs = Math.min(e.backoffMs * 2, this.maxMs);
    e.lastUpdate = this.clock.now();
  }

  /** Still waiting: less than the delay has passed since eventTime (e.g. the container's finish). */
  isInBackOffSince(id: string, eventTime: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.hasExpired(eventTime, e.lastUpdate)) return false;
    return this.clock.now() - eventTime < e.backoffMs;
  }

  /** Still waiting: less than the delay has passed between the last failure and eventTime. */
  isInBackOffSinceUpdate(id: string, eventTime: number): boolean {
    const e = this.entries.get(id);
    if (!e || this.hasExpired(eventTime, e.lastUpdate)) return false;
    return eventTime - e.lastUpdate < e.backoffMs;
  }

  /** When the back-off that started at eventTime ends (for scheduling the next sync). */
  expiresAt(id: string, eventTime: number): number | undefined {
    const e = this.entries.get(id);
    return e ? eventTime + e.backoffMs : undefined;
  }

  /** When the back-off since the last failure ends. */
  expiresSinceUpdate(id: string): number | undefined {
    const e = this.entries.get(id);
    return e ? e.lastUpdate + e.backoffMs : undefined;
  }

  reset(id: string): void {
    this.entries.delete(id);
  }

  /** Drops entries idle for more than twice the maximum delay. */
  gc(): void {
    const now = this.clock.now();
    for (const [id, e] of this.entries) if (this.hasExpired(now, e.lastUpdate)) this.entries.delete(id);
  }

  private hasExpired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > this.maxMs * 2;
  }
}
