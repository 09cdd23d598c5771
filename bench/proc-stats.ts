// What the kernel says about the server process: resident memory (VmRSS now, VmHWM the peak) and CPU
// time, read from /proc so the figures cover everything the process holds, not just the JS heap.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface MemorySample {
  rssMiB: number;
  peakRssMiB: number;
}

export function readMemory(pid: number): MemorySample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMiB: kB('VmRSS') / 1024, peakRssMiB: kB('VmHWM') / 1024 };
}

let ticksPerSecond: number | undefined;

/** User + system CPU seconds the process has used so far. */
export function readCpuSeconds(pid: number): number {
  ticksPerSecond ??= clockTicks();
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields that follow start after its ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

function clockTicks(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Samples VmRSS every intervalMs until stopped; the highest value seen is the RSS under load. */
export function startRssSampler(pid: number, intervalMs = 50): { stop(): number } {
  let max = 0;
  const sample = () => {
    try {
      max = Math.max(max, readMemory(pid).rssMiB);
    } catch {
      // the process is gone; the last value stands
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return max;
    },
  };
}
