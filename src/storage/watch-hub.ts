// Fans a store's change feed out to watchers, like kube-apiserver's cacher over one etcd watch:
// every watcher is a cursor into the same in-memory log, so replay and live delivery are one
// code path and a watcher can never skip or reorder an event.

import { StorageError, type StoredEvent, type WatchCallbacks, type WatchHandle } from './interface.ts';

/** The ordered, kept part of the change log (revisions compactedRevision+1 … currentRevision). */
export interface ChangeFeed {
  currentRevision(): number;
  compactedRevision(): number;
  /** Index of the first kept event with revision > rev (length when none). */
  indexAfter(rev: number): number;
  at(index: number): StoredEvent;
  readonly length: number;
}

interface Watcher {
  prefix: string;
  recursive: boolean;
  /** Revision of the last event this watcher has seen (delivered or skipped as non-matching). */
  cursor: number;
  cb: WatchCallbacks;
  stopped: boolean;
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly feed: ChangeFeed) {}

  get size(): number { return this.watchers.size; }

  /**
   * Watch keys under prefix (exact key when recursive is false) with revision > fromRevision;
   * 0 means "from now". Callbacks always run after watch() returned.
   */
  watch(prefix: string, fromRevision: number, cb: WatchCallbacks, recursive = true): WatchHandle {
    const w: Watcher = { prefix, recursive, cursor: fromRevision || this.feed.currentRevision(), cb, stopped: false };
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
    for (const w of this.watchers) this.pump(w);
  }

  stopAll(): void {
    for (const w of this.watchers) w.stopped = true;
    this.watchers.clear();
  }

  private remove(w: Watcher): void {
    w.stopped = true;
    this.watchers.delete(w);
  }

  private pump(w: Watcher): void {
    if (w.stopped) return;
    const compacted = this.feed.compactedRevision();
    if (w.cursor < compacted) {
      // Only a watcher that had not caught up before a compaction can get here.
      this.remove(w);
      w.cb.onError(expired(w.prefix, w.cursor, compacted));
      return;
    }
    const start = w.cursor;
    let delivered = false;
    for (let i = this.feed.indexAfter(w.cursor); i < this.feed.length; i++) {
      const e = this.feed.at(i);
      w.cursor = e.revision;
      if (!matches(w, e.key)) continue;
      delivered = true;
      if (!this.deliver(w, () => w.cb.onEvent(copyEvent(e)))) return;
      if (w.stopped) return;
    }
    if (!delivered && w.cursor > start && w.cb.onProgress) this.deliver(w, () => w.cb.onProgress!(w.cursor));
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

/** Watchers get private copies: the feed's objects are the store's cache. */
function copyEvent(e: StoredEvent): StoredEvent {
  const out: StoredEvent = { type: e.type, key: e.key, revision: e.revision, object: structuredClone(e.object) };
  if (e.prevObject) out.prevObject = structuredClone(e.prevObject);
  return out;
}

export function expired(key: string, revision: number, compacted: number): StorageError {
  // Upstream's cacher text: "too old resource version: <requested> (<oldest kept>)".
  return new StorageError('Expired', key, `too old resource version: ${revision} (${compacted})`, compacted);
}
