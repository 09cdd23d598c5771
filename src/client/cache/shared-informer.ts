// A shared informer (client-go's sharedIndexInformer): one reflector keeps one indexed cache of a
// resource and tells every registered handler about adds, updates and deletes. Handlers run
// synchronously, in event order, and should only enqueue keys (controllers' rule); the objects they
// receive are the cache's own and must not be mutated.
import type { KObject } from '../../apimachinery/types.ts';
import { realClock, type Clock, type TimerHandle } from '../clock.ts';
import type { Backoff } from './backoff.ts';
import { FREEZE_CACHE_DEFAULT, deepFreeze } from './deep-freeze.ts';
import type { IndexFunc } from './index-funcs.ts';
import { Indexer } from './indexer.ts';
import { DeletedFinalStateUnknown, metaNamespaceKeyFunc } from './keys.ts';
import type { ListerWatcher } from './list-watch.ts';
import { Lister } from './lister.ts';
import { Reflector, type ReflectorStore } from './reflector.ts';

export interface ResourceEventHandler<T extends KObject = KObject> {
  /** isInInitialList: delivered as part of the first list (or the catch-up of a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** Also called on re-list and resync with old === new content (compare resourceVersions to tell). */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A tombstone when the deletion was only learned from a re-list. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  /** True once this handler has been given the initial list. */
  hasSynced(): boolean;
  remove(): void;
}

export interface SharedInformerOptions {
  name: string;
  indexers?: Record<string, IndexFunc>;
  /** Handlers without their own resync period get this one; 0 = no resync (default). */
  defaultResyncPeriodMs?: number;
  clock?: Clock;
  log?: (message: string) => void;
  /** Deep-freeze cached objects (default on, see deep-freeze.ts). */
  freeze?: boolean;
  backoff?: Backoff;
  minWatchTimeoutSeconds?: number;
}

interface Listener<T extends KObject> {
  handler: ResourceEventHandler<T>;
  resyncMs: number;
  timer?: TimerHandle;
}

export class SharedIndexInformer<T extends KObject = KObject> implements ReflectorStore<T> {
  readonly indexer: Indexer<T>;
  private readonly reflector: Reflector<T>;
  private readonly listeners = new Set<Listener<T>>();
  private synced = false;
  private started = false;
  private stopped = false;
  private readonly syncWaiters: Array<() => void> = [];
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly freeze: boolean;

  constructor(lw: ListerWatcher<T>, private readonly opts: SharedInformerOptions) {
    this.indexer = new Indexer<T>(opts.indexers);
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    this.freeze = opts.freeze ?? FREEZE_CACHE_DEFAULT;
    this.reflector = new Reflector(lw, this, {
      name: opts.name, clock: this.clock, log: this.log, backoff: opts.backoff, minWatchTimeoutSeconds: opts.minWatchTimeoutSeconds,
    });
  }

  get name(): string { return this.opts.name; }

  lister(): Lister<T> { return new Lister(this.indexer); }

  addIndexers(indexers: Record<string, IndexFunc>): void { this.indexer.addIndexers(indexers); }

  /** Registers a handler; on a running informer it first receives every cached object as an add. */
  addEventHandler(handler: ResourceEventHandler<T>, opts: { resyncPeriodMs?: number } = {}): HandlerRegistration {
    const listener: Listener<T> = { handler, resyncMs: opts.resyncPeriodMs ?? this.opts.defaultResyncPeriodMs ?? 0 };
    this.listeners.add(listener);
    if (this.synced) for (const obj of this.indexer.list()) this.call(listener, 'onAdd', () => handler.onAdd?.(obj, true));
    if (this.started) this.scheduleResync(listener);
    return {
      hasSynced: () => this.synced,
      remove: () => {
        if (listener.timer) this.clock.clearTimeout(listener.timer);
        this.listeners.delete(listener);
      },
    };
  }

  /** Starts the list+watch; idempotent. */
  run(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    for (const l of this.listeners) this.scheduleResync(l);
    void this.reflector.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const l of this.listeners) if (l.timer) this.clock.clearTimeout(l.timer);
    await this.reflector.stop();
    this.releaseWaiters();
  }

  hasSynced(): boolean { return this.synced; }

  /** Resolves true once the first list is in the cache, false if the informer stops (or signal aborts) first. */
  whenSynced(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(this.synced);
      });
    });
  }

  lastSyncResourceVersion(): string { return this.reflector.lastSyncResourceVersion(); }

  /** Full lists made so far (1 after start; more after 410s and failures). */
  get listCount(): number { return this.reflector.listCount; }

  // --- ReflectorStore: keep the cache and tell the handlers ----------------------------------

  replace(items: T[], _resourceVersion: string): void {
    const initial = !this.synced;
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.prepare(item);
      const key = metaNamespaceKeyFunc(obj);
      seen.add(key);
      const old = this.indexer.set(key, obj);
      if (old) this.notifyUpdate(old, obj);
      else this.notifyAdd(obj, initial);
    }
    for (const key of this.indexer.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.indexer.delete(key)!;
      this.notifyDelete(new DeletedFinalStateUnknown(key, old));
    }
    if (initial) {
      this.synced = true;
      this.releaseWaiters();
    }
  }

  add(item: T): void {
    const obj = this.prepare(item);
    const old = this.indexer.set(metaNamespaceKeyFunc(obj), obj);
    if (old) this.notifyUpdate(old, obj);
    else this.notifyAdd(obj, false);
  }

  update(item: T): void { this.add(item); }

  delete(item: T): void {
    const obj = this.prepare(item);
    this.indexer.delete(metaNamespaceKeyFunc(obj));
    this.notifyDelete(obj);
  }

  // --- internals ----------------------------------------------------------------------------

  private prepare(obj: T): T { return this.freeze ? deepFreeze(obj) : obj; }

  private notifyAdd(obj: T, initial: boolean): void {
    for (const l of this.listeners) this.call(l, 'onAdd', () => l.handler.onAdd?.(obj, initial));
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const l of this.listeners) this.call(l, 'onUpdate', () => l.handler.onUpdate?.(old, obj));
  }

  private notifyDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    for (const l of this.listeners) this.call(l, 'onDelete', () => l.handler.onDelete?.(obj));
  }

  /** A throwing handler is logged and does not stop the others or the informer. */
  private call(_l: Listener<T>, what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log(`${this.opts.name}: ${what} handler failed: ${(err as Error)?.stack ?? String(err)}`);
    }
  }

  /** Periodic resync: every cached object is handed to onUpdate again, so level-triggered handlers re-check. */
  private scheduleResync(l: Listener<T>): void {
    if (l.resyncMs <= 0 || this.stopped) return;
    l.timer = this.clock.setTimeout(() => {
      if (!this.listeners.has(l) || this.stopped) return;
      if (this.synced) for (const obj of this.indexer.list()) this.call(l, 'onUpdate', () => l.handler.onUpdate?.(obj, obj));
      this.scheduleResync(l);
    }, l.resyncMs);
  }

  private releaseWaiters(): void {
    for (const w of this.syncWaiters.splice(0)) w();
  }
}
