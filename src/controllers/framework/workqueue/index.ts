export { WorkQueue, type GetResult } from './queue.ts';
export { DelayingQueue } from './delaying-queue.ts';
export { RateLimitingQueue, type RateLimitingQueueOptions } from './rate-limiting-queue.ts';
export {
  BucketRateLimiter, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter,
  defaultControllerRateLimiter, type RateLimiter,
} from './rate-limiters.ts';
