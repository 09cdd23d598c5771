// apps/v1 ReplicaSet (pkg/registry/apps/replicaset): defaults, ValidateReplicaSetSpec, printReplicaSet.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { nonNegative } from '../../apimachinery/validation.ts';
import { defaultPodTemplateSpec } from '../core/pod-spec.ts';
import { defineResource } from '../define-resource.ts';
import type { ResourceStrategy } from '../types.ts';
import { column, fieldColumns, int, spec, status, workloadTable } from '../groups/common/printers.ts';
import { formatLabelSelector } from '../groups/common/selectors.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { REPLICAS_SCALE } from './scale.ts';
import { nonNegativeFields, validatePodTemplateSpecForReplicaSet, validateSelectorImmutable, validateWorkloadSelector } from './workload-validation.ts';

type Obj = Record<string, any>;

/** SetDefaults_ReplicaSet. */
export function defaultReplicaSet(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  s.replicas ??= 1;
  defaultPodTemplateSpec(s.template);
}

export function validateReplicaSetSpec(obj: KObject): FieldError[] {
  const s = spec(obj);
  return [
    ...nonNegative(s.replicas, 'spec.replicas'),
    ...nonNegativeFields(s, ['minReadySeconds']),
    // Upstream's message says "deployment" here too.
    ...validateWorkloadSelector(s.selector, 'deployment'),
    ...validatePodTemplateSpecForReplicaSet(s.selector, s.template, 'ReplicaSet'),
  ];
}

export const replicaSetStrategy: ResourceStrategy = {
  defaults: defaultReplicaSet,
  // The status fields without omitempty upstream.
  ...statusReset({ replicas: 0 }),
  validate: (obj) => validateReplicaSetSpec(obj),
  validateUpdate: (obj, old) => validateSelectorImmutable(spec(obj).selector, spec(old).selector),
};

export const replicaSetTable = workloadTable({
  columns: [
    column('Desired', 'integer', swaggerDoc('V1ReplicaSetSpec', 'replicas')),
    ...fieldColumns('V1ReplicaSetStatus', 'integer', { Current: 'replicas', Ready: 'readyReplicas' }),
  ],
  cells: (obj) => [int(spec(obj).replicas), int(status(obj).replicas), int(status(obj).readyReplicas)],
  template: (obj) => spec(obj).template,
  selector: { model: 'V1ReplicaSetSpec', cell: (obj) => formatLabelSelector(spec(obj).selector) },
});

export const replicasets = defineResource({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'],
  subresources: { status: true, scale: REPLICAS_SCALE },
  strategy: replicaSetStrategy,
  table: replicaSetTable,
  // ReplicaSetToSelectableFields.
  selectableFields: (obj) => ({ 'status.replicas': String(int(status(obj).replicas)) }),
});
