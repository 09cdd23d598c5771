// Latency summaries. Percentiles are nearest-rank, so p99 of 100 samples is the 99th slowest one,
// never an interpolation between samples.

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

export function summarize(samplesMs: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50Ms: NaN, p99Ms: NaN, meanMs: NaN, maxMs: NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: n,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    meanMs: sum / n,
    maxMs: sorted[n - 1]!,
  };
}

/** The nearest-rank percentile p (0–1) of unsorted samples; NaN when there are none. */
export function percentileOf(samplesMs: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(samplesMs).sort();
  return sorted.length === 0 ? NaN : percentile(sorted, p);
}

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}
