// Fans a store's change feed out to watchers, like kube-apiserver's cacher over one etcd watch:
// every watcher is a cursor into the same log, so replay and live delivery are one code path and a
// watcher can never skip or reorder an event. Recent entries are in memory; a watcher that starts
// further back first reads the older ones from disk, in order, then joins the live feed.

import { StorageError, type WatchCallbacks, type WatchHandle } from './interface.ts';
import { WatchEvent, type FeedEntry, type FeedMeta } from './watch-event.ts';

/** The ordered, kept part of the change log (revisions compactedRevision+1 … currentRevision). */
export interface ChangeFeed {
  currentRevision(): number;
  compactedRevision(): number;
  /** Entries at or below this revision have left memory (their texts are on disk only). */
  evictedRevision(): number;
  /** Index of the first kept event with revision > rev (length when none). */
  indexAfter(rev: number): number;
  at(index: number): FeedMeta;
  readonly length: number;
}

/** Reads entries with from < revision <= to back from disk, in order, at most limit of them. */
export type HistoryReader = (from: number, to: number, limit: number) => Promise<FeedEntry[]>;

/** Entries read from disk per step of a catch-up: bounds what one watcher holds at once. */
const CATCH_UP_BATCH = 256;

interface Watcher {
  prefix: string;
  recursive: boolean;
  /** Revision of the last event this watcher has seen (delivered or skipped as non-matching). */
  cursor: number;
  cb: WatchCallbacks;
  stopped: boolean;
  /** Reading history from disk: live delivery waits until it has caught up. */
  catchingUp: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  /**
   * During notify(): the deliveries made so far, by feed index. Every watcher that is caught up gets
   * the same (read-only) event object, so what one parses or encodes the others reuse; the round
   * ends with notify, so nothing derived from an event outlives its delivery.
   */
  private round: Map<number, WatchEvent> | undefined;

  constructor(private readonly feed: ChangeFeed, private readonly readHistory: HistoryReader) {}

  get size(): number { return this.watchers.size; }

  /**
   * Watch keys under prefix (exact key when recursive is false) with revision > fromRevision;
   * 0 means "from now". Callbacks always run after watch() returned.
   */
  watch(prefix: string, fromRevision: number, cb: WatchCallbacks, recursive = true): WatchHandle {
    const w: Watcher = { prefix, recursive, cursor: fromRevision || this.feed.currentRevision(), cb, stopped: false, catchingUp: false };
    const handle = { stop: () => this.remove(w) };
    const compacted = this.feed.compactedRevision();
    if (fromRevision !== 0 && fromRevision < compacted) {
      w.stopped = true;
      queueMicrotask(() => cb.onError(expired(prefix, fromRevision, compacted)));
      return handle;
    }
    this.watchers.add(w);
    // Replay kept history asynchronously; later commits pump the same cursor, so order holds.
    queueMicrotask(() => this.pump(w));
    return handle;
  }

  /** Deliver newly committed events to every watcher; call after each commit. */
  notify(): void {
    this.round = new Map();
    try {
      for (const w of this.watchers) this.pump(w);
    } finally {
      this.round = undefined;
    }
  }

  stopAll(): void {
    for (const w of this.watchers) w.stopped = true;
    this.watchers.clear();
  }

  private remove(w: Watcher): void {
    w.stopped = true;
    this.watchers.delete(w);
  }

  /** Only a watcher that had not caught up before a compaction can fall behind it. */
  private compactedAway(w: Watcher): boolean {
    const compacted = this.feed.compactedRevision();
    if (w.cursor >= compacted) return false;
    this.remove(w);
    w.cb.onError(expired(w.prefix, w.cursor, compacted));
    return true;
  }

  private pump(w: Watcher): void {
    if (w.stopped || w.catchingUp || this.compactedAway(w)) return;
    if (w.cursor < this.feed.evictedRevision()) {
      void this.catchUp(w);
      return;
    }
    const start = w.cursor;
    let delivered = false;
    for (let i = this.feed.indexAfter(w.cursor); i < this.feed.length; i++) {
      const entry = this.feed.at(i);
      w.cursor = entry.revision;
      if (!matches(w, entry.key)) continue;
      delivered = true;
      // Entries above evictedRevision keep their texts.
      const e = this.eventAt(i, entry as FeedEntry);
      if (!this.deliver(w, () => w.cb.onEvent(e))) return;
      if (w.stopped) return;
    }
    if (!delivered && w.cursor > start && w.cb.onProgress) this.deliver(w, () => w.cb.onProgress!(w.cursor));
  }

  /** Deliver what has left memory from disk, in order, then carry on from memory. */
  private async catchUp(w: Watcher): Promise<void> {
    w.catchingUp = true;
    const start = w.cursor;
    let delivered = false;
    try {
      while (!w.stopped && w.cursor < this.feed.evictedRevision()) {
        if (this.compactedAway(w)) return;
        const batch = await this.readHistory(w.cursor, this.feed.evictedRevision(), CATCH_UP_BATCH);
        if (w.stopped) return;
        for (const entry of batch) {
          // The log has one entry per revision: a gap means compaction removed what was being read.
          if (entry.revision !== w.cursor + 1) {
            if (!this.compactedAway(w)) this.fail(w, `history missing at revision ${w.cursor + 1}`);
            return;
          }
          w.cursor = entry.revision;
          if (!matches(w, entry.key)) continue;
          delivered = true;
          if (!this.deliver(w, () => w.cb.onEvent(new WatchEvent(entry)))) return;
          if (w.stopped) return;
        }
        if (batch.length === 0 && !this.compactedAway(w)) {
          this.fail(w, `history missing at revision ${w.cursor + 1}`);
          return;
        }
      }
    } catch (err) {
      if (!w.stopped) this.fail(w, `reading history: ${(err as Error)?.message ?? err}`);
      return;
    } finally {
      w.catchingUp = false;
    }
    if (w.stopped) return;
    if (!delivered && w.cursor > start && w.cb.onProgress) {
      if (!this.deliver(w, () => w.cb.onProgress!(w.cursor))) return;
    }
    this.pump(w);
  }

  private fail(w: Watcher, message: string): void {
    this.remove(w);
    w.cb.onError(new StorageError('Internal', w.prefix, message));
  }

  private eventAt(i: number, entry: FeedEntry): WatchEvent {
    let e = this.round?.get(i);
    if (!e) {
      e = new WatchEvent(entry);
      this.round?.set(i, e);
    }
    return e;
  }

  /** A throwing callback must not break the store's commit loop: stop that watcher instead. */
  private deliver(w: Watcher, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      this.remove(w);
      process.emitWarning(`watch callback threw, watcher stopped: ${(err as Error)?.stack ?? err}`);
      return false;
    }
  }
}

function matches(w: Watcher, key: string): boolean {
  return w.recursive ? key.startsWith(w.prefix) : key === w.prefix;
}

export function expired(key: string, revision: number, compacted: number): StorageError {
  // Upstream's cacher text: "too old resource version: <requested> (<oldest kept>)".
  return new StorageError('Expired', key, `too old resource version: ${revision} (${compacted})`, compacted);
}
