// Storage over LevelDB, shaped like kine/etcd behind kube-apiserver's watch cache: one
// cluster-wide revision, every write one atomic synced batch (object + change-log entry +
// revision), concurrent writes group-committed into one fsync, reads and watches from memory.
//
// Objects returned to callers (results, list items, watch events) are always private
// structuredClone copies; the cache itself holds deep-frozen objects.

import { Level } from 'level';
import type { KObject } from '../../apimachinery/types.ts';
import {
  StorageError, type ListOptions, type ListResult, type Preconditions, type Storage, type StoredEvent,
  type TryUpdate, type WatchCallbacks, type WatchHandle,
} from '../interface.ts';
import { WatchHub, expired } from '../watch-hub.ts';
import { ChangeLog } from './change-log.ts';
import { LOG_PREFIX, META_COMPACTED, META_REVISION, directoryPrefix, logKey, objectKey, prefixEnd } from './keys.ts';
import { loadState } from './load-state.ts';
import { copy, equalIgnoringResourceVersion, internalize, withResourceVersion } from './objects.ts';
import { checkPreconditions } from './preconditions.ts';
import { encodeLogRecord, encodeObjectRecord } from './records.ts';
import { SortedKeys, compare } from './sorted-keys.ts';

export interface LevelStorageOptions {
  /** How often the change log is compacted, and how much history is kept (default 5 minutes). */
  compactionIntervalMs?: number;
  /** Wall clock for compaction by age (injectable for tests). */
  now?: () => number;
}

interface Current {
  rev: number;
  obj: KObject;
}

