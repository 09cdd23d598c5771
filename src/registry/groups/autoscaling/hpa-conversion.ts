// autoscaling/v1 ↔ v2 HorizontalPodAutoscaler conversion (pkg/apis/autoscaling/v1/conversion.go).
// v1 carries only the CPU target; every other metric, the behavior, the current metrics and the
// conditions travel in annotations so that a v1 round trip loses nothing.
import type { KObject } from '../../../apimachinery/types.ts';

type Obj = Record<string, any>;

export const METRIC_SPECS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const METRIC_STATUSES_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

function compact<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// ---- metrics: the v1 annotation form (the old v2beta1 shape) ↔ v2, one table used both ways ----

/** [v1 field, v2 path] pairs of a metric spec; a metric status has the same pairs with target → current. */
type FieldPairs = [v1: string, v2: string][];

const TARGET_PAIRS: FieldPairs = [['targetAverageUtilization', 'target.averageUtilization'], ['targetAverageValue', 'target.averageValue']];

interface MetricSource {
  fields: FieldPairs;
  /** The v2 target.type, which v1 implies by the fields it sets. */
  targetType(v1: Obj): string;
}

const utilizationOrValue = (r: Obj) => (r.targetAverageUtilization == null ? 'AverageValue' : 'Utilization');

const METRIC_SOURCES: Record<string, MetricSource> = {
  resource: { fields: [['name', 'name'], ...TARGET_PAIRS], targetType: utilizationOrValue },
  containerResource: { fields: [['name', 'name'], ['container', 'container'], ...TARGET_PAIRS], targetType: utilizationOrValue },
  pods: {
    fields: [['metricName', 'metric.name'], ['selector', 'metric.selector'], ['targetAverageValue', 'target.averageValue']],
    targetType: () => 'AverageValue',
  },
  object: {
    fields: [['target', 'describedObject'], ['metricName', 'metric.name'], ['selector', 'metric.selector'], ['targetValue', 'target.value'], ['averageValue', 'target.averageValue']],
    targetType: (o) => (o.averageValue == null ? 'Value' : 'AverageValue'),
  },
  external: {
    fields: [['metricName', 'metric.name'], ['metricSelector', 'metric.selector'], ['targetValue', 'target.value'], ['targetAverageValue', 'target.averageValue']],
    targetType: (e) => (e.targetValue != null ? 'Value' : 'AverageValue'),
  },
};

/** The status pairs: targetAverageValue → currentAverageValue, target.value → current.value. */
function statusPairs(pairs: FieldPairs): FieldPairs {
  return pairs.map(([v1, v2]) => [v1.replace(/^target(?=[A-Z])/, 'current'), v2.replace(/^target\./, 'current.')]);
}

function getPath(o: Obj | undefined, path: string): unknown {
  return path.split('.').reduce<any>((v, k) => v?.[k], o);
}

function setPath(o: Obj, path: string, value: unknown): void {
  if (value === undefined) return;
  const keys = path.split('.');
  const last = keys.pop()!;
  let at = o;
  for (const k of keys) at = (at[k] ??= {});
  at[last] = value;
}

/**
 * One metric (spec or status) into the other version. Towards v2, the nested objects (metric,
 * target, current) are always there, as upstream's structs are; towards v1 every field is flat.
 */
function convertMetric(m: Obj, to: 'v1' | 'v2', part: 'spec' | 'status'): Obj {
  const out: Obj = { type: m.type };
  for (const [key, source] of Object.entries(METRIC_SOURCES)) {
    const from = m[key] as Obj | undefined;
    if (!from) continue;
    const pairs = part === 'spec' ? source.fields : statusPairs(source.fields);
    const dst: Obj = {};
    if (to === 'v2') {
      for (const [, v2] of pairs) if (v2.includes('.')) dst[v2.slice(0, v2.indexOf('.'))] ??= {};
      if (part === 'spec') dst.target.type = source.targetType(from);
      for (const [v1, v2] of pairs) setPath(dst, v2, from[v1]);
    } else {
      for (const [v1, v2] of pairs) setPath(dst, v1, getPath(from, v2));
    }
    out[key] = dst;
  }
  return out;
}

function isCpuUtilization(m: Obj): boolean {
  return m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.averageUtilization != null;
}

