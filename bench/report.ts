// The report: one JSON document kept for later comparison, and the tables printed from it.
import type { Bar, Verdict } from './bar.ts';
import type { LoadResult } from './load.ts';
import type { PhaseResult } from './phases/phase.ts';
import type { KubeletRoundDetail } from './phases/kubelet-pod-startup.ts';
import type { PodStartupDetail } from './phases/pod-startup.ts';
import { summarize, type LatencySummary } from './stats.ts';

export interface BenchReport {
  schema: 'k8ts-bench/1';
  startedAt: string;
  quick: boolean;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  config: { concurrency: number; dataKeys: number; valueBytes: number; objects: number; transport: string };
  startup: {
    cold: { readyMs: number; listeningMs: number };
    warm: { readyMs: number; listeningMs: number; objectsExpected: number; objectsFound: number };
  };
  memory: {
    idleAfterStartMiB: number;
    maxUnderLoadMiB: number;
    peakMiB: number;
    idleAfterLoadMiB: number;
    idleAfterWarmStartMiB: number;
    bar: { lowMiB: number; highMiB: number };
    goalMiB: number;
    meetsGoal: boolean;
  };
  phases: (PhaseResult & { bar?: Bar; verdict?: Verdict })[];
  baseline: {
    levelVersion: string;
    valueBytes: number;
    groupCommitPut: Throughput;
    syncPut: Throughput;
    get: Throughput;
  };
  /** Pod start-up runs (each on its own server child with simulated nodes); their phase rows are in `phases`. */
  podStartup: PodStartupRun[];
  /** Pod start-up on a real kubelet with containerd (each run its own server child); rows also in `phases`. */
  kubeletPodStartup: KubeletPodStartupReport;
  ratios: { createVsLevelGroupCommitPut: number; createVsLevelSyncPut: number; getVsLevelGet: number };
  /** Exit code of the SIGTERM shutdowns (0 = clean), cold then warm. */
  shutdownExitCodes: (number | null)[];
  errorCount: number;
}

export interface PodStartupRun extends PodStartupDetail {
  id: string;
  title: string;
  /** Server flags beyond --simulated-nodes: the client tuning of this run. */
  serverArgs: string[];
  shutdownExitCode: number | null;
}

export interface KubeletPodStartupReport {
  /** Why the phase did not run here (not root, containerd missing). */
  skipped?: string;
  image: string;
  /** Upstream's pod start-up SLO, which every round is held to. */
  slo: { p99Ms: number; text: string };
  runs: KubeletPodStartupRun[];
}

/** One server child with a kubelet at one client tuning, and its rounds. */
export interface KubeletPodStartupRun {
  id: string;
  title: string;
  /** The kubelet's --kube-api-qps / --kube-api-burst (k8ts: --kubelet-api-qps / --kubelet-api-burst). */
  kubeletAPIQPS: number;
  kubeletAPIBurst: number;
  serverArgs: string[];
  nodeName?: string;
  /** Each with the machine's 1-minute load average at its end: real containers compete for the same cores. */
  rounds: (KubeletRoundDetail & { id: string; loadAverage1m: number })[];
  /** Why the run stopped short (no Ready node, failed warm-up): an error. */
  failure?: string;
  shutdownExitCode: number | null;
  /** Processes (containerd, shims) still running under the run's data dir after the server exited: errors. */
  leftovers: string[];
}

export interface Throughput extends LatencySummary {
  ops: number;
  opsPerSec: number;
  errorCount: number;
}

export function throughput(r: LoadResult): Throughput {
  return {
    ops: r.ops, opsPerSec: r.ops / r.seconds, errorCount: Object.values(r.errors).reduce((a, b) => a + b, 0),
    ...summarize(r.latenciesMs),
  };
}

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '—');
const x = (n: number | undefined) => (n === undefined || !Number.isFinite(n) ? '' : `${n.toFixed(2)}×`);
const mib = (n: number) => `${n.toFixed(0)} MiB`;

function table(rows: string[][], rightAligned: Set<number>): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n');
}

