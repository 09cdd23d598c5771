// The resource-metrics part of upstream's REST metrics client (pkg/controller/podautoscaler/metrics/
// client.go): list metrics.k8s.io PodMetrics by the scale's selector and turn them into one usage
// figure (milli-units) per pod: the sum over its containers, or the named container's alone.
import { StatusError } from '../../apimachinery/errors.ts';
import { parseQuantityMilli } from '../../apimachinery/quantity.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { describeError } from '../framework/describe-error.ts';
import { parseGoDuration } from './milli-quantity.ts';

type Obj = Record<string, any>;

export interface PodMetric {
  /** Milli-units (millicores, milli-bytes). */
  value: number;
  /** When the sample was taken (ms since the epoch) and the window it covers (ms). */
  timestamp: number;
  windowMs: number;
}

/** Pod name → its usage (upstream's PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>;

export interface PodMetricsItem {
  metadata: { name?: string; namespace?: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

/**
 * What client-go prints for a failed request to the metrics API: a group that is not served gives
 * its generic 404 text naming the resource; any other Status its message.
 */
export function metricsApiErrorText(err: unknown, resource: string): string {
  if (err instanceof StatusError) {
    return err.code === 404 ? `the server could not find the requested resource (get ${resource})` : err.message;
  }
  return describeError(err);
}

function milli(q: string): number {
  return parseQuantityMilli(q);
}

function sample(m: PodMetricsItem, value: number): PodMetric {
  return { value, timestamp: Date.parse(m.timestamp ?? '') || 0, windowMs: parseGoDuration(m.window) };
}

/** getPodMetrics: a pod with no containers, or one lacking the resource, is left out. */
export function podMetricsInfo(items: PodMetricsItem[], resource: string): PodMetricsInfo {
  const out: PodMetricsInfo = new Map();
  for (const m of items) {
    const containers = m.containers ?? [];
    if (containers.length === 0 || containers.some((c) => c.usage?.[resource] === undefined)) continue;
    out.set(m.metadata.name ?? '', sample(m, containers.reduce((sum, c) => sum + milli(c.usage![resource]!), 0)));
  }
  return out;
}

/** getContainerMetrics: the named container of every pod; a pod without it is an error. */
export function containerMetricsInfo(items: PodMetricsItem[], resource: string, container: string): PodMetricsInfo {
  const out: PodMetricsInfo = new Map();
  for (const m of items) {
    const c = (m.containers ?? []).find((x) => x.name === container);
    if (!c) throw new Error(`container ${container} not present in metrics for pod ${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`);
    const q = c.usage?.[resource];
    if (q !== undefined) out.set(m.metadata.name ?? '', sample(m, milli(q)));
  }
  return out;
}

/** GetResourceMetric, from a PodMetricsList already read (or the error reading it). */
export function resourceMetricFromList(items: PodMetricsItem[], resource: string, container: string): PodMetricsInfo {
  if (items.length === 0) throw new Error('no metrics returned from resource metrics API');
  if (!container) return podMetricsInfo(items, resource);
  try {
    return containerMetricsInfo(items, resource, container);
  } catch (err) {
    throw new Error(`failed to get container metrics: ${(err as Error).message}`);
  }
}

/** Lists the PodMetrics; a failure is upstream's "unable to fetch metrics from resource metrics API: …". */
export async function listPodMetrics(client: KubeClient, namespace: string, selector: string): Promise<PodMetricsItem[]> {
  try {
    const list = await client.request<Obj>({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`, query: { labelSelector: selector } });
    return (list?.items ?? []) as PodMetricsItem[];
  } catch (err) {
    throw new Error(`unable to fetch metrics from resource metrics API: ${metricsApiErrorText(err, 'pods.metrics.k8s.io')}`);
  }
}