function takeAnnotation(annotations: Record<string, string>, key: string): unknown {
  const raw = annotations[key];
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(raw);
    delete annotations[key];
    return v;
  } catch {
    return undefined; // upstream keeps an annotation it cannot decode
  }
}

function setAnnotations(out: Obj, annotations: Record<string, string>): void {
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
}

/** v1 → v2 (the stored form). */
export function hpaV1ToV2(v1: KObject): KObject {
  const out = structuredClone(v1) as Obj;
  out.apiVersion = 'autoscaling/v2';
  const s = (v1.spec ?? {}) as Obj;
  const spec: Obj = compact({ scaleTargetRef: s.scaleTargetRef, minReplicas: s.minReplicas, maxReplicas: s.maxReplicas });
  let metrics: Obj[] | undefined;
  if (s.targetCPUUtilizationPercentage != null) {
    metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: s.targetCPUUtilizationPercentage } } }];
  }
  const annotations = { ...(v1.metadata.annotations ?? {}) };
  const other = takeAnnotation(annotations, METRIC_SPECS_ANNOTATION);
  if (Array.isArray(other)) metrics = [...other.map((m) => convertMetric(m, 'v2', 'spec')), ...(metrics ?? [])];
  if (metrics) spec.metrics = metrics;
  const behavior = takeAnnotation(annotations, BEHAVIOR_ANNOTATION);
  if (behavior && typeof behavior === 'object') spec.behavior = behavior;
  out.spec = spec;

  if (v1.status !== undefined) {
    const st = (v1.status ?? {}) as Obj;
    const status: Obj = compact({
      observedGeneration: st.observedGeneration, lastScaleTime: st.lastScaleTime,
      currentReplicas: st.currentReplicas, desiredReplicas: st.desiredReplicas ?? 0,
    });
    if (st.currentCPUUtilizationPercentage != null) {
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: st.currentCPUUtilizationPercentage } } }];
    }
    const current = takeAnnotation(annotations, METRIC_STATUSES_ANNOTATION);
    if (Array.isArray(current)) status.currentMetrics = current.map((m) => convertMetric(m, 'v2', 'status'));
    const conditions = takeAnnotation(annotations, CONDITIONS_ANNOTATION);
    if (Array.isArray(conditions)) status.conditions = conditions;
    out.status = status;
  }
  setAnnotations(out, annotations);
  return out as KObject;
}

/** v2 (stored) → v1. */
export function hpaV2ToV1(v2: KObject): KObject {
  const out = structuredClone(v2) as Obj;
  out.apiVersion = 'autoscaling/v1';
  const s = (v2.spec ?? {}) as Obj;
  const metrics = (Array.isArray(s.metrics) ? s.metrics : []) as Obj[];
  const cpu = metrics.find(isCpuUtilization);
  out.spec = compact({
    scaleTargetRef: s.scaleTargetRef, minReplicas: s.minReplicas, maxReplicas: s.maxReplicas,
    targetCPUUtilizationPercentage: cpu?.resource?.target?.averageUtilization,
  });
  const annotations: Record<string, string> = { ...(v2.metadata.annotations ?? {}) };
  const other = metrics.filter((m) => !isCpuUtilization(m)).map((m) => convertMetric(m, 'v1', 'spec'));
  if (other.length > 0) annotations[METRIC_SPECS_ANNOTATION] = JSON.stringify(other);
  if (s.behavior) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(s.behavior);

  if (v2.status !== undefined) {
    const st = (v2.status ?? {}) as Obj;
    const current = (Array.isArray(st.currentMetrics) ? st.currentMetrics : []) as Obj[];
    const cpuNow = current.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization != null);
    // v1's currentReplicas and desiredReplicas have no omitempty.
    out.status = compact({
      observedGeneration: st.observedGeneration, lastScaleTime: st.lastScaleTime,
      currentReplicas: st.currentReplicas ?? 0, desiredReplicas: st.desiredReplicas ?? 0,
      currentCPUUtilizationPercentage: cpuNow?.resource?.current?.averageUtilization,
    });
    if (current.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(current.map((m) => convertMetric(m, 'v1', 'status')));
    if (Array.isArray(st.conditions) && st.conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(st.conditions);
  }
  setAnnotations(out, annotations);
  return out as KObject;
}