export function formatReport(r: BenchReport): string {
  const out: string[] = [];
  out.push(`k8ts benchmark${r.quick ? ' (--quick: small counts, figures not comparable)' : ''}, ${r.startedAt}`);
  out.push(`${r.config.concurrency} concurrent clients over ${r.config.transport}, ConfigMaps of ${r.config.dataKeys} keys × ${r.config.valueBytes} B, ` +
    `${int(r.config.objects)} objects; every write fsynced before it is answered`);
  out.push(`machine: ${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.machine.node}, load average ` +
    `${r.machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')} at start, ${r.machine.loadAverageAtEnd.map((l) => l.toFixed(2)).join(' ')} at end` +
    (r.machine.loadAverageAtStart[0]! > 0.5 ? ' (busy machine: figures are noisy)' : ''));
  out.push('');

  const rows: string[][] = [['phase', 'ops', 'errors', 'ops/s', 'p50 ms', 'p99 ms', 'srv CPU', 'bench CPU', 'kube-apiserver bar', 'rate', 'latency', 'goal (2× rate, ½ latency)']];
  for (const p of r.phases) {
    rows.push([
      p.title, `${int(p.ops)} ${p.unit}`, int(p.errorCount), int(p.opsPerSec), ms(p.latency.p50Ms), ms(p.latency.p99Ms),
      `${p.serverCpuPct.toFixed(0)}%`, `${p.clientCpuPct.toFixed(0)}%`, p.bar?.text ?? '—', x(p.verdict?.rateRatio), x(p.verdict?.latencyRatio),
      p.verdict ? (p.verdict.meetsGoal ? 'met' : 'not met') : '',
    ]);
  }
  out.push(table(rows, new Set([1, 2, 3, 4, 5, 6, 7, 9, 10])));
  const notes = r.phases.filter((p) => p.note).map((p) => `  ${p.title}: ${p.note}`);
  if (notes.length) out.push('', ...notes);
  out.push('  rate = ours ÷ bar (goal ≥ 2×); latency = ours ÷ bar at the bar\'s percentile (goal ≤ 0.50×; for an SLO, ≤ 1×); CPU 100% = one core (bench = the clients)');

  if (r.podStartup.length > 0) {
    const first = r.podStartup[0]!;
    out.push('', `pod start-up: Deployment of ${int(first.replicas)} replicas on ${int(first.nodes)} simulated nodes, ` +
      'times are watch arrivals at the bench; SLO p99 ≤ 5 s from creation to Running and Ready');
    const prows = [['run', 'Ready', 'create→all Ready', 'created/s', 'scheduled/s', 'Ready/s', 'sched p50/p99 ms', 'start-up p50/p90/p99 ms', 'from creationTimestamp p99', 'SLO', 'flags']];
    for (const p of r.podStartup) {
      prows.push([
        p.title, `${int(p.podsReady)}/${int(p.replicas)}`, `${(p.createToAllReadyMs / 1000).toFixed(1)} s`,
        int(p.createdPerSec), int(p.scheduledPerSec), int(p.readyPerSec),
        `${int(p.scheduling.p50Ms)} / ${int(p.scheduling.p99Ms)}`,
        `${int(p.startup.p50Ms)} / ${int(p.startup.p90Ms)} / ${int(p.startup.p99Ms)}`,
        `${int(p.startupFromCreationTimestamp.p99Ms)} ms`,
        p.podsReady === p.replicas && p.startup.p99Ms <= 5000 ? 'met' : 'not met',
        p.serverArgs.join(' ') || '(defaults)',
      ]);
    }
    out.push(table(prows.map((row) => ['  ' + row[0], ...row.slice(1)]), new Set([1, 2, 3, 4, 5, 6, 7, 8])));
  }

  out.push(...formatKubeletPodStartup(r.kubeletPodStartup));

  out.push('', 'start-up (spawn → first 200 on /readyz)');
  out.push(`  cold, new certificates, empty data dir   ${int(r.startup.cold.readyMs)} ms (URL printed at ${int(r.startup.cold.listeningMs)} ms)`);
  out.push(`  warm, same dirs, ${int(r.startup.warm.objectsExpected)} objects            ${int(r.startup.warm.readyMs)} ms` +
    ` (after it: ${int(r.startup.warm.objectsFound)} of ${int(r.startup.warm.objectsExpected)} objects listed back)`);

  const m = r.memory;
  out.push('', 'server memory (RSS from /proc)');
  out.push(`  idle after start                  ${mib(m.idleAfterStartMiB)}`);
  out.push(`  highest sampled under load        ${mib(m.maxUnderLoadMiB)}`);
  out.push(`  peak (VmHWM)                      ${mib(m.peakMiB)}   bar ${m.bar.lowMiB}–${m.bar.highMiB} MiB for kube-apiserver + etcd; ` +
    `goal ≤ ${m.goalMiB} MiB: ${m.meetsGoal ? 'met' : 'not met'} (${x(m.peakMiB / m.bar.lowMiB)} of the bar's low end)`);
  out.push(`  idle after load                   ${mib(m.idleAfterLoadMiB)}`);
  out.push(`  idle after warm start             ${mib(m.idleAfterWarmStartMiB)}`);

  const b = r.baseline;
  out.push('', `raw LevelDB baseline, same run and disk (level ${b.levelVersion}, ${b.valueBytes} B values, ${r.config.concurrency} concurrent)`);
  const brows = [['operation', 'ops', 'ops/s', 'p50 ms', 'p99 ms', 'k8ts as a ratio']];
  brows.push(['put, sync, group commit', int(b.groupCommitPut.ops), int(b.groupCommitPut.opsPerSec), ms(b.groupCommitPut.p50Ms), ms(b.groupCommitPut.p99Ms), `create = ${x(r.ratios.createVsLevelGroupCommitPut)}`]);
  brows.push(['put, sync, one per call', int(b.syncPut.ops), int(b.syncPut.opsPerSec), ms(b.syncPut.p50Ms), ms(b.syncPut.p99Ms), `create = ${x(r.ratios.createVsLevelSyncPut)}`]);
  brows.push(['get', int(b.get.ops), int(b.get.opsPerSec), ms(b.get.p50Ms), ms(b.get.p99Ms), `get = ${x(r.ratios.getVsLevelGet)}`]);
  out.push(table(brows.map((row) => ['  ' + row[0], ...row.slice(1)]), new Set([1, 2, 3, 4])));

  out.push('');
  const clean = r.shutdownExitCodes.every((c) => c === 0);
  out.push(`shutdown on SIGTERM: ${clean ? 'clean (exit 0)' : `exit codes ${r.shutdownExitCodes.join(', ')}`}`);
  out.push(r.errorCount === 0 ? 'errors: none' : `ERRORS: ${int(r.errorCount)} — ${errorSummary(r)}`);
  return out.join('\n');
}

