// The kept window of the change log in memory: one entry per revision, contiguous from
// compactedRevision+1 to currentRevision. Watches replay from it and old-revision lists undo it.
// Only the newest entries keep their texts (the history is on disk as well): older ones keep what
// finding a revision or a key takes, and are read back from disk when someone goes that far back.

import type { FeedMeta } from '../watch-event.ts';
import type { ChangeFeed } from '../watch-hub.ts';

/**
 * One revision. Objects are kept as their stored JSON text, and a version's text is one string shared
 * by its entry, the next entry's prevJson and the current-object map, so recent history costs one
 * copy of each version and nothing is parsed until someone needs it.
 */
export interface LogEntry extends FeedMeta {
  /** Wall-clock time of the write (ms), for compacting by age. */
  time: number;
}

export class ChangeLog implements ChangeFeed {
  private entries: LogEntry[] = [];
  private compacted = 0;
  private current = 0;
  private evicted = 0;

  constructor(compacted = 0, current = compacted) {
    this.compacted = compacted;
    this.current = current;
  }

  get length(): number { return this.entries.length; }
  at(i: number): LogEntry { return this.entries[i]; }
  currentRevision(): number { return this.current; }
  compactedRevision(): number { return this.compacted; }
  evictedRevision(): number { return this.evicted; }

  /** Drop the texts of all but the newest `keep` entries. */
  evict(keep: number): void {
    const end = this.entries.length - keep;
    for (let i = this.indexAfter(this.evicted); i < end; i++) {
      const e = this.entries[i];
      e.json = undefined;
      e.prevJson = undefined;
      this.evicted = e.revision;
    }
  }

  append(e: LogEntry): void {
    this.entries.push(e);
    this.current = e.revision;
  }

  /** Advance the current revision without an entry (only when loading an empty log). */
  setCurrent(rev: number): void {
    if (rev > this.current) this.current = rev;
  }

  indexAfter(rev: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].revision <= rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The newest revision written before `cutoff` (ms), i.e. what compacting by age may drop up to. */
  revisionBefore(cutoff: number): number {
    let rev = this.compacted;
    for (const e of this.entries) {
      if (e.time >= cutoff) break;
      rev = e.revision;
    }
    return rev;
  }

  /** Drop entries with revision <= rev. */
  compactTo(rev: number): void {
    if (rev <= this.compacted) return;
    this.entries.splice(0, this.indexAfter(rev));
    this.compacted = Math.min(rev, this.current);
  }
}
