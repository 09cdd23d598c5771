// pkg/registry/apps/deployment/strategy.go with the defaults of pkg/apis/apps/v1/defaults.go and the
// checks of pkg/apis/apps/validation (ValidateDeploymentSpec).
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, nonNegative, notSupported, required } from '../../apimachinery/validation.ts';
import { defaultPodTemplateSpec } from '../core/pod-spec.ts';
import { deepEqual } from '../core/deep-equal.ts';
import type { ResourceStrategy } from '../types.ts';
import { invalidGoValue } from '../groups/common/go-format.ts';
import { intOrPercentValue, notMoreThan100Percent, validatePositiveIntOrPercent } from '../groups/common/int-or-string.ts';
import { resetStatusOnCreate } from '../groups/common/status-reset.ts';
import { nonNegativeFields, validatePodTemplateSpecForReplicaSet, validateSelectorImmutable, validateWorkloadSelector } from './workload-validation.ts';

type Obj = Record<string, any>;

/** SetDefaults_Deployment. */
export function defaultDeployment(obj: KObject): void {
  const spec = (obj.spec ??= {}) as Obj;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {}) as Obj;
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {}) as Obj;
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

/** %#v of an intstr.IntOrString, as "may not be 0 when `maxSurge` is 0" prints it. */
function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${JSON.stringify(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${typeof v === 'number' ? v : 0}, StrVal:""}`;
}

/** ValidateDeploymentStrategy. */
function validateStrategy(strategy: Obj | undefined, field: string): FieldError[] {
  const s = strategy ?? {};
  switch (s.type) {
    case 'Recreate':
      return s.rollingUpdate ? [forbidden(`${field}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      const ru = s.rollingUpdate as Obj | undefined;
      if (!ru) return [required(`${field}.rollingUpdate`, 'this should be defaulted and never be nil')];
      const errs = [
        ...validatePositiveIntOrPercent(ru.maxUnavailable, `${field}.rollingUpdate.maxUnavailable`),
        ...validatePositiveIntOrPercent(ru.maxSurge, `${field}.rollingUpdate.maxSurge`),
      ];
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidGoValue(`${field}.rollingUpdate.maxUnavailable`, goIntOrString(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, `${field}.rollingUpdate.maxUnavailable`));
      return errs;
    }
    default:
      return [notSupported(field, s.type ?? '', ['Recreate', 'RollingUpdate'])];
  }
}

/** ValidateDeploymentSpec. */
export function validateDeploymentSpec(obj: KObject): FieldError[] {
  const spec = (obj.spec ?? {}) as Obj;
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateWorkloadSelector(spec.selector, 'deployment'));
  errs.push(...validatePodTemplateSpecForReplicaSet(spec.selector, spec.template, 'Deployment'));
  errs.push(...validateStrategy(spec.strategy, 'spec.strategy'));
  errs.push(...nonNegativeFields(spec, ['minReadySeconds', 'revisionHistoryLimit']));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    const pds = spec.progressDeadlineSeconds;
    if (pds <= 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.progressDeadlineSeconds', badValue: pds, detail: 'must be greater than zero' });
    if (pds <= (spec.minReadySeconds ?? 0)) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.progressDeadlineSeconds', badValue: pds, detail: 'must be greater than minReadySeconds' });
    }
  }
  return errs;
}

export const deploymentStrategy: ResourceStrategy = {
  defaults: defaultDeployment,
  ...resetStatusOnCreate,
  validate: (obj) => validateDeploymentSpec(obj),
  // apps/v1 forbids changing the selector (extensions/v1beta1 allowed it).
  validateUpdate: (obj, old) => validateSelectorImmutable((obj.spec as Obj | undefined)?.selector, (old.spec as Obj | undefined)?.selector),
  // Annotations are copied to the ReplicaSets, so their changes bump the generation too.
  specChanged: (obj, old) => !deepEqual(obj.spec, old.spec) || !deepEqual(obj.metadata.annotations ?? {}, old.metadata.annotations ?? {}),
};
