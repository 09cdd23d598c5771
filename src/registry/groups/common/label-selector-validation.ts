// unversionedvalidation.ValidateLabelSelector of k8s.io/apimachinery/pkg/apis/meta/v1/validation.
import type { FieldError } from '../../../apimachinery/errors.ts';
import { forbidden, invalid, isQualifiedName, isValidLabelValue, required, validateLabels } from '../../../apimachinery/validation.ts';

interface Requirement { key?: unknown; operator?: unknown; values?: unknown }

export function validateLabelSelector(sel: unknown, field: string): FieldError[] {
  if (sel === undefined || sel === null) return [];
  const s = sel as { matchLabels?: unknown; matchExpressions?: unknown };
  const errs = validateLabels(s.matchLabels, `${field}.matchLabels`);
  const exprs = Array.isArray(s.matchExpressions) ? (s.matchExpressions as Requirement[]) : [];
  exprs.forEach((r, i) => errs.push(...validateLabelSelectorRequirement(r ?? {}, `${field}.matchExpressions[${i}]`)));
  return errs;
}

function validateLabelSelectorRequirement(r: Requirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = Array.isArray(r.values) ? (r.values as unknown[]) : [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push({ type: 'FieldValueInvalid', field: `${field}.operator`, badValue: r.operator ?? '', detail: 'not a valid selector operator' });
  }
  const key = typeof r.key === 'string' ? r.key : '';
  errs.push(...invalid(`${field}.key`, key, isQualifiedName(key)));
  values.forEach((v, i) => {
    const s = typeof v === 'string' ? v : String(v);
    errs.push(...invalid(`${field}.values[${i}]`, s, isValidLabelValue(s)));
  });
  return errs;
}

/** Whether the selector selects nothing-in-particular: no matchLabels and no matchExpressions. */
export function isEmptySelector(sel: unknown): boolean {
  const s = (sel ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: unknown[] };
  return Object.keys(s.matchLabels ?? {}).length + (s.matchExpressions?.length ?? 0) === 0;
}
