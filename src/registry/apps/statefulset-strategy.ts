// pkg/registry/apps/statefulset/strategy.go: SetDefaults_StatefulSet and ValidateStatefulSetSpec/Update.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, nonNegative, notSupported, required } from '../../apimachinery/validation.ts';
import { defaultPodTemplateSpec, validatePodTemplateSpec } from '../core/pod-spec.ts';
import { deepEqual } from '../core/deep-equal.ts';
import type { ResourceStrategy } from '../types.ts';
import { spec } from '../groups/common/printers.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { notMoreThan100Percent, validatePositiveIntOrPercent } from '../groups/common/int-or-string.ts';
import { nonNegativeFields, validateAlwaysRestart, validateSelectorMatchesTemplate, validateWorkloadSelector } from './workload-validation.ts';

type Obj = Record<string, any>;

/** SetDefaults_StatefulSet (StatefulSetAutoDeletePVC is on by default since 1.27). */
export function defaultStatefulSet(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  if (!s.podManagementPolicy) s.podManagementPolicy = 'OrderedReady';
  const us = (s.updateStrategy ??= {}) as Obj;
  if (!us.type) {
    us.type = 'RollingUpdate';
    us.rollingUpdate ??= {};
  }
  if (us.type === 'RollingUpdate' && us.rollingUpdate) us.rollingUpdate.partition ??= 0;
  const retention = (s.persistentVolumeClaimRetentionPolicy ??= {}) as Obj;
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  s.replicas ??= 1;
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(s.template);
  if (Array.isArray(s.volumeClaimTemplates)) {
    // SetDefaults_PersistentVolumeClaimSpec for each claim template.
    for (const t of s.volumeClaimTemplates as Obj[]) {
      if (t && typeof t === 'object') (t.spec ??= {}).volumeMode ??= 'Filesystem';
    }
  }
}

const RETENTION = ['Retain', 'Delete'];

export function validateStatefulSetSpec(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  if (!s.podManagementPolicy) errs.push(required('spec.podManagementPolicy'));
  else if (s.podManagementPolicy !== 'OrderedReady' && s.podManagementPolicy !== 'Parallel') {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.podManagementPolicy', badValue: s.podManagementPolicy, detail: "must be 'OrderedReady' or 'Parallel'" });
  }
  const us = (s.updateStrategy ?? {}) as Obj;
  switch (us.type) {
    case undefined:
    case '':
      errs.push(required('spec.updateStrategy'));
      break;
    case 'OnDelete':
      if (us.rollingUpdate) errs.push({ type: 'FieldValueInvalid', field: 'spec.updateStrategy.rollingUpdate', badValue: us.rollingUpdate, detail: "only allowed for updateStrategy 'RollingUpdate'" });
      break;
    case 'RollingUpdate':
      if (us.rollingUpdate) {
        errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
        if (us.rollingUpdate.maxUnavailable !== undefined) {
          errs.push(...validatePositiveIntOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
          errs.push(...notMoreThan100Percent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
        }
      }
      break;
    default:
      errs.push({ type: 'FieldValueInvalid', field: 'spec.updateStrategy', badValue: us, detail: "must be 'RollingUpdate' or 'OnDelete'" });
  }
  const retention = s.persistentVolumeClaimRetentionPolicy as Obj | undefined;
  if (retention) {
    for (const f of ['whenDeleted', 'whenScaled']) {
      if (!RETENTION.includes(retention[f])) errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${f}`, retention[f] ?? '', RETENTION));
    }
  }
  errs.push(...nonNegative(s.replicas, 'spec.replicas'));
  errs.push(...nonNegativeFields(s, ['minReadySeconds', 'revisionHistoryLimit']));
  if (s.ordinals) errs.push(...nonNegative(s.ordinals.start, 'spec.ordinals.start'));
  errs.push(...validateWorkloadSelector(s.selector, 'statefulset'));
  // ValidatePodTemplateSpecForStatefulSet.
  if (s.template === undefined || s.template === null) errs.push(required('spec.template'));
  else {
    errs.push(...validateSelectorMatchesTemplate(s.selector, s.template));
    errs.push(...validatePodTemplateSpec(s.template, 'spec.template'));
    errs.push(...validateAlwaysRestart(s.template, 'StatefulSet'));
  }
  return errs;
}

// The fields ValidateStatefulSetUpdate lets a client change.
const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(obj: KObject, old: KObject): FieldError[] {
  const a: Obj = { ...spec(obj) };
  const b: Obj = { ...spec(old) };
  for (const f of MUTABLE) { delete a[f]; delete b[f]; }
  if (deepEqual(a, b)) return [];
  return [forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")];
}

export const statefulSetStrategy: ResourceStrategy = {
  defaults: defaultStatefulSet,
  // The status fields without omitempty upstream.
  ...statusReset({ replicas: 0, availableReplicas: 0 }),
  validate: (obj) => validateStatefulSetSpec(obj),
  validateUpdate: validateStatefulSetUpdate,
};
