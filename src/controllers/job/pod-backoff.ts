// Back-off between replacements of failed pods (upstream's backoff_utils.go): per Job, the failures
// since the last success and when the last one happened; the n-th consecutive failure delays the
// next pod creation by 10s·2^(n-1), capped (upstream now caps at 10 minutes; its docs still say 6).
// Kept in memory like upstream: a restarted controller starts counting afresh.
import { podFinishedTime } from './job-util.ts';
import type { Pod } from './types.ts';

export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export interface BackoffRecord {
  key: string;
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

export class PodBackoffStore {
  private readonly records = new Map<string, BackoffRecord>();

  update(record: BackoffRecord): void { this.records.set(record.key, { ...record }); }

  remove(key: string): void { this.records.delete(key); }

  /** newBackoffRecord: the record after counting newly finished pods. */
  newRecord(key: string, newSucceeded: readonly Pod[], newFailed: readonly Pod[]): BackoffRecord {
    const old = this.records.get(key);
    const record: BackoffRecord = { key, failuresAfterLastSuccess: old?.failuresAfterLastSuccess ?? 0, lastFailureTime: old?.lastFailureTime };
    const failedTimes = newFailed.map(podFinishedTime).sort((a, b) => a - b);
    if (newSucceeded.length === 0) {
      if (failedTimes.length === 0) return record;
      record.failuresAfterLastSuccess += failedTimes.length;
      record.lastFailureTime = failedTimes[failedTimes.length - 1];
      return record;
    }
    // A success resets the count; only failures after the latest success count.
    const lastSuccess = Math.max(...newSucceeded.map(podFinishedTime));
    const after = failedTimes.filter((t) => t > lastSuccess);
    return { key, failuresAfterLastSuccess: after.length, lastFailureTime: after.length ? after[after.length - 1] : undefined };
  }
}

/** How long pod creation must still wait after the record's failures (0 = create now). */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let backoff = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    backoff *= 2;
    if (backoff >= maxMs) { backoff = maxMs; break; }
  }
  const elapsed = nowMs - record.lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}
