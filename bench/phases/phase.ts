// One measured phase: what was done, how fast, how long each operation took, what failed, and how busy
// the server and the clients were meanwhile (100% = one core; above means more than one).
import { readCpuSeconds } from '../proc-stats.ts';
import { countErrors, type LoadResult } from '../load.ts';
import { summarize, type LatencySummary } from '../stats.ts';

export interface PhaseResult {
  /** Stable key for comparing reports: create, get, update, merge-patch, list-<n>, watch, pod-startup[-default-qps]. */
  id: string;
  title: string;
  /** What ops counts: requests, whole lists, watch events delivered, or pods Running and Ready. */
  unit: 'requests' | 'lists' | 'events' | 'pods';
  ops: number;
  seconds: number;
  opsPerSec: number;
  latency: LatencySummary;
  errors: Record<string, number>;
  errorCount: number;
  serverCpuPct: number;
  /** This process (the clients): if it nears 100%, the clients, not the server, set the pace. */
  clientCpuPct: number;
  note?: string;
}

export interface PhaseContext {
  serverPid: number;
}

export async function measurePhase(
  ctx: PhaseContext,
  meta: Pick<PhaseResult, 'id' | 'title' | 'unit'>,
  run: () => Promise<LoadResult & { note?: string }>,
): Promise<PhaseResult> {
  const cpu0 = readCpuSeconds(ctx.serverPid);
  const own0 = process.cpuUsage();
  const r = await run();
  const cpu = readCpuSeconds(ctx.serverPid) - cpu0;
  const own = process.cpuUsage(own0);
  return {
    ...meta,
    ops: r.ops,
    seconds: r.seconds,
    opsPerSec: r.ops / r.seconds,
    latency: summarize(r.latenciesMs),
    errors: r.errors,
    errorCount: countErrors(r.errors),
    serverCpuPct: (100 * cpu) / r.seconds,
    clientCpuPct: (own.user + own.system) / 1e4 / r.seconds,
    ...(r.note ? { note: r.note } : {}),
  };
}
