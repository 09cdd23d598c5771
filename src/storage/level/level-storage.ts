// Storage over LevelDB, shaped like kine/etcd behind kube-apiserver's watch cache: one
// cluster-wide revision, every write one atomic synced batch (object + change-log entry +
// revision), concurrent writes group-committed into one fsync, reads and watches from memory.
//
// The cache holds each version as its stored JSON text (one string per revision, shared by the
// current-object map and the change log). Callers get private objects parsed from it; the raw reads
// (getRaw, listRaw) and watch events hand out the text itself, so serving needs no copy at all.

import { Level } from 'level';
import type { KObject } from '../../apimachinery/types.ts';
import {
  StorageError, type ListOptions, type ListResult, type Preconditions, type Storage, type StoredEvent,
  type TryUpdate, type WatchCallbacks, type WatchHandle,
} from '../interface.ts';
import { WatchHub, expired } from '../watch-hub.ts';
import { ChangeLog, type LogEntry } from './change-log.ts';
import { LOG_PREFIX, META_COMPACTED, META_REVISION, directoryPrefix, logKey, objectKey, prefixEnd } from './keys.ts';
import { loadState } from './load-state.ts';
import { equalIgnoringResourceVersion, parse, serialize } from './objects.ts';
import { checkPreconditions } from './preconditions.ts';
import { decodeLogPrev, decodeLogRecord, encodeLogRecord, encodeObjectRecord } from './records.ts';
import type { FeedEntry } from '../watch-event.ts';
import { SortedKeys, compare } from './sorted-keys.ts';

export interface LevelStorageOptions {
  /** How often the change log is compacted, and how much history is kept (default 5 minutes). */
  compactionIntervalMs?: number;
  /**
   * How many of the newest revisions keep their objects' texts in memory (default 4096); older kept
   * history is read back from disk by the watches and old-revision reads that go that far back.
   */
  historyInMemory?: number;
  /** Wall clock for compaction by age (injectable for tests). */
  now?: () => number;
}

interface Current {
  rev: number;
  /** The stored JSON text (resourceVersion = rev). */
  json: string;
}

/** A write that has a revision but is not yet durable. */
interface PendingWrite {
  type: StoredEvent['type'];
  key: string;
  rev: number;
  time: number;
  /** The stored object's text; for DELETED the last state with resourceVersion = the delete revision. */
  json: string;
  prevJson?: string;
  settled: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

/** Keys changed since a revision → their text at it (undefined: absent then). */
type Undone = Map<string, string | undefined>;

type BatchOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };

