// pkg/apis/rbac/validation and v1 defaults shared by the four RBAC kinds.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { invalid, isDNS1123Label, isDNS1123Subdomain, notSupported, required } from '../../../apimachinery/validation.ts';
import { invalidGoValue } from '../common/go-format.ts';
import { validateLabelSelector } from '../common/label-selector-validation.ts';

type Obj = Record<string, any>;

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** ValidatePolicyRule. */
export function validatePolicyRules(rules: unknown, namespaced: boolean, field = 'rules'): FieldError[] {
  const errs: FieldError[] = [];
  ((Array.isArray(rules) ? rules : []) as Obj[]).forEach((rule, i) => {
    const p = `${field}[${i}]`;
    const len = (k: string) => (Array.isArray(rule?.[k]) ? rule[k].length : 0);
    if (len('verbs') === 0) errs.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    if (len('nonResourceURLs') > 0) {
      if (namespaced) errs.push({ type: 'FieldValueInvalid', field: `${p}.nonResourceURLs`, badValue: rule.nonResourceURLs, detail: 'namespaced rules cannot apply to non-resource URLs' });
      if (len('apiGroups') > 0 || len('resources') > 0 || len('resourceNames') > 0) {
        errs.push({ type: 'FieldValueInvalid', field: `${p}.nonResourceURLs`, badValue: rule.nonResourceURLs, detail: 'rules cannot apply to both regular resources and non-resource URLs' });
      }
      return;
    }
    if (len('apiGroups') === 0) errs.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (len('resources') === 0) errs.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

/** ValidateClusterRole's aggregationRule part. */
export function validateAggregationRule(obj: KObject): FieldError[] {
  const ar = obj.aggregationRule as Obj | undefined;
  if (!ar) return [];
  const selectors = (Array.isArray(ar.clusterRoleSelectors) ? ar.clusterRoleSelectors : []) as unknown[];
  const errs: FieldError[] = [];
  if (selectors.length === 0) errs.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
  selectors.forEach((s, i) => errs.push(...validateLabelSelector(s, `aggregationRule.clusterRoleSelectors[${i}]`)));
  return errs;
}

/** SetDefaults_Subject and the roleRef apiGroup default of (Cluster)RoleBindings. */
export function defaultBinding(obj: KObject): void {
  const roleRef = (obj.roleRef ??= {}) as Obj;
  if (!roleRef.apiGroup) roleRef.apiGroup = RBAC_GROUP;
  for (const s of (Array.isArray(obj.subjects) ? obj.subjects : []) as Obj[]) {
    if (!s || typeof s !== 'object' || s.apiGroup) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

/** ValidateRoleBinding / ValidateClusterRoleBinding without metadata. */
export function validateBinding(obj: KObject, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = (obj.roleRef ?? {}) as Obj;
  if (roleRef.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', roleRef.apiGroup ?? '', [RBAC_GROUP]));
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(roleRef.kind)) errs.push(notSupported('roleRef.kind', roleRef.kind ?? '', kinds));
  if (!roleRef.name) errs.push(required('roleRef.name'));
  else errs.push(...invalid('roleRef.name', roleRef.name, isValidPathSegmentName(roleRef.name)));
  ((Array.isArray(obj.subjects) ? obj.subjects : []) as Obj[]).forEach((s, i) => errs.push(...validateSubject(s ?? {}, clusterScoped, `subjects[${i}]`)));
  return errs;
}

// ValidateRBACName: path segment names.
function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  for (const c of ['/', '%']) if (name.includes(c)) return [`may not contain '${c}'`];
  return [];
}

/** ValidateRoleBindingSubject. */
function validateSubject(s: Obj, clusterScoped: boolean, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(`${field}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.name) errs.push(...invalid(`${field}.name`, s.name, isDNS1123Subdomain(s.name)));
      if (s.apiGroup) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup, ['']));
      if (clusterScoped && !s.namespace) errs.push(required(`${field}.namespace`));
      if (s.namespace) errs.push(...invalid(`${field}.namespace`, s.namespace, isDNS1123Label(s.namespace)));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${field}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${field}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** The roleRef of a binding cannot change: "cannot change roleRef", with the Go rendering upstream prints. */
export function validateRoleRefUnchanged(obj: KObject, old: KObject): FieldError[] {
  const a = (obj.roleRef ?? {}) as Obj;
  const b = (old.roleRef ?? {}) as Obj;
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  const go = `rbac.RoleRef{APIGroup:${JSON.stringify(a.apiGroup ?? '')}, Kind:${JSON.stringify(a.kind ?? '')}, Name:${JSON.stringify(a.name ?? '')}}`;
  return [invalidGoValue('roleRef', go, 'cannot change roleRef')];
}

/** SubjectsStrings: users, groups and "namespace/name" service accounts. */
export function subjectsStrings(subjects: unknown): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of (Array.isArray(subjects) ? subjects : []) as Obj[]) {
    if (s?.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name ?? ''}`);
    else if (s?.kind === 'User') users.push(s.name ?? '');
    else if (s?.kind === 'Group') groups.push(s.name ?? '');
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}
