// The kept window of the change log in memory: one entry per revision, contiguous from
// compactedRevision+1 to currentRevision. Watches replay from it and old-revision lists undo it.

import type { StoredEvent } from '../interface.ts';
import type { ChangeFeed } from '../watch-hub.ts';

export interface LogEntry extends StoredEvent {
  /** Wall-clock time of the write (ms), for compacting by age. */
  time: number;
}

export class ChangeLog implements ChangeFeed {
  private entries: LogEntry[] = [];
  private compacted = 0;
  private current = 0;

  constructor(compacted = 0, current = compacted) {
    this.compacted = compacted;
    this.current = current;
  }

  get length(): number { return this.entries.length; }
  at(i: number): LogEntry { return this.entries[i]; }
  currentRevision(): number { return this.current; }
  compactedRevision(): number { return this.compacted; }

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
