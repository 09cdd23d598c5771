// upstream's computeReplicasForMetrics / computeReplicasForMetric / computeStatusForResourceMetric:
// for each metric of the spec a replica proposal and its status (spec.metrics[i] ↔
// status.currentMetrics[i]), the highest proposal winning; a metric that cannot be read gives a
// Warning event and, when nothing usable is left, the ScalingActive=False condition of the first.
// Only the resource metrics API exists here; Pods, Object and External metrics report that the
// custom and external metrics APIs are not served.
import { parseQuantityMilli } from '../../apimachinery/quantity.ts';
import { formatMilliQuantity } from './milli-quantity.ts';
import { getRawResourceReplicas, getResourceReplicas, type CalculatorOptions } from './replica-calculator.ts';
import { resourceMetricFromList, type PodMetricsItem } from './resource-metrics.ts';

type Obj = Record<string, any>;

export interface MetricContext {
  specReplicas: number;
  /** The pods the scale's selector matches (the pod lister's view). */
  pods: readonly Obj[];
  /** Lists metrics.k8s.io PodMetrics by the selector; rejects with upstream's fetch error. */
  listPodMetrics(): Promise<PodMetricsItem[]>;
  calc: CalculatorOptions;
  /** A Warning event on the HPA. */
  warn(reason: string, message: string): void;
}

export interface Condition { status: 'True' | 'False'; reason: string; message: string }

export type MetricResult =
  | { ok: true; replicas: number; metricName: string; status: Obj }
  | { ok: false; condition: Condition; error: string };

export interface MetricsResult {
  /** -1 when no replica count could be computed (upstream's failure signal). */
  replicas: number;
  metricName: string;
  /** One entry per metric, `{type: ''}` for one that could not be read (upstream's zero MetricStatus); none when the selector failed. */
  statuses: Obj[] | undefined;
  scalingActive?: Condition;
  error?: string;
}

/** getUnableComputeReplicaCountCondition: the event and the condition of a metric that failed. */
function unable(ctx: MetricContext, reason: string, inner: string, error: string): MetricResult {
  ctx.warn(reason, inner);
  return { ok: false, condition: { status: 'False', reason, message: `the HPA was unable to compute the replica count: ${inner}` }, error };
}

async function resourceProposal(m: Obj, ctx: MetricContext): Promise<MetricResult> {
  const container = m.type === 'ContainerResource';
  const source: Obj = (container ? m.containerResource : m.resource) ?? {};
  const name: string = source.name ?? '';
  const target: Obj = source.target ?? {};
  const reason = container ? 'FailedGetContainerResourceMetric' : 'FailedGetResourceMetric';
  const wrap = (inner: string) => (container ? `failed to get ${source.container} container metric value: ${inner}` : `failed to get ${name} resource metric value: ${inner}`);
  const fetch = async () => {
    try {
      return resourceMetricFromList(await ctx.listPodMetrics(), name, container ? source.container ?? '' : '');
    } catch (err) {
      throw new Error(`unable to get metrics for resource ${name}: ${(err as Error).message}`);
    }
  };
  let current: Obj;
  let replicas: number;
  let metricName: string;
  if (target.averageValue !== undefined && target.averageValue !== null) {
    try {
      const r = getRawResourceReplicas(ctx.specReplicas, milliOf(target.averageValue), name, await fetch(), ctx.pods, ctx.calc);
      replicas = r.replicas;
      current = { averageValue: formatMilliQuantity(r.usage) };
      metricName = `${name} resource`;
    } catch (err) {
      const inner = `failed to get ${name} usage: ${(err as Error).message}`;
      return unable(ctx, reason, inner, wrap(inner));
    }
  } else if (typeof target.averageUtilization === 'number') {
    try {
      const r = getResourceReplicas(ctx.specReplicas, target.averageUtilization, name, container ? source.container ?? '' : '', await fetch(), ctx.pods, ctx.calc);
      replicas = r.replicas;
      current = { averageUtilization: r.utilization, averageValue: formatMilliQuantity(r.rawUtilization) };
      metricName = container ? `${name} container resource utilization (percentage of request)` : `${name} resource utilization (percentage of request)`;
    } catch (err) {
      const inner = `failed to get ${name} utilization: ${(err as Error).message}`;
      return unable(ctx, reason, inner, wrap(inner));
    }
  } else {
    const inner = 'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set';
    return unable(ctx, reason, inner, wrap(inner));
  }
  const status = container
    ? { type: 'ContainerResource', containerResource: { name, container: source.container, current } }
    : { type: 'Resource', resource: { name, current } };
  return { ok: true, replicas, metricName, status };
}

