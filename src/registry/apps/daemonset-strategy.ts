// pkg/registry/apps/daemonset/strategy.go: SetDefaults_DaemonSet and ValidateDaemonSetSpec.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { notSupported, required } from '../../apimachinery/validation.ts';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../core/pod-spec.ts';
import { deepEqual } from '../core/deep-equal.ts';
import type { ResourceStrategy } from '../types.ts';
import { spec } from '../groups/common/printers.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { intOrPercentValue, notMoreThan100Percent, validatePositiveIntOrPercent } from '../groups/common/int-or-string.ts';
import { nonNegativeFields, validateAlwaysRestart, validateSelectorImmutable, validateSelectorMatchesTemplate, validateWorkloadSelector } from './workload-validation.ts';

type Obj = Record<string, any>;

/** SetDefaults_DaemonSet. */
export function defaultDaemonSet(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  const us = (s.updateStrategy ??= {}) as Obj;
  if (!us.type) us.type = 'RollingUpdate';
  if (us.type === 'RollingUpdate') {
    const ru = (us.rollingUpdate ??= {}) as Obj;
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(s.template);
}

/** ValidateDaemonSetUpdateStrategy / ValidateRollingUpdateDaemonSet. */
function validateUpdateStrategy(us: Obj | undefined): FieldError[] {
  const field = 'spec.updateStrategy';
  const s = us ?? {};
  if (s.type === 'OnDelete') return [];
  if (s.type !== 'RollingUpdate') return [notSupported(field, s.type ?? '', ['RollingUpdate', 'OnDelete'])];
  const ru = s.rollingUpdate as Obj | undefined;
  if (!ru) return [required(`${field}.rollingUpdate`)];
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, `${field}.rollingUpdate.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge, `${field}.rollingUpdate.maxSurge`),
    ...notMoreThan100Percent(ru.maxUnavailable, `${field}.rollingUpdate.maxUnavailable`),
    ...notMoreThan100Percent(ru.maxSurge, `${field}.rollingUpdate.maxSurge`),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) {
    errs.push({ type: 'FieldValueInvalid', field: `${field}.rollingUpdate.maxSurge`, badValue: ru.maxSurge, detail: 'may not be set when maxUnavailable is non-zero' });
  } else if (!hasUnavailable && !hasSurge) {
    errs.push(required(`${field}.rollingUpdate.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  }
  return errs;
}

export function validateDaemonSetSpec(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  errs.push(...validateWorkloadSelector(s.selector, 'daemonset'));
  errs.push(...validateSelectorMatchesTemplate(s.selector, s.template));
  errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
  errs.push(...validateAlwaysRestart(s.template, 'DaemonSet'));
  errs.push(...nonNegativeFields(s, ['minReadySeconds', 'templateGeneration']));
  errs.push(...validateUpdateStrategy(s.updateStrategy));
  errs.push(...nonNegativeFields(s, ['revisionHistoryLimit']));
  return errs;
}

// The status fields without omitempty upstream.
const resetStatus = statusReset({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 });

/**
 * spec.templateGeneration, which apps/v1 shows as this annotation: 1 on create, +1 whenever the
 * pod template changes, never set by clients. The DaemonSet controller labels pods with it
 * (pod-template-generation).
 */
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(obj: KObject, generation: number): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: String(generation) };
}

export const daemonSetStrategy: ResourceStrategy = {
  defaults: defaultDaemonSet,
  prepareForCreate(obj, ctx) {
    resetStatus.prepareForCreate(obj, ctx);
    setTemplateGeneration(obj, 1);
  },
  prepareForUpdate(obj, old, ctx) {
    resetStatus.prepareForUpdate(obj, old, ctx);
    const previous = Number.parseInt(old.metadata.annotations?.[TEMPLATE_GENERATION] ?? '', 10) || 1;
    setTemplateGeneration(obj, deepEqual(spec(obj).template, spec(old).template) ? previous : previous + 1);
  },
  validate: (obj) => validateDaemonSetSpec(obj),
  validateUpdate: (obj, old) => validateSelectorImmutable(spec(obj).selector, spec(old).selector),
};
