// The node's own CPU and memory, read from /proc as cAdvisor reads the root cgroup's: cumulative busy
// CPU time from /proc/stat, working set = used - inactive file pages from /proc/meminfo.
import { readFile } from 'node:fs/promises';
import { uptime } from 'node:os';

export interface NodeReading {
  /** Cumulative non-idle CPU time of all cores, ns. */
  cpuUsageCoreNanoSeconds: number;
  memoryCapacityBytes: number;
  memoryUsageBytes: number;
  memoryWorkingSetBytes: number;
  memoryRssBytes: number;
}

/** USER_HZ: /proc/stat counts in 1/100 s on every Linux architecture we run on. */
const NS_PER_TICK = 10_000_000;

export async function readNodeReading(): Promise<NodeReading> {
  const [stat, meminfo] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  return { cpuUsageCoreNanoSeconds: parseProcStatBusyTicks(stat) * NS_PER_TICK, ...parseMeminfo(meminfo) };
}

/** user + nice + system + irq + softirq + steal of the aggregate "cpu" line (guest time is inside user). */
export function parseProcStatBusyTicks(stat: string): number {
  const line = stat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + steal;
}

export function parseMeminfo(meminfo: string): Omit<NodeReading, 'cpuUsageCoreNanoSeconds'> {
  const kb = new Map<string, number>();
  for (const line of meminfo.split('\n')) {
    const m = /^([^:]+):\s+(\d+)/.exec(line);
    if (m) kb.set(m[1]!, Number(m[2]) * 1024);
  }
  const total = kb.get('MemTotal') ?? 0;
  const usage = total - (kb.get('MemFree') ?? 0);
  return {
    memoryCapacityBytes: total,
    memoryUsageBytes: usage,
    memoryWorkingSetBytes: Math.max(0, usage - (kb.get('Inactive(file)') ?? 0)),
    memoryRssBytes: kb.get('AnonPages') ?? 0,
  };
}

/** When the node booted: the start time of its root container. */
export function nodeBootTime(nowMs: number): Date {
  return new Date(nowMs - Math.round(uptime() * 1000));
}
