// Watch on top of storage for one resource: initial state, selector filtering with the
// ADDED/DELETED transitions upstream's cacher makes when an object enters or leaves a selector.
import { newResourceExpired, type StatusError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { StoredEvent, WatchHandle } from '../../storage/interface.ts';
import type { RequestContext } from '../types.ts';
import { parseResourceVersion, type GenericStore } from './store.ts';
import { interpretStorageError } from './storage-errors.ts';

export interface WatchSink {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): void;
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

export function watchStore(store: GenericStore, storage: import('../../storage/interface.ts').Storage, ctx: RequestContext, opts: StoreWatchOptions, sink: WatchSink): WatchHandle {
  const match = opts.predicate ?? (() => true);
  const rv = opts.resourceVersion;
  const legacyInitial = rv === undefined || rv === '' || rv === '0';
  const initial = opts.sendInitialEvents ?? legacyInitial;
  let stopped = false;
  let handle: WatchHandle | undefined;

  const onEvent = (e: StoredEvent) => {
    if (stopped) return;
    const cur = store.toExternal(structuredClone(e.object));
    const curMatch = match(cur);
    if (e.type === 'ADDED') { if (curMatch) sink.event('ADDED', cur); return; }
    const prev = e.prevObject ? store.toExternal(structuredClone(e.prevObject)) : undefined;
    const prevMatch = prev ? match(prev) : false;
    if (e.type === 'DELETED') { if (prevMatch || curMatch) sink.event('DELETED', cur); return; }
    if (curMatch && prevMatch) sink.event('MODIFIED', cur);
    else if (curMatch) sink.event('ADDED', cur);
    else if (prevMatch) sink.event('DELETED', cur);
  };
  const callbacks = {
    onEvent,
    onError: (err: import('../../storage/interface.ts').StorageError) => {
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
      const list = await store.list(ctx, { predicate: opts.predicate });
      from = Number(list.metadata.resourceVersion);
      for (const item of list.items) { if (stopped) return; sink.event('ADDED', item); }
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