function formatKubeletPodStartup(k: BenchReport['kubeletPodStartup']): string[] {
  if (k.skipped) return ['', `kubelet pod start-up on containerd: skipped: ${k.skipped}`];
  const out = ['', `kubelet pod start-up on containerd: ${k.image} pods (warm image) created at once per round; start-up = each pod's POST sent → ` +
    `the watch event with Ready=True; ${k.slo.text}`];
  const rows = [['run', 'pods', 'Ready', 'p50 ms', 'p99 ms', 'max ms', 'SLO', 'all Ready', 'sched p99 ms', 'kubelet startTime→Ready p50/max', 'deleted→gone', 'kubelet QPS/burst', 'load']];
  for (const run of k.runs) {
    for (const d of run.rounds) {
      rows.push([
        run.title, int(d.pods), `${int(d.podsReady)}/${int(d.pods)}`, int(d.startup.p50Ms), int(d.startup.p99Ms), int(d.startup.maxMs),
        d.meetsSLO ? 'met' : 'not met', `${(d.createToAllReadyMs / 1000).toFixed(1)} s`, int(d.scheduling.p99Ms),
        `${secs(d.kubeletStartup.p50Ms)} / ${secs(d.kubeletStartup.maxMs)}`, `${(d.deleteToAllGoneMs / 1000).toFixed(1)} s`,
        `${run.kubeletAPIQPS}/${run.kubeletAPIBurst}`, d.loadAverage1m.toFixed(1),
      ]);
    }
  }
  out.push(table(rows.map((row) => ['  ' + row[0], ...row.slice(1)]), new Set([1, 2, 3, 4, 5, 7, 8, 10, 12])));
  out.push('  kubelet startTime→Ready: from the pod\'s own timestamps, which have whole seconds only');
  for (const run of k.runs) {
    if (run.failure) out.push(`  ${run.title}: FAILED: ${run.failure}`);
    if (run.leftovers.length > 0) out.push(`  ${run.title}: left running after shutdown (removed): ${run.leftovers.join('; ')}`);
  }
  return out;
}

const secs = (n: number) => (Number.isFinite(n) ? `${(n / 1000).toFixed(0)} s` : '—');

function errorSummary(r: BenchReport): string {
  const parts = r.phases.filter((p) => p.errorCount > 0)
    .map((p) => `${p.title}: ${Object.entries(p.errors).map(([k, n]) => `${n}× ${k}`).join(', ')}`);
  if (r.startup.warm.objectsFound !== r.startup.warm.objectsExpected) parts.push('objects missing after warm start');
  if (!r.shutdownExitCodes.every((c) => c === 0) || !r.podStartup.every((p) => p.shutdownExitCode === 0)) parts.push('unclean shutdown');
  for (const run of r.kubeletPodStartup.runs) {
    if (run.failure) parts.push(`${run.title} failed`);
    else if (run.shutdownExitCode !== 0) parts.push(`${run.title}: unclean shutdown`);
    if (run.leftovers.length > 0) parts.push(`${run.title}: ${run.leftovers.length} processes left running`);
  }
  const base = r.baseline.groupCommitPut.errorCount + r.baseline.syncPut.errorCount + r.baseline.get.errorCount;
  if (base > 0) parts.push(`LevelDB baseline: ${base}`);
  return parts.join('; ');
}
