// apps/v1 ReplicaSet (pkg/registry/apps/replicaset): defaults, ValidateReplicaSetSpec, printReplicaSet.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { nonNegative } from '../../apimachinery/validation.ts';
import { defaultPodTemplateSpec } from '../core/pod-spec.ts';
import type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../types.ts';
import { age, ageColumn, column, containersColumn, imagesColumn, int, layoutContainerCells, nameColumn, spec, status, templateContainers } from '../groups/common/printers.ts';
import { formatLabelSelector } from '../groups/common/selectors.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
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

export const replicaSetTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Desired', 'integer', swaggerDoc('V1ReplicaSetSpec', 'replicas')),
    column('Current', 'integer', swaggerDoc('V1ReplicaSetStatus', 'replicas')),
    column('Ready', 'integer', swaggerDoc('V1ReplicaSetStatus', 'readyReplicas')),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', swaggerDoc('V1ReplicaSetSpec', 'selector'), 1),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const st = status(obj);
    const [names, images] = layoutContainerCells(templateContainers(s.template));
    return [obj.metadata.name, int(s.replicas), int(st.replicas), int(st.readyReplicas), age(obj, now), names, images, formatLabelSelector(s.selector)];
  },
};

export const replicasets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  resource: 'replicasets',
  singularName: 'replicaset',
  namespaced: true,
  shortNames: ['rs'],
  categories: ['all'],
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  strategy: replicaSetStrategy,
  table: replicaSetTable,
  // ReplicaSetToSelectableFields.
  selectableFields: (obj) => ({ 'status.replicas': String(int(status(obj).replicas)) }),
  openapiModel: 'V1ReplicaSet',
};
