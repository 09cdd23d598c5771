// The kubelet's resource usage summary (/stats/summary), the source of metrics.k8s.io.
export { createSummaryProvider, type SummaryProvider, type SummaryProviderOptions } from './summary-provider.ts';
export { readNodeReading, parseMeminfo, parseProcStatBusyTicks, type NodeReading } from './node-readings.ts';
export type * from './summary-types.ts';
