// Checks shared by the apps/v1 workloads (pkg/apis/apps/validation): selector vs template labels,
// restartPolicy Always, no activeDeadlineSeconds, and the selector rules of apps/v1.
import type { FieldError } from '../../apimachinery/errors.ts';
import { forbidden, notSupported, required } from '../../apimachinery/validation.ts';
import { validatePodTemplateSpec } from '../core/pod-spec.ts';
import { goLabelSelector, goStringMap, invalidGoValue } from '../groups/common/go-format.ts';
import { isEmptySelector, validateLabelSelector } from '../groups/common/label-selector-validation.ts';
import { isValidSelector, selectorIsEverything, selectorMatches } from '../groups/common/selectors.ts';

type Obj = Record<string, any>;

/** spec.selector: Required when nil, strictly valid, and non-empty ("empty selector is invalid for <kind>"). */
export function validateWorkloadSelector(selector: unknown, kindLower: string, field = 'spec.selector'): FieldError[] {
  if (selector === undefined || selector === null) return [required(field)];
  const errs = validateLabelSelector(selector, field);
  if (isEmptySelector(selector)) errs.push(invalidGoValue(field, goLabelSelector(selector), `empty selector is invalid for ${kindLower}`));
  return errs;
}

/** The "`selector` does not match template `labels`" check (skipped for invalid or empty selectors). */
export function validateSelectorMatchesTemplate(selector: unknown, template: unknown, field = 'spec.template'): FieldError[] {
  if (!isValidSelector(selector) || selectorIsEverything(selector)) return [];
  const labels = (template as Obj | undefined)?.metadata?.labels as Record<string, string> | undefined;
  if (selectorMatches(selector, labels)) return [];
  return [invalidGoValue(`${field}.metadata.labels`, goStringMap(labels), '`selector` does not match template `labels`')];
}

/**
 * ValidatePodTemplateSpecForReplicaSet (also used for Deployments): selector match, the template
 * itself, restartPolicy Always and no activeDeadlineSeconds.
 */
export function validatePodTemplateSpecForReplicaSet(selector: unknown, template: unknown, kind: string, field = 'spec.template'): FieldError[] {
  if (template === undefined || template === null) return [required(field)];
  const errs = validateSelectorMatchesTemplate(selector, template, field);
  errs.push(...validatePodTemplateSpec(template, field));
  errs.push(...validateAlwaysRestart(template, kind, field));
  return errs;
}

/** restartPolicy must be Always; activeDeadlineSeconds is not supported in long-running workloads. */
export function validateAlwaysRestart(template: unknown, kind: string, field = 'spec.template'): FieldError[] {
  const errs: FieldError[] = [];
  const podSpec = ((template as Obj | undefined)?.spec ?? {}) as Obj;
  // An empty restartPolicy has been reported by the template validation already.
  if (podSpec.restartPolicy && podSpec.restartPolicy !== 'Always') {
    errs.push(notSupported(`${field}.spec.restartPolicy`, podSpec.restartPolicy, ['Always']));
  }
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null) {
    if (kind === 'DaemonSet') {
      errs.push({ type: 'FieldValueInvalid', field: `${field}.spec.activeDeadlineSeconds`, badValue: podSpec.activeDeadlineSeconds, detail: 'activeDeadlineSeconds in DaemonSet is not Supported' });
    } else {
      errs.push(forbidden(`${field}.spec.activeDeadlineSeconds`, `activeDeadlineSeconds in ${kind} is not Supported`));
    }
  }
  return errs;
}

/** ValidateImmutableField for spec.selector, printing the selector as upstream does. */
export function validateSelectorImmutable(selector: unknown, oldSelector: unknown, field = 'spec.selector'): FieldError[] {
  if (JSON.stringify(normalizeSelector(selector)) === JSON.stringify(normalizeSelector(oldSelector))) return [];
  return [invalidGoValue(field, goLabelSelector(selector), 'field is immutable')];
}

// Semantic equality ignores key order and empty-vs-missing lists.
function normalizeSelector(sel: unknown): unknown {
  if (!sel || typeof sel !== 'object') return null;
  const s = sel as Obj;
  const ml = s.matchLabels && Object.keys(s.matchLabels).length > 0
    ? Object.fromEntries(Object.entries(s.matchLabels).sort(([a], [b]) => (a < b ? -1 : 1))) : null;
  const me = Array.isArray(s.matchExpressions) && s.matchExpressions.length > 0 ? s.matchExpressions : null;
  return { ml, me };
}

/** Optional int32 fields upstream checks with ValidateNonnegativeField. */
export function nonNegativeFields(spec: Obj, names: string[], prefix = 'spec'): FieldError[] {
  const errs: FieldError[] = [];
  for (const n of names) {
    const v = spec[n];
    if (typeof v === 'number' && v < 0) errs.push({ type: 'FieldValueInvalid', field: `${prefix}.${n}`, badValue: v, detail: 'must be greater than or equal to 0' });
  }
  return errs;
}
