// How long an item waits before it is retried (client-go's workqueue rate limiters). The default
// for controllers is the larger of a per-item exponential back-off (5 ms doubling to 1000 s) and an
// overall token bucket (10 qps, burst 100) so a flood of failures cannot spin the workers.
import { realClock, type Clock } from '../../../client/clock.ts';
import { TokenBucket } from '../../../client/rate-limiter.ts';

export interface RateLimiter<T> {
  /** The delay (ms) before item may be processed again; counts as a failure for per-item limiters. */
  when(item: T): number;
  /** Stop tracking item (it succeeded). */
  forget(item: T): void;
  numRequeues(item: T): number;
}

export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(readonly baseDelayMs = 5, readonly maxDelayMs = 1000_000) {}

  when(item: T): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    const delay = this.baseDelayMs * 2 ** exp;
    return Number.isFinite(delay) ? Math.min(delay, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(item: T): void { this.failures.delete(item); }

  numRequeues(item: T): number { return this.failures.get(item) ?? 0; }
}

/** fastDelay for the first maxFastAttempts failures of an item, slowDelay afterwards. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(readonly fastDelayMs: number, readonly slowDelayMs: number, readonly maxFastAttempts: number) {}

  when(item: T): number {
    const n = (this.failures.get(item) ?? 0) + 1;
    this.failures.set(item, n);
    return n <= this.maxFastAttempts ? this.fastDelayMs : this.slowDelayMs;
  }

  forget(item: T): void { this.failures.delete(item); }

  numRequeues(item: T): number { return this.failures.get(item) ?? 0; }
}

/** One token bucket shared by all items. */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly bucket: TokenBucket;

  constructor(qps = 10, burst = 100, clock: Clock = realClock) {
    this.bucket = new TokenBucket(qps, burst, clock);
  }

  when(_item: T): number { return this.bucket.reserve(); }

  forget(_item: T): void {}

  numRequeues(_item: T): number { return 0; }
}

/** The worst (longest) of several limiters. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) { this.limiters = limiters; }

  when(item: T): number { return Math.max(0, ...this.limiters.map((l) => l.when(item))); }

  forget(item: T): void { for (const l of this.limiters) l.forget(item); }

  numRequeues(item: T): number { return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item))); }
}

export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1000_000), new BucketRateLimiter<T>(10, 100, clock));
}