/** A write that has a revision but is not yet durable. */
interface PendingWrite {
  type: StoredEvent['type'];
  key: string;
  rev: number;
  time: number;
  /** The stored object; for DELETED the last state with resourceVersion = the delete revision. */
  obj: KObject;
  json: string;
  prev?: KObject;
  settled: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

type BatchOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

export class LevelStorage implements Storage {
  private readonly keys = new SortedKeys();
  private readonly hub: WatchHub;
  /** Accepted, not yet durable writes by key: what KeyExists and CAS checks see first. */
  private readonly pending = new Map<string, PendingWrite>();
  private queue: PendingWrite[] = [];
  private flushing: Promise<void> | undefined;
  /** The highest revision handed out (>= the committed revision). */
  private assigned: number;
  private compaction: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly intervalMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly db: Level<string, string>,
    private readonly objects: Map<string, Current>,
    private readonly log: ChangeLog,
    opts: LevelStorageOptions,
  ) {
    this.keys.reset([...objects.keys()]);
    this.hub = new WatchHub(log);
    this.assigned = log.currentRevision();
    this.intervalMs = opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    this.now = opts.now ?? Date.now;
    // 0 disables compaction (as kube-apiserver's --etcd-compaction-interval=0): history is kept.
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => {
        this.compact().catch((err) => process.emitWarning(`storage compaction failed: ${err}`));
      }, this.intervalMs);
      this.timer.unref();
    }
  }

  static async open(dir: string, opts: LevelStorageOptions = {}): Promise<LevelStorage> {
    const db = new Level<string, string>(dir);
    await db.open();
    const { objects, log } = await loadState(db);
    return new LevelStorage(db, objects, log, opts);
  }

  currentRevision(): number { return this.log.currentRevision(); }
  compactedRevision(): number { return this.log.compactedRevision(); }

  async create(key: string, obj: KObject): Promise<KObject> {
    if (this.latest(key)) throw new StorageError('KeyExists', key);
    const rev = this.assigned + 1;
    const stored = internalize(key, obj, rev);
    await this.enqueue('ADDED', key, rev, stored.obj, stored.json).settled;
    return copy(stored.obj);
  }

  async get(key: string, opts?: { revision?: number }): Promise<KObject | undefined> {
    const obj = opts?.revision ? this.objectAt(key, this.checkRevision(key, opts.revision)) : this.objects.get(key)?.obj;
    return obj && copy(obj);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const current = this.log.currentRevision();
    const revision = opts.revision ? this.checkRevision(prefix, opts.revision) : current;
    const pred = opts.predicate;
    if (opts.recursive === false) {
      const obj = this.objectAt(prefix, revision);
      return { items: obj && (!pred || pred(obj)) ? [copy(obj)] : [], revision };
    }
    const dir = directoryPrefix(prefix);
    const atLatest = revision === current;
    const entries = atLatest ? this.latestEntries(dir, opts.startAfterKey) : this.entriesAt(dir, opts.startAfterKey, revision);
    const limit = opts.limit ?? 0;
    const items: KObject[] = [];
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    for (const [key, obj] of entries) {
      if (pred && !pred(obj)) continue;
      if (limit > 0 && items.length >= limit) {
        more = true;
        break;
      }
      items.push(copy(obj));
      lastKey = key;
    }
    const result: ListResult = { items, revision };
    if (more) {
      result.continueKey = lastKey;
      // Like upstream, only without a selector is the remaining count known cheaply.
      if (!pred) {
        if (atLatest) remaining = this.countRange(this.keys.upperBound(lastKey!), dir);
        else for (const _ of this.entriesAt(dir, lastKey, revision)) remaining++;
        result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  async guaranteedUpdate(key: string, tryUpdate: TryUpdate, opts?: { preconditions?: Preconditions }): Promise<KObject> {
    for (;;) {
      const cur = this.latest(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      checkPreconditions(key, cur.obj, opts?.preconditions);
      const res = tryUpdate(copy(cur.obj));
      const out = res instanceof Promise ? await res : res;
      // Someone else wrote (or deleted) the key while tryUpdate ran: retry on the new state.
      if (this.latest(key)?.rev !== cur.rev) continue;
      const rev = this.assigned + 1;
      const next = internalize(key, out, rev);
      if (equalIgnoringResourceVersion(next.obj, cur.obj)) {
        await this.durable(key, cur.rev);
        return copy(cur.obj);
      }
      await this.enqueue('MODIFIED', key, rev, next.obj, next.json, cur.obj).settled;
      return copy(next.obj);
    }
  }

  async delete(key: string, opts?: { preconditions?: Preconditions; validate?: (current: KObject) => void | Promise<void> }): Promise<KObject> {
    for (;;) {
      const cur = this.latest(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      checkPreconditions(key, cur.obj, opts?.preconditions);
      if (opts?.validate) {
        const r = opts.validate(copy(cur.obj));
        if (r instanceof Promise) await r;
        if (this.latest(key)?.rev !== cur.rev) continue;
      }
      const rev = this.assigned + 1;
      const last = withResourceVersion(cur.obj, rev);
      await this.enqueue('DELETED', key, rev, last, JSON.stringify(last), cur.obj).settled;
      return copy(last);
    }
  }

  watch(prefix: string, fromRevision: number, cb: WatchCallbacks, opts?: { recursive?: boolean }): WatchHandle {
    const recursive = opts?.recursive ?? true;
    return this.hub.watch(recursive ? directoryPrefix(prefix) : prefix, fromRevision, cb, recursive);
  }

  count(prefix: string): number {
    const dir = directoryPrefix(prefix);
    return this.countRange(this.keys.lowerBound(dir), dir);
  }

  /**
   * Drop change-log entries written more than one interval ago (kube-apiserver compacts etcd
   * every 5 minutes the same way); returns the compacted revision. Runs on a timer; public for tests.
   */
  compact(): Promise<number> {
    const run = this.compaction.then(async () => {
      const rev = this.log.revisionBefore(this.now() - this.intervalMs);
      if (rev <= this.log.compactedRevision() || this.closed) return this.log.compactedRevision();
      this.log.compactTo(rev);
      // Persist the mark first: entries at or below it are ignored on load even if clear() is cut short.
      await this.db.put(META_COMPACTED, String(rev));
      await this.db.clear({ gt: LOG_PREFIX, lte: logKey(rev) });
      return rev;
    });
    this.compaction = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    while (this.flushing) await this.flushing;
    await this.compaction;
    this.hub.stopAll();
    await this.db.close();
  }

  // --- writes ---------------------------------------------------------------------------------

  private enqueue(type: StoredEvent['type'], key: string, rev: number, obj: KObject, json: string, prev?: KObject): PendingWrite {
    if (this.closed) throw new Error('storage is closed');
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const settled = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    const w: PendingWrite = { type, key, rev, time: this.now(), obj, json, prev, settled, resolve, reject };
    this.assigned = rev;
    this.pending.set(key, w);
    this.queue.push(w);
    this.flushing ??= this.flushLoop();
    return w;
  }

  /** Group commit: whatever queued while the previous fsync ran goes out in the next one batch. */
  private async flushLoop(): Promise<void> {
    await Promise.resolve(); // let writes issued in the same tick join the first batch
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        await this.commit(batch);
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async commit(batch: PendingWrite[]): Promise<void> {
    const ops: BatchOp[] = [];
    for (const w of batch) {
      ops.push(w.type === 'DELETED'
        ? { type: 'del', key: objectKey(w.key) }
        : { type: 'put', key: objectKey(w.key), value: encodeObjectRecord(w.rev, w.json) });
      const prevJson = w.prev && JSON.stringify(w.prev);
      ops.push({ type: 'put', key: logKey(w.rev), value: encodeLogRecord(w.type, w.key, w.time, w.json, prevJson) });
    }
    ops.push({ type: 'put', key: META_REVISION, value: String(batch[batch.length - 1].rev) });
    try {
      await this.db.batch(ops, { sync: true });
    } catch (err) {
      this.abandonPending(batch, err);
      return;
    }
    for (const w of batch) this.apply(w);
    this.hub.notify();
    for (const w of batch) w.resolve();
  }

  private apply(w: PendingWrite): void {
    if (w.type === 'DELETED') {
      this.objects.delete(w.key);
      this.keys.remove(w.key);
    } else {
      if (!this.objects.has(w.key)) this.keys.insert(w.key);
      this.objects.set(w.key, { rev: w.rev, obj: w.obj });
    }
    const e = { type: w.type, key: w.key, revision: w.rev, time: w.time, object: w.obj, prevObject: w.prev };
    if (!w.prev) delete e.prevObject;
    this.log.append(e);
    if (this.pending.get(w.key) === w) this.pending.delete(w.key);
  }

  /** A failed batch fails everything accepted after it too: those were checked against it. */
  private abandonPending(batch: PendingWrite[], err: unknown): void {
    const failed = [...batch, ...this.queue];
    this.queue = [];
    this.pending.clear();
    this.assigned = this.log.currentRevision();
    for (const w of failed) w.reject(err);
  }

  /** The newest accepted state of key, durable or not. */
  private latest(key: string): Current | undefined {
    const p = this.pending.get(key);
    if (p) return p.type === 'DELETED' ? undefined : { rev: p.rev, obj: p.obj };
    return this.objects.get(key);
  }

  private async durable(key: string, rev: number): Promise<void> {
    const p = this.pending.get(key);
    if (p && p.rev === rev) await p.settled;
  }

  // --- reads ----------------------------------------------------------------------------------

  private checkRevision(key: string, rev: number): number {
    const compacted = this.log.compactedRevision();
    const current = this.log.currentRevision();
    if (rev < compacted) throw expired(key, rev, compacted);
    if (rev > current) throw new StorageError('TooLarge', key, `Too large resource version: ${rev}, current: ${current}`, current);
    return rev;
  }

  /** The object at a kept revision: the prev of the first later change to key, else the current. */
  private objectAt(key: string, rev: number): KObject | undefined {
    for (let i = this.log.indexAfter(rev); i < this.log.length; i++) {
      const e = this.log.at(i);
      if (e.key === key) return e.prevObject;
    }
    return this.objects.get(key)?.obj;
  }

  private startIndex(dir: string, startAfterKey: string | undefined): number {
    const first = this.keys.lowerBound(dir);
    return startAfterKey === undefined ? first : Math.max(first, this.keys.upperBound(startAfterKey));
  }

  private countRange(from: number, dir: string): number {
    const end = prefixEnd(dir);
    return (end === undefined ? this.keys.length : this.keys.lowerBound(end)) - from;
  }

  private *latestEntries(dir: string, startAfterKey: string | undefined): Generator<[string, KObject]> {
    for (let i = this.startIndex(dir, startAfterKey); i < this.keys.length; i++) {
      const key = this.keys.at(i);
      if (!key.startsWith(dir)) return;
      yield [key, this.objects.get(key)!.obj];
    }
  }

  /** Entries under dir as of rev: current keys merged with the keys changed since, undone. */
  private *entriesAt(dir: string, startAfterKey: string | undefined, rev: number): Generator<[string, KObject]> {
    const undone = new Map<string, KObject | undefined>();
    for (let i = this.log.indexAfter(rev); i < this.log.length; i++) {
      const e = this.log.at(i);
      if (e.key.startsWith(dir) && !undone.has(e.key)) undone.set(e.key, e.prevObject);
    }
    const changed = [...undone.keys()].filter((k) => startAfterKey === undefined || k > startAfterKey).sort(compare);
    let i = this.startIndex(dir, startAfterKey);
    let j = 0;
    for (;;) {
      const a = i < this.keys.length && this.keys.at(i).startsWith(dir) ? this.keys.at(i) : undefined;
      const b = j < changed.length ? changed[j] : undefined;
      if (a === undefined && b === undefined) return;
      let key: string;
      if (b === undefined || (a !== undefined && a < b)) {
        key = a!;
        i++;
      } else {
        key = b;
        j++;
        if (a === b) i++;
      }
      const obj = undone.has(key) ? undone.get(key) : this.objects.get(key)!.obj;
      if (obj) yield [key, obj];
    }
  }
}
