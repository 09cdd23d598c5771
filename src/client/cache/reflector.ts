// The reflector (client-go tools/cache): list, then watch from the list's resourceVersion with
// bookmarks, feeding a store. A watch that ends is resumed from the last resourceVersion seen; a 410
// (the history is compacted) means list again, and the store receives the whole new state (Replace)
// so it can work out what was missed. Connection failures back off exponentially.
import type { KObject } from '../../apimachinery/types.ts';
import { ApiError, isConnectionError, isGone, isTooManyRequests } from '../api-error.ts';
import { realClock, sleep, type Clock } from '../clock.ts';
import type { WatchStream } from '../watch-stream.ts';
import { Backoff } from './backoff.ts';
import type { ListerWatcher } from './list-watch.ts';

export interface ReflectorStore<T extends KObject> {
  /** The complete state at resourceVersion (after a list). */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  /** For log lines: usually the resource, e.g. "pods". */
  name: string;
  clock?: Clock;
  log?: (message: string) => void;
  backoff?: Backoff;
  /** Watches ask the server to end them after a random time in [min, 2×min) (client-go: 5 minutes). */
  minWatchTimeoutSeconds?: number;
  random?: () => number;
}

/** A watch that ends sooner than this without any event counts as a failure (no hot reconnect loop). */
const SHORT_WATCH_MS = 1000;
/** A second 410 within this long of the first waits for the back-off before listing again. */
const EXPIRED_AGAIN_MS = 5000;

type WatchOutcome = 'ended' | 'expired' | 'failed';

export class Reflector<T extends KObject> {
  private stopped = false;
  private readonly stopController = new AbortController();
  private lastRV = '';
  private readonly clock: Clock;
  private readonly log: (m: string) => void;
  private readonly backoff: Backoff;
  private running?: Promise<void>;
  /** How many full lists have been made (for observability and tests). */
  listCount = 0;

  constructor(private readonly lw: ListerWatcher<T>, private readonly store: ReflectorStore<T>, private readonly opts: ReflectorOptions) {
    this.clock = opts.clock ?? realClock;
    this.log = opts.log ?? (() => {});
    this.backoff = opts.backoff ?? new Backoff({ clock: this.clock });
  }

  /** The resourceVersion of the last list, event or bookmark applied. */
  lastSyncResourceVersion(): string { return this.lastRV; }

  run(): Promise<void> {
    return this.running ??= this.loop();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.stopController.abort();
    return this.running ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.listAndWatch();
      } catch (err) {
        if (this.stopped) break;
        this.log(`${this.opts.name}: ${describe(err)}; listing again after back-off`);
      }
      if (this.stopped) break;
      await this.pause(this.backoff.next());
    }
  }

  /** List, then watch until the watch cannot be resumed; returns to be called again (after a back-off). */
  private async listAndWatch(): Promise<void> {
    for (let relistNow = true; relistNow && !this.stopped;) {
      relistNow = false;
      const list = await this.lw.list({}, this.stopController.signal);
      if (this.stopped) return;
      this.listCount++;
      const rv = list.metadata.resourceVersion ?? '';
      this.store.replace(list.items, rv);
      this.lastRV = rv;
      const outcome = await this.watchLoop();
      // Re-list at once on 410, unless the last 410 was moments ago: then through the back-off.
      if (outcome === 'expired') {
        const now = this.clock.now();
        relistNow = now - this.lastExpiredAt > EXPIRED_AGAIN_MS;
        this.lastExpiredAt = now;
      }
    }
  }

  private lastExpiredAt = -Infinity;

  /** Watches (resuming each time a watch ends) until a 410 or a failure that calls for a new list. */
  private async watchLoop(): Promise<WatchOutcome> {
    while (!this.stopped) {
      let stream: WatchStream<T>;
      try {
        stream = await this.lw.watch({
          resourceVersion: this.lastRV,
          allowWatchBookmarks: true,
          timeoutSeconds: this.watchTimeoutSeconds(),
          signal: this.stopController.signal,
        });
      } catch (err) {
        if (this.stopped) return 'ended';
        if (isGone(err)) {
          this.log(`${this.opts.name}: watch from resourceVersion ${this.lastRV}: ${describe(err)}; listing again`);
          return 'expired';
        }
        // The server is away or busy: keep the cache and resume the same watch later (as client-go).
        if (isConnectionError(err) || isTooManyRequests(err)) {
          await this.pause(this.backoff.next());
          continue;
        }
        throw err;
      }
      const outcome = await this.handleWatch(stream);
      if (outcome === 'expired') return outcome;
      if (outcome === 'failed') await this.pause(this.backoff.next());
    }
    return 'ended';
  }

  private async handleWatch(stream: WatchStream<T>): Promise<WatchOutcome> {
    const started = this.clock.now();
    let events = 0;
    try {
      for await (const ev of stream) {
        if (this.stopped) break;
        if (ev.type === 'ERROR') {
          const err = ApiError.fromStatus(ev.object);
          if (isGone(err)) {
            this.log(`${this.opts.name}: watch ended: ${err.message}; listing again`);
            return 'expired';
          }
          throw err;
        }
        const obj = ev.object;
        switch (ev.type) {
          case 'ADDED': this.store.add(obj); break;
          case 'MODIFIED': this.store.update(obj); break;
          case 'DELETED': this.store.delete(obj); break;
          case 'BOOKMARK': break;
          default: this.log(`${this.opts.name}: unknown watch event type ${(ev as { type: string }).type}`);
        }
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.lastRV = rv;
        events++;
      }
    } catch (err) {
      if (this.stopped) return 'ended';
      if (err instanceof ApiError) throw err;
      // A stream cut mid-way (server restarting): resume from the last resourceVersion.
      this.log(`${this.opts.name}: watch stream failed: ${describe(err)}`);
      return 'failed';
    } finally {
      stream.stop();
    }
    if (events === 0 && this.clock.now() - started < SHORT_WATCH_MS && !this.stopped) return 'failed';
    return 'ended';
  }

  private watchTimeoutSeconds(): number {
    const min = this.opts.minWatchTimeoutSeconds ?? 300;
    return Math.max(1, Math.floor(min * (1 + (this.opts.random ?? Math.random)())));
  }

  private async pause(ms: number): Promise<void> {
    try {
      await sleep(this.clock, ms, this.stopController.signal);
    } catch {
      // stopped
    }
  }
}

function describe(err: unknown): string {
  if (err instanceof ApiError) return `${err.message} (${err.code}${err.reason ? ` ${err.reason}` : ''})`;
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.message} (${e.code})` : String(e?.message ?? err);
}
