// The shape of every controller (upstream's Run/worker/processNextWorkItem/handleErr): informer
// handlers enqueue "namespace/name" keys; N workers take keys and call reconcile(key), which reads
// the cache, writes through the API and may run again at any time. A failed key is retried with
// the queue's back-off and dropped (with a log line) after maxRetries; success forgets the back-off.
import type { KObject } from '../../apimachinery/types.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import { DeletedFinalStateUnknown, deletionHandlingMetaNamespaceKeyFunc } from '../../client/cache/keys.ts';
import { describeError } from './describe-error.ts';
import { RateLimitingQueue } from './workqueue/rate-limiting-queue.ts';

export interface CacheSync {
  whenSynced(signal?: AbortSignal): Promise<boolean>;
}

export interface ControllerOptions {
  /** Upstream's controller name, e.g. "deployment" (logs, queue name). */
  name: string;
  reconcile(key: string): Promise<void>;
  /** Concurrent reconciles of distinct keys (upstream's --concurrent-*-syncs); default 1. */
  workers?: number;
  /** Retries of one key before it is dropped until the next event for it; default 15 as several upstream controllers. */
  maxRetries?: number;
  /** Informers whose first list gates the workers (WaitForNamedCacheSync). */
  caches?: CacheSync[];
  queue?: RateLimitingQueue<string>;
  clock?: Clock;
  log?: (message: string) => void;
}

export class Controller {
  readonly name: string;
  readonly queue: RateLimitingQueue<string>;
  private readonly log: (m: string) => void;
  private readonly stopController = new AbortController();
  private running?: Promise<void>;

  constructor(private readonly opts: ControllerOptions) {
    this.name = opts.name;
    this.queue = opts.queue ?? new RateLimitingQueue<string>({ name: opts.name, clock: opts.clock ?? realClock });
    this.log = opts.log ?? (() => {});
  }

  /** Queue an object (or tombstone, or key) for reconcile. */
  enqueue(obj: KObject | DeletedFinalStateUnknown | string): void {
    this.queue.add(typeof obj === 'string' ? obj : deletionHandlingMetaNamespaceKeyFunc(obj));
  }

  enqueueAfter(obj: KObject | string, delayMs: number): void {
    this.queue.addAfter(typeof obj === 'string' ? obj : deletionHandlingMetaNamespaceKeyFunc(obj), delayMs);
  }

  enqueueRateLimited(obj: KObject | string): void {
    this.queue.addRateLimited(typeof obj === 'string' ? obj : deletionHandlingMetaNamespaceKeyFunc(obj));
  }

  /** Waits for the caches, then runs the workers until stop(); resolves when they have finished. */
  run(): Promise<void> {
    return this.running ??= this.runWorkers();
  }

  /** Stops handing out keys (queued ones are dropped) and waits for reconciles in flight. */
  async stop(): Promise<void> {
    this.stopController.abort();
    this.queue.shutDown();
    await this.running;
  }

  private async runWorkers(): Promise<void> {
    const signal = this.stopController.signal;
    const caches = this.opts.caches ?? [];
    this.log(`Waiting for caches to sync for ${this.name}`);
    const synced = (await Promise.all(caches.map((c) => c.whenSynced(signal)))).every(Boolean);
    if (!synced || signal.aborted) {
      this.log(`unable to sync caches for ${this.name}`);
      return;
    }
    this.log(`Caches are synced for ${this.name}`);
    const workers = Math.max(1, this.opts.workers ?? 1);
    await Promise.all(Array.from({ length: workers }, () => this.worker()));
  }

  private async worker(): Promise<void> {
    for (;;) {
      const next = await this.queue.get();
      if (next.shutdown) return;
      const key = next.item;
      // Stopped (e.g. leadership lost): keys still queued are left for the next leader.
      if (this.stopController.signal.aborted) {
        this.queue.done(key);
        return;
      }
      try {
        await this.opts.reconcile(key);
        this.queue.forget(key);
      } catch (err) {
        this.handleErr(key, err);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private handleErr(key: string, err: unknown): void {
    const maxRetries = this.opts.maxRetries ?? 15;
    if (this.queue.numRequeues(key) < maxRetries) {
      this.log(`${this.name}: error syncing "${key}", requeuing: ${describeError(err)}`);
      this.queue.addRateLimited(key);
      return;
    }
    this.log(`${this.name}: dropping "${key}" out of the queue after ${maxRetries} retries: ${describeError(err)}`);
    this.queue.forget(key);
  }
}
