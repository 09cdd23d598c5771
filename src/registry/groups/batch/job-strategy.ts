// pkg/registry/batch/job/strategy.go: SetDefaults_Job, the generated selector and ValidateJob.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { required } from '../../../apimachinery/validation.ts';
import { defaultPodTemplateSpec } from '../../core/pod-spec.ts';
import { deepEqual } from '../../core/deep-equal.ts';
import type { ResourceStrategy } from '../../types.ts';
import { goStringMap, invalidGoValue } from '../common/go-format.ts';
import { spec } from '../common/printers.ts';
import { isValidSelector, selectorMatches } from '../common/selectors.ts';
import { resetStatusOnCreate } from '../common/status-reset.ts';
import { validateJobSpec } from './job-validation.ts';

type Obj = Record<string, any>;

export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** Upstream's deleteOptionWarnings for Jobs. */
export const JOB_DELETE_ORPHANS_WARNING = 'child pods are preserved by default when jobs are deleted; '
  + 'set propagationPolicy=Background to remove them or set propagationPolicy=Orphan to suppress this warning';

/** SetDefaults_Job (JobPodReplacementPolicy is on by default). */
export function defaultJob(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  if (s.completions == null && s.parallelism == null) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex != null ? 2147483647 : 6;
  copyTemplateLabels(obj);
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  if (Array.isArray(s.podFailurePolicy?.rules)) {
    for (const rule of s.podFailurePolicy.rules as Obj[]) {
      for (const p of (rule?.onPodConditions ?? []) as Obj[]) p.status ||= 'True';
    }
  }
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  s.manualSelector ??= false;
  defaultPodTemplateSpec(s.template);
}

// A Job without labels takes its template's labels.
function copyTemplateLabels(obj: KObject): void {
  const labels = (obj.spec as Obj).template?.metadata?.labels;
  if (labels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels };
}

/**
 * generateSelector: pods of this Job carry its uid and name as labels and the selector picks the
 * uid, so no two Jobs ever adopt each other's pods. Needs metadata.uid and metadata.name.
 */
export function generateSelector(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  const template = (s.template ??= {}) as Obj;
  const meta = (template.metadata ??= {}) as Obj;
  const labels = (meta.labels ??= {}) as Record<string, string>;
  for (const k of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(k in labels)) labels[k] = obj.metadata.name ?? '';
  for (const k of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(k in labels)) labels[k] = obj.metadata.uid ?? '';
  const selector = (s.selector ??= {}) as Obj;
  const matchLabels = (selector.matchLabels ??= {}) as Record<string, string>;
  if (!(CONTROLLER_UID_LABEL in matchLabels)) matchLabels[CONTROLLER_UID_LABEL] = obj.metadata.uid ?? '';
}

/** ValidateJob: the spec plus the selector rules for generated and manual selectors. */
export function validateJob(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs = validateJobSpec(s, 'spec');
  const templateLabels = s.template?.metadata?.labels as Record<string, string> | undefined;
  if (s.manualSelector === true) {
    if (!s.selector) errs.push(required('spec.selector'));
    else if (isValidSelector(s.selector) && !selectorMatches(s.selector, templateLabels)) {
      errs.push(invalidGoValue('spec.template.metadata.labels', goStringMap(templateLabels), '`selector` does not match template `labels`'));
    }
    return errs;
  }
  // validateGeneratedSelector.
  if (!templateLabels) return [...errs, required('spec.template.metadata.labels')];
  if (!s.selector) return [...errs, required('spec.selector')];
  const uid = obj.metadata.uid ?? '';
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) {
    if (uid && templateLabels[key] !== undefined && templateLabels[key] !== uid) {
      errs.push({ type: 'FieldValueInvalid', field: `spec.template.metadata.labels[${key}]`, badValue: templateLabels[key], detail: `must be '${uid}'` });
    }
  }
  if (isValidSelector(s.selector) && !selectorMatches(s.selector, templateLabels)) {
    errs.push(invalidGoValue('spec.template.metadata.labels', goStringMap(templateLabels), '`selector` does not match template `labels`'));
  }
  return errs;
}

function immutableField(a: unknown, b: unknown, field: string): FieldError[] {
  return deepEqual(a ?? null, b ?? null) ? [] : [{ type: 'FieldValueInvalid', field, badValue: a ?? null, detail: 'field is immutable' }];
}

/** ValidateJobSpecUpdate (ElasticIndexedJob: Indexed jobs may scale completions with parallelism). */
export function validateJobUpdate(obj: KObject, old: KObject): FieldError[] {
  const s = spec(obj);
  const o = spec(old);
  const errs: FieldError[] = [];
  const elastic = s.completionMode === 'Indexed' && s.completions === s.parallelism && o.completions === o.parallelism;
  if (!elastic) errs.push(...immutableField(s.completions, o.completions, 'spec.completions'));
  errs.push(...immutableField(s.selector, o.selector, 'spec.selector'));
  errs.push(...immutableField(s.completionMode, o.completionMode, 'spec.completionMode'));
  errs.push(...immutableField(s.podFailurePolicy, o.podFailurePolicy, 'spec.podFailurePolicy'));
  errs.push(...immutableField(s.backoffLimitPerIndex, o.backoffLimitPerIndex, 'spec.backoffLimitPerIndex'));
  errs.push(...immutableField(s.manualSelector, o.manualSelector, 'spec.manualSelector'));
  // The template may change only while a never-started Job is suspended (scheduling directives).
  const suspendedNotStarted = o.suspend === true && !(old.status as Obj | undefined)?.startTime;
  if (!suspendedNotStarted) errs.push(...immutableField(s.template, o.template, 'spec.template'));
  return errs;
}

export const jobStrategy: ResourceStrategy = {
  defaults: defaultJob,
  prepareForCreate(obj, ctx) {
    resetStatusOnCreate.prepareForCreate!(obj, ctx);
    if (spec(obj).manualSelector !== true) {
      generateSelector(obj);
      // Upstream re-applies defaulting when it decodes the stored Job, so a Job without labels
      // shows its pods' generated labels; do the same here.
      copyTemplateLabels(obj);
    }
  },
  prepareForUpdate: resetStatusOnCreate.prepareForUpdate,
  validate: (obj) => validateJob(obj),
  validateUpdate: validateJobUpdate,
  // batch/v1 keeps the pods of a deleted Job unless told otherwise (back compatibility).
  defaultDeletePropagation: 'Orphan',
  // ...and says so when the client did not choose.
  warningsOnDelete: (opts) => (opts.propagationPolicy === undefined && opts.orphanDependents === undefined ? [JOB_DELETE_ORPHANS_WARNING] : []),
};
