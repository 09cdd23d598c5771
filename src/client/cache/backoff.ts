// Exponential back-off with jitter for reconnecting (client-go's reflector uses 800 ms doubling to
// 30 s, reset after 2 minutes without failures), so a restarting server is not hammered.
import { realClock, type Clock } from '../clock.ts';

export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  /** A quiet period this long resets the delay to initialMs. */
  resetAfterMs?: number;
  factor?: number;
  /** Up to this fraction of the delay is added at random. */
  jitter?: number;
  clock?: Clock;
  random?: () => number;
}

export class Backoff {
  private current = 0;
  private lastAt = 0;
  private readonly o: Required<BackoffOptions>;

  constructor(opts: BackoffOptions = {}) {
    this.o = {
      initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000, factor: 2, jitter: 1,
      clock: realClock, random: Math.random, ...opts,
    };
  }

  /** The next delay to wait (ms). */
  next(): number {
    const now = this.o.clock.now();
    if (this.current === 0 || now - this.lastAt > this.o.resetAfterMs) this.current = this.o.initialMs;
    else this.current = Math.min(this.o.maxMs, this.current * this.o.factor);
    this.lastAt = now;
    return this.current + this.current * this.o.jitter * this.o.random();
  }

  reset(): void { this.current = 0; }
}
