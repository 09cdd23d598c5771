// The bar to beat: kube-apiserver v1.26 with etcd 3.4 on a 2-core machine, over HTTPS, 32 concurrent
// clients, ConfigMaps of 8 keys × 96 B. k8ts aims at twice the rates, half the latencies and a
// quarter of the memory, with every write durable.

export interface Bar {
  opsPerSec?: number;
  /** The latency the bar states: p99 for request phases, the time of one list for lists. */
  latencyMs?: number;
  latencyKind?: 'p99' | 'p50';
  text: string;
  /** An SLO rather than kube-apiserver's figure: the goal is to meet it, not to halve it. */
  slo?: boolean;
}

/** Upstream's pod start-up SLO: p99 ≤ 5 s from creation to running, observed via watch. */
export const POD_STARTUP_SLO: Bar = { latencyMs: 5000, latencyKind: 'p99', text: 'SLO: p99 ≤ 5 s', slo: true };

export const BAR: Record<string, Bar> = {
  create: { opsPerSec: 1100, latencyMs: 83, latencyKind: 'p99', text: '1.1k/s, p99 83 ms' },
  get: { opsPerSec: 2900, latencyMs: 25, latencyKind: 'p99', text: '2.9k/s, p99 25 ms' },
  update: { opsPerSec: 1100, text: '1.1k/s' },
  'merge-patch': { opsPerSec: 1000, text: '1.0k/s' },
  'list-2000': { latencyMs: 59, latencyKind: 'p50', text: '59 ms per list' },
  watch: { opsPerSec: 27_000, latencyMs: 204, latencyKind: 'p99', text: '27k events/s, p99 204 ms' },
  'pod-startup': POD_STARTUP_SLO,
  'pod-startup-default-qps': POD_STARTUP_SLO,
};

/** The bar of a phase; the kubelet pod start-up rounds (kubelet-pod-startup[-<tuning>]-<pods>) are held to the SLO. */
export function barFor(id: string): Bar | undefined {
  return BAR[id] ?? (id.startsWith('kubelet-pod-startup') ? POD_STARTUP_SLO : undefined);
}

/** RSS of kube-apiserver + etcd under that load. */
export const BAR_RSS_MIB = { low: 600, high: 730 };

export const GOAL = { rateFactor: 2, latencyFactor: 0.5, memoryFactor: 0.25 };

export interface Verdict {
  /** Our rate ÷ the bar's (goal ≥ 2). */
  rateRatio?: number;
  /** Our latency ÷ the bar's, same percentile (goal ≤ 0.5). */
  latencyRatio?: number;
  meetsGoal: boolean;
}

export function judge(bar: Bar, opsPerSec: number, latency: { p50Ms: number; p99Ms: number }): Verdict {
  const v: Verdict = { meetsGoal: true };
  if (bar.opsPerSec !== undefined) {
    v.rateRatio = opsPerSec / bar.opsPerSec;
    if (v.rateRatio < GOAL.rateFactor) v.meetsGoal = false;
  }
  if (bar.latencyMs !== undefined) {
    v.latencyRatio = (bar.latencyKind === 'p50' ? latency.p50Ms : latency.p99Ms) / bar.latencyMs;
    if (!(v.latencyRatio <= (bar.slo ? 1 : GOAL.latencyFactor))) v.meetsGoal = false;
  }
  return v;
}

/** Memory goal: a quarter of the bar's low end, so the goal is met whichever end one reads. */
export function memoryGoalMiB(): number {
  return BAR_RSS_MIB.low * GOAL.memoryFactor;
}
