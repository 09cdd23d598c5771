// replicationcontrollers: the legacy ReplicaSet. Upstream pkg/registry/core/replicationcontroller.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, invalid, nonNegative, notSupported, required, validateLabels } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { defaultPodSpec } from './pod-spec-defaults.ts';
import { validatePodTemplateSpec } from './pod-spec-validation.ts';
import { REPLICAS_SCALE } from '../apps/scale.ts';
import { column, fieldColumns, formatLabels, workloadTable } from '../groups/common/printers.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { statusStrategyOf } from './status-helpers.ts';

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

export const replicationControllerResource = defineResource({
  apiVersion: 'v1', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ['all'],
  subresources: { status: true, scale: REPLICAS_SCALE },
  strategy: {
    defaults: defaultRC,
    ...statusReset({ replicas: 0 }),
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
  table: workloadTable({
    columns: [
      column('Desired', 'integer', swaggerDoc('V1ReplicationControllerSpec', 'replicas')),
      ...fieldColumns('V1ReplicationControllerStatus', 'integer', { Current: 'replicas', Ready: 'readyReplicas' }),
    ],
    cells(rc) {
      const status: Obj = (rc.status as Obj) ?? {};
      return [(rc.spec as Obj)?.replicas ?? 0, status.replicas ?? 0, status.readyReplicas ?? 0];
    },
    template: (rc) => (rc.spec as Obj)?.template,
    // A ReplicationController's selector is a plain label map.
    selector: { model: 'V1ReplicationControllerSpec', cell: (rc) => formatLabels((rc.spec as Obj)?.selector) },
  }),
  selectableFields: (rc) => ({ 'status.replicas': String((rc.status as Obj)?.replicas ?? 0) }),
});