/** Pods, Object and External metrics need the custom/external metrics APIs, which are not served. */
function unservedProposal(m: Obj, ctx: MetricContext): MetricResult {
  const notServed = (api: string, resource: string) => `unable to fetch metrics from ${api} metrics API: the server could not find the requested resource (get ${resource})`;
  switch (m.type) {
    case 'Pods': {
      const inner = `unable to get metric ${m.pods?.metric?.name}: ${notServed('custom', 'pods.custom.metrics.k8s.io')}`;
      return unable(ctx, 'FailedGetPodsMetric', inner, `failed to get pods metric value: ${inner}`);
    }
    case 'Object': {
      const o = m.object ?? {};
      const inner = `unable to get metric ${o.metric?.name}: ${notServed('custom', `${String(o.describedObject?.kind ?? '').toLowerCase()}.custom.metrics.k8s.io`)}`;
      return unable(ctx, 'FailedGetObjectMetric', inner, `failed to get object metric value: ${inner}`);
    }
    case 'External': {
      const name = m.external?.metric?.name;
      const inner = `unable to get external metric ${name}: ${notServed('external', `${name}.external.metrics.k8s.io`)}`;
      return unable(ctx, 'FailedGetExternalMetric', inner, `failed to get ${name} external metric value: ${inner}`);
    }
    default: {
      const inner = `unknown metric source type "${m.type}"`;
      return unable(ctx, 'InvalidMetricSourceType', inner, inner);
    }
  }
}

export function computeReplicasForMetric(m: Obj, ctx: MetricContext): Promise<MetricResult> | MetricResult {
  return m?.type === 'Resource' || m?.type === 'ContainerResource' ? resourceProposal(m, ctx) : unservedProposal(m ?? {}, ctx);
}

/**
 * The highest proposal of the metrics that could be read. All failing, or some failing while the
 * rest would scale down, is a failure (-1) with the first failure's condition: the HPA must not
 * shrink on partial information.
 */
export async function computeReplicasForMetrics(metrics: readonly Obj[], ctx: MetricContext): Promise<MetricsResult> {
  const statuses: Obj[] = [];
  let replicas = 0;
  let metricName = '';
  let invalid = 0;
  let first: { condition: Condition; error: string } | undefined;
  for (const m of metrics) {
    const r = await computeReplicasForMetric(m, ctx);
    if (!r.ok) {
      statuses.push({ type: '' });
      first ??= { condition: r.condition, error: r.error };
      invalid++;
      continue;
    }
    statuses.push(r.status);
    if (replicas === 0 || r.replicas > replicas) {
      replicas = r.replicas;
      metricName = r.metricName;
    }
  }
  const error = first && `invalid metrics (${invalid} invalid out of ${metrics.length}), first error is: ${first.error}`;
  if (metrics.length === 0) {
    const message = 'the HPA was unable to compute the replica count: no metrics are specified';
    return { replicas: -1, metricName: '', statuses, scalingActive: { status: 'False', reason: 'InvalidMetricSourceType', message }, error: 'no metrics are specified' };
  }
  if (invalid >= metrics.length || (invalid > 0 && replicas < ctx.specReplicas)) {
    return { replicas: -1, metricName: '', statuses, scalingActive: first!.condition, error };
  }
  const scalingActive: Condition = { status: 'True', reason: 'ValidMetricFound', message: `the HPA was able to successfully calculate a replica count from ${metricName}` };
  return { replicas, metricName, statuses, scalingActive, ...(error ? { error } : {}) };
}

/** A target quantity's MilliValue (a JSON number is a plain quantity too). */
function milliOf(q: unknown): number {
  return parseQuantityMilli(String(q));
}
