// ValidateJobSpec of pkg/apis/batch/validation, shared by Jobs and CronJob job templates.
import type { FieldError } from '../../../apimachinery/errors.ts';
import { notSupported, required } from '../../../apimachinery/validation.ts';
import { validatePodTemplateSpec } from '../../core/pod-spec.ts';
import { validateLabelSelector } from '../common/label-selector-validation.ts';

type Obj = Record<string, any>;

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];
const JOB_RESTART_POLICIES = ['OnFailure', 'Never'];
const POD_REPLACEMENT_POLICIES = ['TerminatingOrFailed', 'Failed'];

function nonNegativeInt(spec: Obj, name: string, prefix: string): FieldError[] {
  const v = spec[name];
  if (typeof v === 'number' && v < 0) return [{ type: 'FieldValueInvalid', field: `${prefix}.${name}`, badValue: v, detail: 'must be greater than or equal to 0' }];
  return [];
}

/** ValidateJobSpec without the selector/template-label match (which differs between Jobs and templates). */
export function validateJobSpec(spec: Obj, prefix: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished']) {
    errs.push(...nonNegativeInt(spec, f, prefix));
  }
  if (spec.completionMode !== undefined && !COMPLETION_MODES.includes(spec.completionMode)) {
    errs.push(notSupported(`${prefix}.completionMode`, spec.completionMode, COMPLETION_MODES));
  }
  if (spec.completionMode === 'Indexed' && (spec.completions === undefined || spec.completions === null)) {
    errs.push(required(`${prefix}.completions`, 'when completion mode is Indexed'));
  }
  if (spec.podReplacementPolicy !== undefined && !POD_REPLACEMENT_POLICIES.includes(spec.podReplacementPolicy)) {
    errs.push(notSupported(`${prefix}.podReplacementPolicy`, spec.podReplacementPolicy, POD_REPLACEMENT_POLICIES));
  }
  errs.push(...validateLabelSelector(spec.selector, `${prefix}.selector`));
  errs.push(...validatePodTemplateSpec(spec.template, `${prefix}.template`));
  const podSpec = (spec.template?.spec ?? {}) as Obj;
  if (podSpec.restartPolicy && !JOB_RESTART_POLICIES.includes(podSpec.restartPolicy)) {
    errs.push(notSupported(`${prefix}.template.spec.restartPolicy`, podSpec.restartPolicy, JOB_RESTART_POLICIES));
  }
  return errs;
}
