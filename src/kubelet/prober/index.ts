// Container probes: single attempts (runProbe) and the per-container workers (ProberManager).
export { runProbe, type ProbeOutcome, type ProbeResult, type ProbeContext } from './run-probe.ts';
export { ProberManager, type ProberManagerOptions } from './prober-manager.ts';
export type { ProbeKind, ProbePodStatus, ProbeContainerStatus } from './probe-worker.ts';
export { httpGet, HttpGetError, formatURL } from './http-get.ts';
export { resolveContainerPort } from './ports.ts';
