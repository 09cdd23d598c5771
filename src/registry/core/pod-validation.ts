// ValidatePodCreate / ValidatePodUpdate: a pod's spec is immutable after create except for images,
// activeDeadlineSeconds, added tolerations and removed scheduling gates.
import type { FieldError } from '../../apimachinery/errors.ts';
import { deepCopy, type KObject } from '../../apimachinery/types.ts';
import { forbidden, invalid } from '../../apimachinery/validation.ts';
import { deepEqual } from './deep-equal.ts';
import { validatePodSpec } from './pod-spec-validation.ts';

type Obj = Record<string, any>;

export const POD_UPDATE_FORBIDDEN_MESSAGE = 'pod updates may not change fields other than '
  + '`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,'
  + '`spec.tolerations` (only additions to existing tolerations),'
  + '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Runs on create and update (the generic store applies it to both). */
export function validatePod(pod: KObject): FieldError[] {
  return validatePodSpec(pod.spec, 'spec');
}

/** ValidatePodCreate's extra rule; checked in prepareForCreate since validate also runs on update. */
export function validatePodCreateOnly(pod: KObject): FieldError[] {
  const spec = pod.spec as Obj | undefined;
  if (spec && Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    return [forbidden('spec.ephemeralContainers', 'cannot be set on create')];
  }
  return [];
}

/** validateOnlyAddedTolerations. */
function validateOnlyAddedTolerations(newTols: Obj[], oldTols: Obj[]): FieldError[] {
  for (const old of oldTols) {
    const found = newTols.some((t) => {
      const a = { ...t, tolerationSeconds: undefined };
      const b = { ...old, tolerationSeconds: undefined };
      if (!deepEqual(a, b)) return false;
      // Only the tolerationSeconds of a NoExecute toleration may change, and only to a smaller value.
      if (old.tolerationSeconds === undefined || old.tolerationSeconds === null) return t.tolerationSeconds === undefined || t.tolerationSeconds === null;
      return typeof t.tolerationSeconds === 'number' && t.tolerationSeconds <= old.tolerationSeconds;
    });
    if (!found) return [forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return [];
}

/** A short "-old/+new" list of the changed spec fields, in place of go-cmp's struct diff. */
function specDiff(a: unknown, b: unknown, path = 'spec', out: string[] = []): string[] {
  if (deepEqual(a, b)) return out;
  const isObjLike = (v: unknown) => typeof v === 'object' && v !== null;
  if (isObjLike(a) && isObjLike(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) {
      const sub = Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`;
      specDiff((a as Obj)[k], (b as Obj)[k], sub, out);
    }
    return out;
  }
  if (a !== undefined) out.push(`-   ${path}: ${JSON.stringify(a)}`);
  if (b !== undefined) out.push(`+   ${path}: ${JSON.stringify(b)}`);
  return out;
}

export function validatePodUpdate(pod: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const newSpec: Obj = deepCopy((pod.spec as Obj) ?? {});
  const oldSpec: Obj = deepCopy((old.spec as Obj) ?? {});

  // activeDeadlineSeconds may be set once and then only shortened.
  const newAds = newSpec.activeDeadlineSeconds;
  const oldAds = oldSpec.activeDeadlineSeconds;
  if (oldAds !== undefined && oldAds !== null) {
    if (newAds === undefined || newAds === null) {
      errs.push(...invalid('spec.activeDeadlineSeconds', null, ['must not update from a positive integer to nil value']));
    } else if (newAds > oldAds) {
      errs.push(...invalid('spec.activeDeadlineSeconds', newAds, [`must be less than or equal to previous value`]));
    }
  }

  const newTols: Obj[] = Array.isArray(newSpec.tolerations) ? newSpec.tolerations : [];
  const oldTols: Obj[] = Array.isArray(oldSpec.tolerations) ? oldSpec.tolerations : [];
  errs.push(...validateOnlyAddedTolerations(newTols, oldTols));

  const oldGates: Obj[] = Array.isArray(oldSpec.schedulingGates) ? oldSpec.schedulingGates : [];
  const newGates: Obj[] = Array.isArray(newSpec.schedulingGates) ? newSpec.schedulingGates : [];
  if (oldGates.length === 0 && newGates.length > 0) {
    errs.push(forbidden('spec.schedulingGates', 'only deletion is allowed, but found new scheduling gate \'' + newGates[0]?.name + '\''));
  } else {
    for (const g of newGates) {
      if (!oldGates.some((o) => o?.name === g?.name)) {
        errs.push(forbidden('spec.schedulingGates', `only deletion is allowed, but found new scheduling gate '${g?.name}'`));
      }
    }
  }

  // Munge the mutable fields of the new spec into the old one, then any remaining difference is forbidden.
  for (const list of ['containers', 'initContainers'] as const) {
    const n: Obj[] = Array.isArray(newSpec[list]) ? newSpec[list] : [];
    const o: Obj[] = Array.isArray(oldSpec[list]) ? oldSpec[list] : [];
    if (n.length !== o.length) continue;
    n.forEach((c, i) => { if (c && o[i]) c.image = o[i]!.image; });
  }
  newSpec.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  newSpec.tolerations = oldSpec.tolerations;
  newSpec.schedulingGates = oldSpec.schedulingGates;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0
    && newSpec.terminationGracePeriodSeconds === 1) {
    newSpec.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  // Scheduling gates removed: node affinity/selector may be added then; kept simple here.
  if (!deepEqual(newSpec, oldSpec)) {
    const diff = specDiff(oldSpec, newSpec);
    errs.push(forbidden('spec', `${POD_UPDATE_FORBIDDEN_MESSAGE}\n  core.PodSpec{\n${diff.join('\n')}\n  }\n`));
  }
  return errs;
}
