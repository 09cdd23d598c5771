// Watch on top of storage for one resource: initial state, selector filtering with the
// ADDED/DELETED transitions upstream's cacher makes when an object enters or leaves a selector.
//
// Storage delivers one read-only event object to all its watchers; here each event's served form is
// made once per store and shared too, so N watchers of a change cost one conversion (none when the
// stored JSON is already the served form) and one encoding per output format, not N.
import { newResourceExpired, type StatusError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { Storage, StorageError, StoredEvent, WatchHandle } from '../../storage/interface.ts';
import { deepFreeze } from '../../storage/watch-event.ts';
import type { RequestContext } from '../types.ts';
import { parseResourceVersion, type GenericStore } from './store.ts';
import { interpretStorageError } from './storage-errors.ts';

/** An object as a watch serves it; shared by every watcher of the event, so read-only. */
export interface WatchObject {
  /** The served JSON text (what a get would answer). */
  readonly json: string;
  /** The served object, parsed on first use and deep-frozen. */
  readonly object: KObject;
  /** Encoded watch lines, keyed by the writer (event type, format): encoded once, written to every watcher. */
  readonly encodings: Map<string, Buffer>;
}

export interface WatchSink {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: WatchObject): void;
  /** Progress without a matching event; initialEventsEnd marks the end of sendInitialEvents. */
  bookmark(resourceVersion: string, initialEventsEnd?: boolean): void;
  error(err: StatusError): void;
}

export interface StoreWatchOptions {
  predicate?: (obj: KObject) => boolean;
  resourceVersion?: string;
  sendInitialEvents?: boolean;
  /** Watch one object (fieldSelector metadata.name=x is folded into predicate by the caller). */
}

class ServedObject implements WatchObject {
  readonly encodings = new Map<string, Buffer>();
  private text?: string;
  private parsed?: KObject;

  /**
   * `source` is the stored text (converted on demand), or already the served text when `served`;
   * `storedObject` is the event's own parse of it, reused when conversion changes nothing.
   */
  constructor(
    private readonly store: GenericStore,
    private readonly source: string,
    private readonly served: boolean,
    private readonly storedObject?: () => KObject,
  ) {}

  get json(): string {
    return this.text ??= this.served ? this.source : this.store.externalJson(this.source);
  }

  get object(): KObject {
    if (this.parsed === undefined) {
      if (this.storedObject && this.store.servesStoredJson(this.source)) this.parsed = this.storedObject();
      else {
        const obj = JSON.parse(this.source) as KObject;
        this.parsed = deepFreeze(this.served ? obj : this.store.toExternal(obj));
      }
    }
    return this.parsed;
  }
}

interface EventObjects { cur: ServedObject; prev?: ServedObject }

// Per event and store; an event lives for one delivery round, and so does this.
const servedByEvent = new WeakMap<StoredEvent, Map<GenericStore, EventObjects>>();

function servedObjects(store: GenericStore, e: StoredEvent): EventObjects {
  let byStore = servedByEvent.get(e);
  if (!byStore) {
    byStore = new Map();
    servedByEvent.set(e, byStore);
  }
  let o = byStore.get(store);
  if (!o) {
    o = { cur: new ServedObject(store, e.objectJson, false, () => e.object) };
    if (e.prevObjectJson !== undefined) o.prev = new ServedObject(store, e.prevObjectJson, false, () => e.prevObject!);
    byStore.set(store, o);
  }
  return o;
}

export function watchStore(store: GenericStore, storage: Storage, ctx: RequestContext, opts: StoreWatchOptions, sink: WatchSink): WatchHandle {
  const match = opts.predicate;
  const rv = opts.resourceVersion;
  const legacyInitial = rv === undefined || rv === '' || rv === '0';
  const initial = opts.sendInitialEvents ?? legacyInitial;
  let stopped = false;
  let handle: WatchHandle | undefined;

  const onEvent = (e: StoredEvent) => {
    if (stopped) return;
    const { cur, prev } = servedObjects(store, e);
    // Without a selector every object matches, and nothing needs parsing.
    const curMatch = match ? match(cur.object) : true;
    if (e.type === 'ADDED') { if (curMatch) sink.event('ADDED', cur); return; }
    const prevMatch = prev ? (match ? match(prev.object) : true) : false;
    if (e.type === 'DELETED') { if (prevMatch || curMatch) sink.event('DELETED', cur); return; }
    if (curMatch && prevMatch) sink.event('MODIFIED', cur);
    else if (curMatch) sink.event('ADDED', cur);
    else if (prevMatch) sink.event('DELETED', cur);
  };
  const callbacks = {
    onEvent,
    onError: (err: StorageError) => {
      if (stopped) return;
      const st = err.code === 'Expired'
        ? newResourceExpired(`too old resource version: ${rv} (${storage.compactedRevision()})`)
        : interpretStorageError(err, store.gr, '');
      sink.error(st);
    },
    onProgress: (revision: number) => { if (!stopped) sink.bookmark(String(revision)); },
  };

  const start = async () => {
    let from: number;
    if (initial) {
      const list = await store.listJson(ctx, { predicate: opts.predicate });
      from = Number(list.head.metadata.resourceVersion);
      for (const item of list.items) { if (stopped) return; sink.event('ADDED', new ServedObject(store, item, true)); }
      if (opts.sendInitialEvents) sink.bookmark(String(from), true);
    } else {
      from = parseResourceVersion(rv!);
    }
    if (stopped) return;
    handle = storage.watch(store.prefix(ctx.namespace), from, callbacks, { recursive: true });
  };
  start().catch((err) => { if (!stopped) sink.error(interpretStorageError(err, store.gr, '')); });
  return { stop() { stopped = true; handle?.stop(); } };
}