const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;
const DEFAULT_HISTORY_IN_MEMORY = 4096;

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
  private notifyScheduled = false;
  private readonly intervalMs: number;
  private readonly historyInMemory: number;
  private readonly now: () => number;

  private constructor(
    private readonly db: Level<string, string>,
    private readonly objects: Map<string, Current>,
    private readonly log: ChangeLog,
    opts: LevelStorageOptions,
  ) {
    this.keys.reset([...objects.keys()]);
    this.hub = new WatchHub(log, (from, to, limit) => this.readHistory(from, to, limit));
    this.assigned = log.currentRevision();
    this.intervalMs = opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    this.historyInMemory = opts.historyInMemory ?? DEFAULT_HISTORY_IN_MEMORY;
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
    const json = serialize(key, obj, rev);
    await this.enqueue('ADDED', key, rev, json).settled;
    return parse(json);
  }

  async get(key: string, opts?: { revision?: number }): Promise<KObject | undefined> {
    const json = await this.getRaw(key, opts);
    return json === undefined ? undefined : parse(json);
  }

  async getRaw(key: string, opts?: { revision?: number }): Promise<string | undefined> {
    if (!opts?.revision) return this.objects.get(key)?.json;
    const rev = this.checkRevision(key, opts.revision);
    return this.atRevision(key, rev, false, (undone) => this.jsonAt(key, undone));
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    // A predicate already parsed the items it kept: those parses are the private copies.
    return this.collect(prefix, opts, (json, parsed) => parsed ?? parse(json));
  }

  async listRaw(prefix: string, opts: ListOptions = {}): Promise<ListResult<string>> {
    return this.collect(prefix, opts, (json) => json);
  }

  private async collect<T>(prefix: string, opts: ListOptions, item: (json: string, parsed: KObject | undefined) => T): Promise<ListResult<T>> {
    const current = this.log.currentRevision();
    const revision = opts.revision ? this.checkRevision(prefix, opts.revision) : current;
    const dir = opts.recursive === false ? prefix : directoryPrefix(prefix);
    if (revision === current) return this.collectAt(dir, opts, revision, undefined, item);
    return this.atRevision(dir, revision, opts.recursive !== false, (undone) => this.collectAt(dir, opts, revision, undone, item));
  }

  /** The list at revision: the latest state, or (undone given) the latest with later changes undone. */
  private collectAt<T>(
    dir: string, opts: ListOptions, revision: number, undone: Undone | undefined, item: (json: string, parsed: KObject | undefined) => T,
  ): ListResult<T> {
    const pred = opts.predicate;
    if (opts.recursive === false) {
      const json = undone ? this.jsonAt(dir, undone) : this.objects.get(dir)?.json;
      if (json === undefined) return { items: [], revision };
      const parsed = pred ? parse(json) : undefined;
      return { items: !pred || pred(parsed!) ? [item(json, parsed)] : [], revision };
    }
    const entries = undone ? this.entriesAt(dir, opts.startAfterKey, undone) : this.latestEntries(dir, opts.startAfterKey);
    const limit = opts.limit ?? 0;
    const items: T[] = [];
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    for (const [key, json] of entries) {
      const parsed = pred ? parse(json) : undefined;
      if (pred && !pred(parsed!)) continue;
      if (limit > 0 && items.length >= limit) {
        more = true;
        break;
      }
      items.push(item(json, parsed));
      lastKey = key;
    }
    const result: ListResult<T> = { items, revision };
    if (more) {
      result.continueKey = lastKey;
      // Like upstream, only without a selector is the remaining count known cheaply.
      if (!pred) {
        if (!undone) remaining = this.countRange(this.keys.upperBound(lastKey!), dir);
        else for (const _ of this.entriesAt(dir, lastKey, undone)) remaining++;
        result.remainingItemCount = remaining;
      }
    }
    return result;
  }

  async guaranteedUpdate(key: string, tryUpdate: TryUpdate, opts?: { preconditions?: Preconditions }): Promise<KObject> {
    for (;;) {
      const cur = this.latest(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      const current = parse(cur.json);
      checkPreconditions(key, current, opts?.preconditions);
      const res = tryUpdate(current);
      const out = res instanceof Promise ? await res : res;
      // Someone else wrote (or deleted) the key while tryUpdate ran: retry on the new state.
      if (this.latest(key)?.rev !== cur.rev) continue;
      const rev = this.assigned + 1;
      const json = serialize(key, out, rev);
      if (equalIgnoringResourceVersion(json, rev, cur.json, cur.rev)) {
        await this.durable(key, cur.rev);
        return parse(cur.json);
      }
      await this.enqueue('MODIFIED', key, rev, json, cur.json).settled;
      return parse(json);
    }
  }

  async delete(key: string, opts?: { preconditions?: Preconditions; validate?: (current: KObject) => void | Promise<void> }): Promise<KObject> {
    for (;;) {
      const cur = this.latest(key);
      if (!cur) throw new StorageError('KeyNotFound', key);
      const current = parse(cur.json);
      checkPreconditions(key, current, opts?.preconditions);
      if (opts?.validate) {
        const r = opts.validate(current);
        if (r instanceof Promise) await r;
        if (this.latest(key)?.rev !== cur.rev) continue;
      }
      const rev = this.assigned + 1;
      const last = parse(cur.json);
      last.metadata = { ...last.metadata, resourceVersion: String(rev) };
      const json = JSON.stringify(last);
      await this.enqueue('DELETED', key, rev, json, cur.json).settled;
      return last;
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

  private enqueue(type: StoredEvent['type'], key: string, rev: number, json: string, prevJson?: string): PendingWrite {
    if (this.closed) throw new Error('storage is closed');
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const settled = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
    const w: PendingWrite = { type, key, rev, time: this.now(), json, prevJson, settled, resolve, reject };
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
      ops.push({ type: 'put', key: logKey(w.rev), value: encodeLogRecord(w.type, w.key, w.time, w.json, w.prevJson) });
    }
    ops.push({ type: 'put', key: META_REVISION, value: String(batch[batch.length - 1].rev) });
    try {
      await this.db.batch(ops, { sync: true });
    } catch (err) {
      this.abandonPending(batch, err);
      return;
    }
    for (const w of batch) this.apply(w);
    for (const w of batch) w.resolve();
    this.scheduleNotify();
  }

  /**
   * Watchers hear of a commit once its writers have been answered (as upstream, where the cacher
   * learns of a write from etcd's watch after the write returned): the answers do not wait behind the
   * fan-out, and commits that land meanwhile go out in the same round. Order is unaffected: every
   * watcher is a cursor into the log.
   */
  private scheduleNotify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    setImmediate(() => {
      this.notifyScheduled = false;
      this.hub.notify();
    });
  }

  private apply(w: PendingWrite): void {
    if (w.type === 'DELETED') {
      this.objects.delete(w.key);
      this.keys.remove(w.key);
    } else {
      if (!this.objects.has(w.key)) this.keys.insert(w.key);
      this.objects.set(w.key, { rev: w.rev, json: w.json });
    }
    const e: LogEntry = { type: w.type, key: w.key, revision: w.rev, time: w.time, json: w.json };
    if (w.prevJson !== undefined) e.prevJson = w.prevJson;
    this.log.append(e);
    this.log.evict(this.historyInMemory);
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
    if (p) return p.type === 'DELETED' ? undefined : { rev: p.rev, json: p.json };
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

  /** The object's text at a kept revision: what the first later change undid, else the current. */
  private jsonAt(key: string, undone: Undone): string | undefined {
    return undone.has(key) ? undone.get(key) : this.objects.get(key)?.json;
  }

  /**
   * Calls read with, for each key under dir (or exactly key dir) changed after rev, its text at rev:
   * the prev of its first change since (undefined: it did not exist). Texts that left memory are read
   * from disk first; the log is then scanned again, and read runs in the same turn as that last scan,
   * so no write can land between them and the result is one consistent snapshot.
   */
  private async atRevision<T>(dir: string, rev: number, recursive: boolean, read: (undone: Undone) => T): Promise<T> {
    const fromDisk = new Map<number, string | undefined>();
    for (;;) {
      const undone: Undone = new Map();
      const missing: number[] = [];
      const evicted = this.log.evictedRevision();
      for (let i = this.log.indexAfter(rev); i < this.log.length; i++) {
        const e = this.log.at(i);
        if (undone.has(e.key) || !(recursive ? e.key.startsWith(dir) : e.key === dir)) continue;
        if (e.revision > evicted) undone.set(e.key, e.prevJson);
        else if (fromDisk.has(e.revision)) undone.set(e.key, fromDisk.get(e.revision));
        else {
          missing.push(e.revision);
          undone.set(e.key, undefined);
        }
      }
      if (missing.length === 0) return read(undone);
      const records = await this.db.getMany(missing.map(logKey));
      // Compaction may have removed them meanwhile: then rev is too old now.
      this.checkRevision(dir, rev);
      records.forEach((v, j) => {
        if (v === undefined) throw expired(dir, rev, this.log.compactedRevision());
        fromDisk.set(missing[j]!, decodeLogPrev(v));
      });
    }
  }

  /** Log entries with from < revision <= to, read back from disk (for watches replaying history). */
  private async readHistory(from: number, to: number, limit: number): Promise<FeedEntry[]> {
    const out: FeedEntry[] = [];
    for await (const [k, v] of this.db.iterator({ gt: logKey(from), lte: logKey(to), limit })) {
      out.push(decodeLogRecord(Number(k.slice(LOG_PREFIX.length)), v));
    }
    return out;
  }

  private startIndex(dir: string, startAfterKey: string | undefined): number {
    const first = this.keys.lowerBound(dir);
    return startAfterKey === undefined ? first : Math.max(first, this.keys.upperBound(startAfterKey));
  }

  private countRange(from: number, dir: string): number {
    const end = prefixEnd(dir);
    return (end === undefined ? this.keys.length : this.keys.lowerBound(end)) - from;
  }

  private *latestEntries(dir: string, startAfterKey: string | undefined): Generator<[string, string]> {
    for (let i = this.startIndex(dir, startAfterKey); i < this.keys.length; i++) {
      const key = this.keys.at(i);
      if (!key.startsWith(dir)) return;
      yield [key, this.objects.get(key)!.json];
    }
  }

  /** Entries under dir as of a revision: current keys merged with the keys changed since, undone. */
  private *entriesAt(dir: string, startAfterKey: string | undefined, undone: Undone): Generator<[string, string]> {
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
      const json = undone.has(key) ? undone.get(key) : this.objects.get(key)!.json;
      if (json !== undefined) yield [key, json];
    }
  }
}
