// pkg/apis/authorization/validation: the access reviews' spec and metadata rules, with upstream's texts.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';

type Obj = Record<string, any>;

const invalid = (field: string, badValue: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail });

/** Go's zero value: what an empty metav1.ObjectMeta field decodes to (nil and empty maps/slices compare equal). */
function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/** ObjectMeta must be empty apart from managedFields (and the fields in `except`). */
function metadataEmpty(obj: KObject, except: string[]): boolean {
  return Object.entries(obj.metadata ?? {}).every(([k, v]) => k === 'managedFields' || except.includes(k) || isZero(v));
}

/** Exactly one of resourceAttributes and nonResourceAttributes (SelfSubjectAccessReviewSpec and SubjectAccessReviewSpec). */
function validateAttributesChoice(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const hasResource = spec.resourceAttributes != null;
  const hasNonResource = spec.nonResourceAttributes != null;
  if (hasResource && hasNonResource) {
    errs.push(invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes'));
  }
  if (!hasResource && !hasNonResource) {
    errs.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  return errs;
}

function validateSubjectAccessReviewSpec(spec: Obj): FieldError[] {
  const errs = validateAttributesChoice(spec);
  const groups: unknown[] = Array.isArray(spec.groups) ? spec.groups : [];
  if (!spec.user && groups.length === 0) errs.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  return errs;
}

const spec = (obj: KObject): Obj => (obj.spec as Obj) ?? {};

export function validateSelfSubjectAccessReview(obj: KObject): FieldError[] {
  const errs = validateAttributesChoice(spec(obj));
  if (!metadataEmpty(obj, [])) errs.push(invalid('metadata', obj.metadata, 'must be empty'));
  return errs;
}

export function validateSubjectAccessReview(obj: KObject): FieldError[] {
  const errs = validateSubjectAccessReviewSpec(spec(obj));
  if (!metadataEmpty(obj, [])) errs.push(invalid('metadata', obj.metadata, 'must be empty'));
  return errs;
}

export function validateLocalSubjectAccessReview(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs = validateSubjectAccessReviewSpec(s);
  if (!metadataEmpty(obj, ['namespace'])) errs.push(invalid('metadata', obj.metadata, 'must be empty except for namespace'));
  const namespace = obj.metadata.namespace ?? '';
  if (s.resourceAttributes != null && (s.resourceAttributes.namespace ?? '') !== namespace) {
    errs.push(invalid('spec.resourceAttributes.namespace', s.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
  }
  if (s.nonResourceAttributes != null) errs.push(invalid('spec.nonResourceAttributes', s.nonResourceAttributes, 'disallowed on this kind of request'));
  return errs;
}
