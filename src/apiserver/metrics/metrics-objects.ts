// NodeMetrics and PodMetrics from kubelet summaries, shaped as metrics-server returns them: metadata
// with the object's labels and "now", the sample time, the window and the usage (CPU from the
// kubelet's usageNanoCores, memory = working set). An object without both figures is left out, as
// metrics-server leaves out what it could not compute yet.
import type { KObject } from '../../apimachinery/types.ts';
import type { ContainerStatsSummary } from '../../kubelet/stats/summary-types.ts';
import { formatBytes, formatNanoCores } from '../../registry/metrics/metrics-quantity.ts';
import type { NodeSummary } from './summary-scraper.ts';

type Obj = Record<string, any>;

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';
/** The kubelet samples usage every 10 s, so its rates cover about that long. */
const WINDOW = '10s';

function meta(obj: KObject, now: Date): KObject['metadata'] {
  const m: KObject['metadata'] = { name: obj.metadata.name };
  if (obj.metadata.namespace) m.namespace = obj.metadata.namespace;
  m.creationTimestamp = rfc3339(now);
  if (obj.metadata.labels && Object.keys(obj.metadata.labels).length > 0) m.labels = { ...obj.metadata.labels };
  return m;
}

export function nodeMetrics(ns: NodeSummary, now: Date): KObject | undefined {
  const { cpu, memory } = ns.summary.node;
  if (cpu?.usageNanoCores === undefined || memory?.workingSetBytes === undefined) return undefined;
  return {
    kind: 'NodeMetrics', apiVersion: METRICS_API_VERSION, metadata: meta(ns.node, now),
    timestamp: cpu.time, window: WINDOW,
    usage: { cpu: formatNanoCores(cpu.usageNanoCores), memory: formatBytes(memory.workingSetBytes) },
  };
}

/** The metrics of each pod the summaries report, keyed "namespace/name". */
export function podMetricsByKey(summaries: NodeSummary[], pods: KObject[], now: Date): Map<string, KObject> {
  const byKey = new Map(pods.map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const out = new Map<string, KObject>();
  for (const { summary } of summaries) {
    for (const ps of summary.pods ?? []) {
      const key = `${ps.podRef.namespace}/${ps.podRef.name}`;
      const pod = byKey.get(key);
      // metrics-server reports Running pods only.
      if (!pod || (pod.status as Obj | undefined)?.phase !== 'Running' || (ps.podRef.uid && pod.metadata.uid && ps.podRef.uid !== pod.metadata.uid)) continue;
      const containers = (ps.containers ?? []).map(containerMetrics);
      if (containers.length === 0 || containers.some((c) => c === undefined)) continue;
      const times = (ps.containers ?? []).map((c) => c.cpu?.time ?? '').sort();
      out.set(key, {
        kind: 'PodMetrics', apiVersion: METRICS_API_VERSION, metadata: meta(pod, now),
        timestamp: times[times.length - 1] ?? rfc3339(now), window: WINDOW, containers,
      });
    }
  }
  return out;
}

function containerMetrics(c: ContainerStatsSummary): { name: string; usage: { cpu: string; memory: string } } | undefined {
  if (c.cpu?.usageNanoCores === undefined || c.memory?.workingSetBytes === undefined) return undefined;
  return { name: c.name, usage: { cpu: formatNanoCores(c.cpu.usageNanoCores), memory: formatBytes(c.memory.workingSetBytes) } };
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
