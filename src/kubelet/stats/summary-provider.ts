// Builds the kubelet's /stats/summary: the node's CPU and memory from /proc, each running pod's
// containers from the runtime's ContainerStats (CRI ListContainerStats). Rates need two samples, so
// the provider samples every housekeeping interval (10 s, as the kubelet's cAdvisor) and again on
// request when its last sample is older than a second.
import type { KObject } from '../../apimachinery/types.ts';
import { realClock, type Clock, type TimerHandle } from '../../client/clock.ts';
import type { Container, ContainerStats, PodSandbox, RuntimeService } from '../runtime/runtime-service.ts';
import { CpuRates } from './cpu-rate.ts';
import { nodeBootTime, readNodeReading, type NodeReading } from './node-readings.ts';
import type { ContainerStatsSummary, CPUStats, MemoryStats, PodStatsSummary, Summary } from './summary-types.ts';

type Obj = Record<string, any>;

export interface SummaryProviderOptions {
  runtime: RuntimeService;
  nodeName: string;
  /** The pods the kubelet runs, with the status it reports (for their start times). */
  pods: () => KObject[];
  clock?: Clock;
  /** The node's own readings; /proc by default. */
  readNode?: () => Promise<NodeReading>;
  /** 0 samples on request only. */
  housekeepingIntervalMs?: number;
}

export interface SummaryProvider {
  summary(): Promise<Summary>;
  close(): void;
}

const NODE_KEY = '';
const DEFAULT_HOUSEKEEPING_MS = 10_000;

interface Pass {
  at: Date;
  node: NodeReading;
  sandboxes: PodSandbox[];
  containers: Container[];
  stats: Map<string, ContainerStats>;
}

export function createSummaryProvider(opts: SummaryProviderOptions): SummaryProvider {
  const clock = opts.clock ?? realClock;
  const readNode = opts.readNode ?? readNodeReading;
  const rates = new CpuRates();
  const startTime = rfc3339(nodeBootTime(clock.now()));
  let last: Pass | undefined;
  let inFlight: Promise<Pass> | undefined;
  let timer: TimerHandle | undefined;
  let closed = false;

  async function takeSample(): Promise<Pass> {
    const at = new Date(clock.now());
    const [node, sandboxes, containers, stats] = await Promise.all([
      readNode(),
      opts.runtime.listPodSandbox({ state: 'SANDBOX_READY' }),
      opts.runtime.listContainers({ state: 'CONTAINER_RUNNING' }),
      opts.runtime.listContainerStats(),
    ]);
    rates.record(NODE_KEY, BigInt(at.getTime()) * 1_000_000n, node.cpuUsageCoreNanoSeconds);
    const seen = new Set([NODE_KEY]);
    for (const s of stats) {
      rates.record(s.id, s.timestamp > 0n ? s.timestamp : BigInt(at.getTime()) * 1_000_000n, Number(s.cpuUsageCoreNanoSeconds));
      seen.add(s.id);
    }
    rates.retain(seen);
    return { at, node, sandboxes, containers, stats: new Map(stats.map((s) => [s.id, s])) };
  }

  // One sample at a time: concurrent requests share it.
  function sample(): Promise<Pass> {
    inFlight ??= takeSample().then((p) => { last = p; return p; }).finally(() => { inFlight = undefined; });
    return inFlight;
  }

  const interval = opts.housekeepingIntervalMs ?? DEFAULT_HOUSEKEEPING_MS;
  const housekeep = () => {
    timer = undefined;
    if (closed) return;
    sample().catch(() => {}).finally(() => {
      if (!closed) timer = clock.setTimeout(housekeep, interval);
    });
  };
  if (interval > 0) housekeep();

  return {
    async summary() {
      const fresh = last && clock.now() - last.at.getTime() < 1000 ? last : await sample();
      return build(fresh);
    },
    close() {
      closed = true;
      if (timer) clock.clearTimeout(timer);
    },
  };

  function build(pass: Pass): Summary {
    const time = rfc3339(pass.at);
    const node = pass.node;
    const nodeCpu: CPUStats = { time, usageCoreNanoSeconds: node.cpuUsageCoreNanoSeconds };
    const nodeRate = rates.nanoCores(NODE_KEY);
    if (nodeRate !== undefined) nodeCpu.usageNanoCores = nodeRate;
    const summary: Summary = {
      node: {
        nodeName: opts.nodeName,
        startTime,
        cpu: nodeCpu,
        memory: {
          time,
          availableBytes: Math.max(0, node.memoryCapacityBytes - node.memoryWorkingSetBytes),
          usageBytes: node.memoryUsageBytes,
          workingSetBytes: node.memoryWorkingSetBytes,
          rssBytes: node.memoryRssBytes,
        },
      },
      pods: [],
    };
    const podStart = new Map<string, string>();
    for (const p of opts.pods()) {
      const started = (p.status as Obj | undefined)?.startTime;
      if (p.metadata.uid && typeof started === 'string') podStart.set(p.metadata.uid, started);
    }
    for (const sandbox of pass.sandboxes) {
      const containers = pass.containers
        .filter((c) => c.podSandboxId === sandbox.id)
        .map((c) => containerSummary(c, pass.stats.get(c.id), time))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      summary.pods.push({
        podRef: { name: sandbox.metadata.name, namespace: sandbox.metadata.namespace, uid: sandbox.metadata.uid },
        startTime: podStart.get(sandbox.metadata.uid) ?? rfc3339(nsToDate(sandbox.createdAt)),
        containers,
        ...podTotals(containers, time),
      });
    }
    return summary;
  }

  function containerSummary(c: Container, s: ContainerStats | undefined, time: string): ContainerStatsSummary {
    const out: ContainerStatsSummary = { name: c.metadata.name, startTime: rfc3339(nsToDate(c.createdAt)) };
    if (!s) return out;
    const at = s.timestamp > 0n ? rfc3339(nsToDate(s.timestamp)) : time;
    out.cpu = { time: at, usageCoreNanoSeconds: Number(s.cpuUsageCoreNanoSeconds) };
    const rate = rates.nanoCores(s.id);
    if (rate !== undefined) out.cpu.usageNanoCores = rate;
    out.memory = {
      time: at, usageBytes: Number(s.memoryUsageBytes), workingSetBytes: Number(s.memoryWorkingSetBytes), rssBytes: Number(s.rssBytes),
    };
    return out;
  }
}

/** A pod's CPU and memory: its containers' summed, when every container has the figure. */
function podTotals(containers: ContainerStatsSummary[], time: string): Pick<PodStatsSummary, 'cpu' | 'memory'> {
  if (containers.length === 0 || containers.some((c) => !c.cpu || !c.memory)) return {};
  const sum = (f: (c: ContainerStatsSummary) => number | undefined) => {
    let total = 0;
    for (const c of containers) {
      const v = f(c);
      if (v === undefined) return undefined;
      total += v;
    }
    return total;
  };
  const cpu: CPUStats = { time, usageCoreNanoSeconds: sum((c) => c.cpu!.usageCoreNanoSeconds) };
  const nanoCores = sum((c) => c.cpu!.usageNanoCores);
  if (nanoCores !== undefined) cpu.usageNanoCores = nanoCores;
  const memory: MemoryStats = {
    time, usageBytes: sum((c) => c.memory!.usageBytes), workingSetBytes: sum((c) => c.memory!.workingSetBytes), rssBytes: sum((c) => c.memory!.rssBytes),
  };
  return { cpu, memory };
}

function nsToDate(ns: bigint): Date {
  return new Date(Number(ns / 1_000_000n));
}

/** metav1.Time: RFC 3339 in whole seconds. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
