// replicationcontrollers: the legacy ReplicaSet. Upstream pkg/registry/core/replicationcontroller.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, invalid, nonNegative, notSupported, required, validateLabels } from '../../apimachinery/validation.ts';
import type { ResourceDefinition } from '../types.ts';
import { defaultPodSpec } from './pod-spec-defaults.ts';
import { validatePodTemplateSpec } from './pod-spec-validation.ts';
import { keepStatus, statusStrategyOf } from './status-helpers.ts';
import { age, ageColumn, column, doc, formatLabels, layoutContainerCells, nameColumn } from './table-helpers.ts';

type Obj = Record<string, any>;

/** SetDefaults_ReplicationController: selector and labels from the template labels; one replica. */
function defaultRC(rc: KObject): void {
  if (typeof rc.spec !== 'object' || rc.spec === null) rc.spec = {};
  const spec = rc.spec as Obj;
  const labels = spec.template?.metadata?.labels;
  if (labels && typeof labels === 'object') {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...labels };
  }
  spec.replicas ??= 1;
  if (spec.template && typeof spec.template === 'object') defaultPodSpec(spec.template.spec);
}

function selectorMatches(selector: Obj, labels: Obj): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** ValidateReplicationControllerSpec + ValidatePodTemplateSpecForRC. */
function validateRC(rc: KObject): FieldError[] {
  const spec: Obj = (rc.spec as Obj) ?? {};
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector: Obj = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  const template = spec.template;
  if (!template) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels: Obj = template.metadata?.labels ?? {};
  if (Object.keys(selector).length > 0 && !selectorMatches(selector, labels)) {
    errs.push(...invalid('spec.template.metadata.labels', labels, ['`selector` does not match template `labels`']));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy && restartPolicy !== 'Always') errs.push(notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined && template.spec?.activeDeadlineSeconds !== null) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

export const replicationControllerResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  resource: 'replicationcontrollers',
  singularName: 'replicationcontroller',
  namespaced: true,
  shortNames: ['rc'],
  categories: ['all'],
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  strategy: {
    defaults: defaultRC,
    prepareForCreate(rc) { rc.status = { replicas: 0 }; },
    prepareForUpdate(rc, old) { keepStatus(rc, old); },
    validate: validateRC,
    allowCreateOnUpdate: true,
  },
  statusStrategy: statusStrategyOf({
    validateUpdate(rc) {
      const status: Obj = (rc.status as Obj) ?? {};
      const errs: FieldError[] = [];
      for (const k of ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration']) {
        errs.push(...nonNegative(status[k], `status.${k}`));
      }
      return errs;
    },
  }),
  table: {
    columns: [
      nameColumn(),
      column('Desired', doc('V1ReplicationControllerSpec', 'replicas'), { type: 'integer' }),
      column('Current', doc('V1ReplicationControllerStatus', 'replicas'), { type: 'integer' }),
      column('Ready', doc('V1ReplicationControllerStatus', 'readyReplicas'), { type: 'integer' }),
      ageColumn(),
      column('Containers', 'Names of each container in the template.', { priority: 1 }),
      column('Images', 'Images referenced by each container in the template.', { priority: 1 }),
      column('Selector', doc('V1ReplicationControllerSpec', 'selector'), { priority: 1 }),
    ],
    cells(rc, now) {
      const spec: Obj = (rc.spec as Obj) ?? {};
      const status: Obj = (rc.status as Obj) ?? {};
      const [names, images] = layoutContainerCells(spec.template?.spec?.containers);
      return [
        rc.metadata.name, spec.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0, age(rc, now),
        names, images, formatLabels(spec.selector),
      ];
    },
  },
  selectableFields: (rc) => ({ 'status.replicas': String((rc.status as Obj)?.replicas ?? 0) }),
  openapiModel: 'V1ReplicationController',
};
