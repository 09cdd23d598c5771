// Closed-loop load: `concurrency` workers each send their next request as soon as the previous one
// answers, until `total` operations are done. Every answer is counted; a non-2xx answer or a socket
// error is an error, reported by status code or error code, so a fast run full of failures shows.
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ops: number;
  seconds: number;
  latenciesMs: number[];
  errors: Record<string, number>;
}

/** op(i) performs operation i and returns its HTTP status. */
export async function runClosedLoop(total: number, concurrency: number, op: (i: number) => Promise<number>): Promise<LoadResult> {
  const latenciesMs: number[] = new Array(total);
  const errors: Record<string, number> = {};
  const fail = (code: string) => { errors[code] = (errors[code] ?? 0) + 1; };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t0 = performance.now();
      try {
        const status = await op(i);
        if (status < 200 || status > 299) fail(String(status));
      } catch (err) {
        fail((err as NodeJS.ErrnoException).code ?? (err as Error).message);
      }
      latenciesMs[i] = performance.now() - t0;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { ops: total, seconds: (performance.now() - started) / 1000, latenciesMs, errors };
}

export function countErrors(errors: Record<string, number>): number {
  return Object.values(errors).reduce((a, b) => a + b, 0);
}
