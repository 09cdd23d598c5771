// The queue controllers use (client-go's RateLimitingInterface): addRateLimited re-queues a failed
// item after its back-off; forget resets the back-off once the item succeeds.
import { realClock, type Clock } from '../../../client/clock.ts';
import { DelayingQueue } from './delaying-queue.ts';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.ts';

export interface RateLimitingQueueOptions<T> {
  /** For logs. */
  name?: string;
  rateLimiter?: RateLimiter<T>;
  clock?: Clock;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly name: string;
  private readonly limiter: RateLimiter<T>;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    const clock = opts.clock ?? realClock;
    super(clock);
    this.name = opts.name ?? '';
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(clock);
  }

  addRateLimited(item: T): void { this.addAfter(item, this.limiter.when(item)); }

  forget(item: T): void { this.limiter.forget(item); }

  numRequeues(item: T): number { return this.limiter.numRequeues(item); }
}
