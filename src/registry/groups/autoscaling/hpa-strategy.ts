// pkg/registry/autoscaling/horizontalpodautoscaler: v2 defaults (SetDefaults_HorizontalPodAutoscaler)
// and ValidateHorizontalPodAutoscaler on the stored (v2) shape.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { notSupported, required } from '../../../apimachinery/validation.ts';
import type { ResourceStrategy } from '../../types.ts';
import { spec } from '../common/printers.ts';
import { statusReset } from '../common/status-reset.ts';

type Obj = Record<string, any>;

export const DEFAULT_CPU_UTILIZATION = 80;

function defaultRules(rules: Obj | undefined, up: boolean): Obj {
  const r = (rules ?? {}) as Obj;
  r.stabilizationWindowSeconds ??= up ? 0 : 300;
  r.selectPolicy ??= 'Max';
  if (!Array.isArray(r.policies) || r.policies.length === 0) {
    r.policies = up
      ? [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  }
  return r;
}

/** SetDefaults_HorizontalPodAutoscaler (v2): minReplicas 1, CPU at 80% when no metric is given. */
export function defaultHPA(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  s.minReplicas ??= 1;
  if (!Array.isArray(s.metrics) || s.metrics.length === 0) {
    s.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  // Only a given behavior is completed.
  if (s.behavior) {
    s.behavior.scaleUp = defaultRules(s.behavior.scaleUp, true);
    s.behavior.scaleDown = defaultRules(s.behavior.scaleDown, false);
  }
}

const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

function validateTarget(t: Obj | undefined, field: string): FieldError[] {
  if (!t) return [required(field)];
  const errs: FieldError[] = [];
  if (!t.type) errs.push(required(`${field}.type`, 'must specify a metric target type'));
  else if (!TARGET_TYPES.includes(t.type)) errs.push(notSupported(`${field}.type`, t.type, TARGET_TYPES));
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1) {
    errs.push({ type: 'FieldValueInvalid', field: `${field}.averageUtilization`, badValue: t.averageUtilization, detail: 'must be greater than 0' });
  }
  return errs;
}

function validateMetrics(metrics: Obj[]): FieldError[] {
  const errs: FieldError[] = [];
  metrics.forEach((m, i) => {
    const p = `spec.metrics[${i}]`;
    if (!m?.type) { errs.push(required(`${p}.type`, 'must specify a metric source type')); return; }
    if (!METRIC_TYPES.includes(m.type)) { errs.push(notSupported(`${p}.type`, m.type, METRIC_TYPES)); return; }
    const key = m.type === 'ContainerResource' ? 'containerResource' : m.type.toLowerCase();
    const src = m[key] as Obj | undefined;
    if (!src) { errs.push(required(`${p}.${key}`, `must populate information for the given metric source (type ${m.type})`)); return; }
    if (m.type === 'Resource' || m.type === 'ContainerResource') {
      if (!src.name) errs.push(required(`${p}.${key}.name`, 'must specify a resource name'));
      if (m.type === 'ContainerResource' && !src.container) errs.push(required(`${p}.${key}.container`, 'must specify a container'));
    } else if (!src.metric?.name) errs.push(required(`${p}.${key}.metric.name`, 'must specify a metric name'));
    if (m.type === 'Object' && !src.describedObject?.kind) errs.push(required(`${p}.object.describedObject.kind`));
    errs.push(...validateTarget(src.target, `${p}.${key}.target`));
  });
  return errs;
}

export function validateHPA(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  if (typeof s.minReplicas === 'number' && s.minReplicas < 1) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.minReplicas', badValue: s.minReplicas, detail: 'must be greater than or equal to 1' });
  }
  const max = typeof s.maxReplicas === 'number' ? s.maxReplicas : 0;
  if (max < 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.maxReplicas', badValue: max, detail: 'must be greater than 0' });
  if (typeof s.minReplicas === 'number' && max < s.minReplicas) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.maxReplicas', badValue: max, detail: 'must be greater than or equal to `minReplicas`' });
  }
  const ref = (s.scaleTargetRef ?? {}) as Obj;
  const refErrs: FieldError[] = [];
  if (!ref.kind) refErrs.push(required('spec.scaleTargetRef.kind'));
  if (!ref.name) refErrs.push(required('spec.scaleTargetRef.name'));
  else if (ref.name === '.' || ref.name === '..' || /[/%]/.test(ref.name)) {
    refErrs.push({ type: 'FieldValueInvalid', field: 'spec.scaleTargetRef.name', badValue: ref.name, detail: /[/%]/.test(ref.name) ? `may not contain '${ref.name.includes('/') ? '/' : '%'}'` : `may not be '${ref.name}'` });
  }
  // Upstream stops at the first failing section (reference, then metrics).
  if (refErrs.length > 0) errs.push(...refErrs);
  else errs.push(...validateMetrics((Array.isArray(s.metrics) ? s.metrics : []) as Obj[]));
  return errs;
}

export const hpaStrategy: ResourceStrategy = {
  defaults: defaultHPA,
  // v2's desiredReplicas has no omitempty.
  ...statusReset({ desiredReplicas: 0 }),
  validate: (obj) => validateHPA(obj),
};
