// The storage contract the registry builds on, shaped like k8s.io/apiserver's storage.Interface.
// Keys are opaque strings ("/registry/pods/ns/name"); values are JSON objects. Storage knows
// nothing of HTTP or kinds; it sets metadata.resourceVersion to the revision of each write.

import type { KObject } from '../apimachinery/types.ts';

export type StorageErrorCode = 'KeyNotFound' | 'KeyExists' | 'ResourceVersionConflict' | 'Expired' | 'InvalidObj' | 'TooLarge' | 'Internal';

/** Raised by storage; the registry translates these into Status errors in one place. */
export class StorageError extends Error {
  constructor(readonly code: StorageErrorCode, readonly key: string, message?: string, readonly revision?: number) {
    super(message ?? `${code}: ${key}`);
    this.name = 'StorageError';
  }
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface ListOptions {
  /** Serve the list as of this revision (0/undefined = latest). Older than the compacted revision → Expired. */
  revision?: number;
  /** Continue listing at this key (exclusive: keys strictly greater). */
  startAfterKey?: string;
  /** At most this many matching items (0 = all). */
  limit?: number;
  /** Only items for which this returns true count towards the page. */
  predicate?: (obj: KObject) => boolean;
  /** When the prefix is a "directory", keys are matched by prefix; when recursive is false, only the exact key. */
  recursive?: boolean;
}

export interface ListResult<T = KObject> {
  items: T[];
  /** The revision the list was served at. */
  revision: number;
  /** Set when more matching items follow: the last key returned. */
  continueKey?: string;
  /** Approximate count of items after this page (when limit cut the list). */
  remainingItemCount?: number;
}

/**
 * One change as a watcher receives it. A delivery is shared by every watcher it reaches (like the
 * cacher's watchCacheEvent upstream), so it is read-only: the objects are parsed from the stored JSON
 * on first use and deep-frozen; copy one before changing it.
 */
export interface StoredEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  key: string;
  revision: number;
  /** The object after the change (for DELETED: the last state, with resourceVersion = the delete revision). */
  readonly object: KObject;
  /** The object before the change (MODIFIED and DELETED). */
  readonly prevObject?: KObject;
  /** The stored JSON text of object: what a get at this revision serves before conversion. */
  readonly objectJson: string;
  readonly prevObjectJson?: string;
}

export interface WatchHandle {
  stop(): void;
}

export interface WatchCallbacks {
  /** Events in revision order, never skipped or reordered. */
  onEvent(e: StoredEvent): void;
  /** The watch cannot continue (e.g. Expired: the start revision was compacted). */
  onError(err: StorageError): void;
  /** Revision progress for bookmarks; called when the store advances without a matching event. */
  onProgress?(revision: number): void;
}

export type TryUpdate = (current: KObject) => KObject | Promise<KObject>;

export interface Storage {
  /** The latest revision written (and made durable). */
  currentRevision(): number;
  /** The oldest revision a watch or list may start from; older → Expired. */
  compactedRevision(): number;

  /** Create key; KeyExists if present. Returns the stored object with resourceVersion set. Durable when resolved. */
  create(key: string, obj: KObject): Promise<KObject>;

  /** Get key at latest (or at a kept revision); undefined when absent. */
  get(key: string, opts?: { revision?: number }): Promise<KObject | undefined>;

  /** As get, but the object's stored JSON text, for reads that only serve it (no parse, no copy). */
  getRaw(key: string, opts?: { revision?: number }): Promise<string | undefined>;

  /** List keys under prefix in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;

  /** As list, but the items are their stored JSON texts (a predicate still sees parsed objects). */
  listRaw(prefix: string, opts?: ListOptions): Promise<ListResult<string>>;

  /**
   * Read-modify-write with compare-and-swap: calls tryUpdate with the current object (a private copy),
   * writes its result if the object did not change meanwhile, else retries with the new current.
   * Preconditions are checked against the current object (ResourceVersionConflict on mismatch).
   * tryUpdate may throw to abort (the error is passed through). If tryUpdate returns an object whose
   * JSON equals the current one, nothing is written and the current object is returned.
   */
  guaranteedUpdate(key: string, tryUpdate: TryUpdate, opts?: { preconditions?: Preconditions }): Promise<KObject>;

  /**
   * Delete key. `validate` sees the current object and may throw to abort. Returns the deleted object
   * with resourceVersion = the delete revision.
   */
  delete(key: string, opts?: { preconditions?: Preconditions; validate?: (current: KObject) => void | Promise<void> }): Promise<KObject>;

  /**
   * Watch changes under prefix (or exactly key when recursive is false) with revision > fromRevision.
   * fromRevision older than compactedRevision() → onError(Expired).
   */
  watch(prefix: string, fromRevision: number, cb: WatchCallbacks, opts?: { recursive?: boolean }): WatchHandle;

  /** Count of keys under prefix (for remainingItemCount / metrics). */
  count(prefix: string): number;

  /** Flush, stop watchers, close the database. */
  close(): Promise<void>;
}
