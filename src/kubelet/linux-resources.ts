// A container's resources as cgroup settings through CRI (kuberuntime's calculateLinuxResources and
// qos.GetContainerOOMScoreAdjust): cpu request → shares (1024 per core, at least 2), cpu limit →
// CFS quota over a 100 ms period (at least 1 ms), memory limit → bytes, and the OOM score by QoS
// class (Guaranteed -997, BestEffort 1000, Burstable between by memory request).
import { parseQuantityMilli, quantityValue } from '../apimachinery/quantity.ts';
import { getPodQOS } from '../registry/core/pod-qos.ts';
import type { LinuxContainerResources } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
const SHARES_PER_CPU = 1024;
const MILLI_CPU_TO_CPU = 1000;
/** 100 ms in µs: the CFS period. */
export const QUOTA_PERIOD = 100_000;
const MIN_QUOTA_PERIOD = 1000;

export const GUARANTEED_OOM_SCORE_ADJ = -997;
export const BESTEFFORT_OOM_SCORE_ADJ = 1000;

export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.trunc((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** 0 (no quota) without a limit. */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.trunc((milliCPU * period) / MILLI_CPU_TO_CPU));
}

function milli(q: unknown): number | undefined {
  if (q === undefined || q === null) return undefined;
  try { return parseQuantityMilli(String(q)); } catch { return undefined; }
}

function value(q: unknown): number {
  if (q === undefined || q === null) return 0;
  try { return quantityValue(String(q)); } catch { return 0; }
}

/** The node-critical priority classes always get the Guaranteed score. */
function isNodeCriticalPod(pod: Obj): boolean {
  return pod.spec?.priorityClassName === 'system-node-critical';
}

export function containerOOMScoreAdjust(pod: Obj, container: Obj, memoryCapacity: number): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = pod.status?.qosClass ?? getPodQOS(pod.spec);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const memoryRequest = value(container.resources?.requests?.memory);
  if (memoryCapacity <= 0) return BESTEFFORT_OOM_SCORE_ADJ - 1;
  const adj = 1000 - Math.trunc((1000 * memoryRequest) / memoryCapacity);
  // A Guaranteed pod using all memory scores about 3; Burstable ones stay above it and below BestEffort.
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BESTEFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

export function linuxContainerResources(pod: Obj, container: Obj, memoryCapacity: number): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuRequest = milli(requests.cpu);
  const cpuLimit = milli(limits.cpu) ?? 0;
  // No request but a limit: the request defaults to the limit (the API server does so for new pods).
  const cpuShares = milliCPUToShares(cpuRequest === undefined ? cpuLimit : cpuRequest);
  const memoryLimit = value(limits.memory);
  const r: LinuxContainerResources = {
    cpuShares,
    cpuPeriod: QUOTA_PERIOD,
    cpuQuota: milliCPUToQuota(cpuLimit),
    oomScoreAdj: containerOOMScoreAdjust(pod, container, memoryCapacity),
  };
  if (memoryLimit !== 0) r.memoryLimitInBytes = memoryLimit;
  return r;
}
