// A token bucket as client-go's flowcontrol.NewTokenBucketRateLimiter (golang.org/x/time/rate
// underneath): `burst` requests at once, then `qps` per second. Shared by the client (request QPS)
// and the work queue's overall bucket.
import { realClock, sleep, type Clock } from './clock.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(readonly qps: number, readonly burst: number, private readonly clock: Clock = realClock) {
    if (!(qps > 0)) throw new Error(`qps must be positive, got ${qps}`);
    if (!(burst >= 1)) throw new Error(`burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }

  private advance(): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
    return now;
  }

  /** Take a token if one is there now (flowcontrol's TryAccept). */
  tryAccept(): boolean {
    this.advance();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Take a token, possibly borrowing from the future; returns how long (ms) the caller must wait (rate.Reserve().Delay()). */
  reserve(): number {
    this.advance();
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  /** Wait for a token (flowcontrol's Wait). */
  async wait(signal?: AbortSignal): Promise<void> {
    const delay = this.reserve();
    if (delay > 0) await sleep(this.clock, delay, signal);
  }
}
