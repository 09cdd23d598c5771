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

// ---- metric specs: v1 (the old v2beta1 shape) ↔ v2 ----

function specV1ToV2(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.resource) {
    const r = m.resource;
    out.resource = { name: r.name, target: compact({ type: r.targetAverageUtilization == null ? 'AverageValue' : 'Utilization', averageUtilization: r.targetAverageUtilization, averageValue: r.targetAverageValue }) };
  }
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = { name: r.name, container: r.container, target: compact({ type: r.targetAverageUtilization == null ? 'AverageValue' : 'Utilization', averageUtilization: r.targetAverageUtilization, averageValue: r.targetAverageValue }) };
  }
  if (m.pods) {
    const p = m.pods;
    out.pods = { metric: compact({ name: p.metricName, selector: p.selector }), target: compact({ type: 'AverageValue', averageValue: p.targetAverageValue }) };
  }
  if (m.object) {
    const o = m.object;
    out.object = {
      describedObject: o.target,
      metric: compact({ name: o.metricName, selector: o.selector }),
      target: compact({ type: o.averageValue == null ? 'Value' : 'AverageValue', value: o.targetValue, averageValue: o.averageValue }),
    };
  }
  if (m.external) {
    const e = m.external;
    out.external = {
      metric: compact({ name: e.metricName, selector: e.metricSelector }),
      target: compact({ type: e.targetValue != null ? 'Value' : 'AverageValue', value: e.targetValue, averageValue: e.targetAverageValue }),
    };
  }
  return out;
}

function specV2ToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.resource) out.resource = compact({ name: m.resource.name, targetAverageUtilization: m.resource.target?.averageUtilization, targetAverageValue: m.resource.target?.averageValue });
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = compact({ name: r.name, container: r.container, targetAverageUtilization: r.target?.averageUtilization, targetAverageValue: r.target?.averageValue });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name, selector: m.pods.metric?.selector, targetAverageValue: m.pods.target?.averageValue });
  if (m.object) {
    const o = m.object;
    out.object = compact({ target: o.describedObject, metricName: o.metric?.name, selector: o.metric?.selector, targetValue: o.target?.value, averageValue: o.target?.averageValue });
  }
  if (m.external) {
    const e = m.external;
    out.external = compact({ metricName: e.metric?.name, metricSelector: e.metric?.selector, targetValue: e.target?.value, targetAverageValue: e.target?.averageValue });
  }
  return out;
}

function statusV1ToV2(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.resource) out.resource = { name: m.resource.name, current: compact({ averageUtilization: m.resource.currentAverageUtilization, averageValue: m.resource.currentAverageValue }) };
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = { name: r.name, container: r.container, current: compact({ averageUtilization: r.currentAverageUtilization, averageValue: r.currentAverageValue }) };
  }
  if (m.pods) out.pods = { metric: compact({ name: m.pods.metricName, selector: m.pods.selector }), current: compact({ averageValue: m.pods.currentAverageValue }) };
  if (m.object) {
    const o = m.object;
    out.object = { describedObject: o.target, metric: compact({ name: o.metricName, selector: o.selector }), current: compact({ value: o.currentValue, averageValue: o.averageValue }) };
  }
  if (m.external) {
    const e = m.external;
    out.external = { metric: compact({ name: e.metricName, selector: e.metricSelector }), current: compact({ value: e.currentValue, averageValue: e.currentAverageValue }) };
  }
  return out;
}

function statusV2ToV1(m: Obj): Obj {
  const out: Obj = { type: m.type };
  if (m.resource) out.resource = compact({ name: m.resource.name, currentAverageUtilization: m.resource.current?.averageUtilization, currentAverageValue: m.resource.current?.averageValue });
  if (m.containerResource) {
    const r = m.containerResource;
    out.containerResource = compact({ name: r.name, container: r.container, currentAverageUtilization: r.current?.averageUtilization, currentAverageValue: r.current?.averageValue });
  }
  if (m.pods) out.pods = compact({ metricName: m.pods.metric?.name, selector: m.pods.metric?.selector, currentAverageValue: m.pods.current?.averageValue });
  if (m.object) {
    const o = m.object;
    out.object = compact({ target: o.describedObject, metricName: o.metric?.name, selector: o.metric?.selector, currentValue: o.current?.value, averageValue: o.current?.averageValue });
  }
  if (m.external) {
    const e = m.external;
    out.external = compact({ metricName: e.metric?.name, metricSelector: e.metric?.selector, currentValue: e.current?.value, currentAverageValue: e.current?.averageValue });
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
  if (Array.isArray(other)) metrics = [...other.map(specV1ToV2), ...(metrics ?? [])];
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
    if (Array.isArray(current)) status.currentMetrics = current.map(statusV1ToV2);
    const conditions = takeAnnotation(annotations, CONDITIONS_ANNOTATION);
    if (Array.isArray(conditions)) status.conditions = conditions;
    out.status = status;
  }
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
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
  const other = metrics.filter((m) => !isCpuUtilization(m)).map(specV2ToV1);
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
    if (current.length > 0) annotations[METRIC_STATUSES_ANNOTATION] = JSON.stringify(current.map(statusV2ToV1));
    if (Array.isArray(st.conditions) && st.conditions.length > 0) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(st.conditions);
  }
  if (Object.keys(annotations).length > 0) out.metadata.annotations = annotations;
  else delete out.metadata.annotations;
  return out as KObject;
}
