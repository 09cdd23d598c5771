// A change-log entry as it is delivered to watchers. The log keeps JSON text only (one string per
// revision, shared with the current-object map); a delivery parses an object the first time a watcher
// looks at it and freezes it, so fifty watchers of one change cost one parse, or none at all when
// they only forward the stored text.

import type { KObject } from '../apimachinery/types.ts';
import type { StoredEvent } from './interface.ts';

/** A change as delivered: the texts of the object after (and before) it. */
export interface FeedEntry {
  type: StoredEvent['type'];
  key: string;
  revision: number;
  /** The stored object (DELETED: its last state with resourceVersion = the delete revision). */
  json: string;
  /** The stored object before the change (MODIFIED and DELETED). */
  prevJson?: string;
}

/**
 * What the in-memory log holds per revision: the texts of recent entries; older ones (revision at or
 * below the feed's evictedRevision) keep only what finding them takes, their texts are read back from disk.
 */
export interface FeedMeta {
  type: StoredEvent['type'];
  key: string;
  revision: number;
  json?: string;
  prevJson?: string;
}

export class WatchEvent implements StoredEvent {
  readonly type: StoredEvent['type'];
  readonly key: string;
  readonly revision: number;
  readonly objectJson: string;
  readonly prevObjectJson: string | undefined;
  private parsed?: KObject;
  private prevParsed?: KObject;

  // The texts are taken now: the log may drop them from memory while a watcher still holds the event.
  constructor(entry: FeedEntry) {
    this.type = entry.type;
    this.key = entry.key;
    this.revision = entry.revision;
    this.objectJson = entry.json;
    this.prevObjectJson = entry.prevJson;
  }

  get object(): KObject {
    return this.parsed ??= deepFreeze(JSON.parse(this.objectJson) as KObject);
  }

  get prevObject(): KObject | undefined {
    if (this.prevObjectJson === undefined) return undefined;
    return this.prevParsed ??= deepFreeze(JSON.parse(this.prevObjectJson) as KObject);
  }
}

export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
