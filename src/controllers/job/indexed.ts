// Indexed Jobs (upstream's indexed_job_utils.go): completion indexes as ordered intervals, the text
// form of status.completedIndexes ("0-2,4"), which indexes still need a pod, and duplicate pods.
import { compareActivePodsForDeletion, getCompletionIndex } from './job-util.ts';
import type { Pod } from './types.ts';

export type Interval = readonly [first: number, last: number];

export class OrderedIntervals {
  constructor(readonly intervals: readonly Interval[] = []) {}

  /** parseIndexesFromString: malformed parts are skipped, indexes ≥ completions dropped. */
  static parse(text: string | undefined, completions: number): OrderedIntervals {
    const out: Interval[] = [];
    for (const part of (text ?? '').split(',')) {
      const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
      if (!m) continue;
      const first = Number(m[1]);
      const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
      if (first > last || first >= completions) continue;
      out.push([first, last]);
    }
    return new OrderedIntervals(out).withOrderedIndexes([]);
  }

  /** The union with more indexes, merged into sorted non-adjacent intervals. */
  withOrderedIndexes(indexes: readonly number[]): OrderedIntervals {
    const all: Interval[] = [...this.intervals, ...indexes.map((i) => [i, i] as const)].sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [first, last] of all) {
      const prev = merged[merged.length - 1];
      if (prev && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
      else merged.push([first, last]);
    }
    return new OrderedIntervals(merged);
  }

  total(): number {
    return this.intervals.reduce((n, [a, b]) => n + (b - a + 1), 0);
  }

  has(ix: number): boolean {
    return this.intervals.some(([a, b]) => ix >= a && ix <= b);
  }

  toString(): string {
    return this.intervals.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',');
  }
}

/**
 * calculateSucceededIndexes: the indexes already in status plus those of succeeded pods that
 * still carry the tracking finalizer (not yet counted).
 */
export function calculateSucceededIndexes(completedIndexes: string | undefined, completions: number, pods: readonly Pod[], hasFinalizer: (p: Pod) => boolean): { prev: OrderedIntervals; current: OrderedIntervals } {
  const prev = OrderedIntervals.parse(completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = getCompletionIndex(p);
    if (p.status?.phase === 'Succeeded' && ix >= 0 && ix < completions && hasFinalizer(p)) fresh.add(ix);
  }
  return { prev, current: prev.withOrderedIndexes([...fresh].sort((a, b) => a - b)) };
}

/** firstPendingIndexes: the lowest indexes with neither a success nor an active pod. */
export function firstPendingIndexes(succeeded: OrderedIntervals, activePods: readonly Pod[], count: number, completions: number): number[] {
  const taken = new Set(activePods.map(getCompletionIndex));
  const out: number[] = [];
  for (let ix = 0; ix < completions && out.length < count; ix++) {
    if (!taken.has(ix) && !succeeded.has(ix)) out.push(ix);
  }
  return out;
}

/**
 * appendDuplicatedIndexPodsForRemoval: active pods without a valid index, and all but the most
 * advanced pod of an index that has several, are to be removed.
 */
export function duplicatedIndexPodsForRemoval(activePods: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of activePods) {
    const ix = getCompletionIndex(p);
    if (ix < 0 || ix >= completions) rm.push(p);
    else byIndex.set(ix, [...(byIndex.get(ix) ?? []), p]);
  }
  const left: Pod[] = [];
  for (const group of byIndex.values()) {
    const sorted = [...group].sort(compareActivePodsForDeletion);
    rm.push(...sorted.slice(0, -1));
    left.push(sorted[sorted.length - 1]!);
  }
  return { rm, left };
}
