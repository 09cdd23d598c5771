// scheduling.k8s.io/v1 PriorityClass (cluster-scoped): SetDefaults_PriorityClass,
// ValidatePriorityClass{,Update} and printPriorityClass.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { forbidden, notSupported } from '../../../apimachinery/validation.ts';
import type { ResourceDefinition } from '../../types.ts';
import { age, ageColumn, column, nameColumn } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

type Obj = Record<string, any>;

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;
const SYSTEM_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

function validatePriorityClass(obj: KObject): FieldError[] {
  const o = obj as Obj;
  const errs: FieldError[] = [];
  const name = obj.metadata.name ?? '';
  if (name in SYSTEM_CLASSES) {
    if (o.value !== SYSTEM_CLASSES[name]) {
      errs.push(forbidden('metadata.name', `${name} is a system priority class and its value cannot be changed`));
    }
  } else if (name.startsWith('system-')) {
    errs.push(forbidden('metadata.name', "priority class names with 'system-' prefix are reserved"));
  } else if (typeof o.value === 'number' && o.value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  if (o.preemptionPolicy != null && !PREEMPTION_POLICIES.includes(o.preemptionPolicy)) {
    errs.push(notSupported('preemptionPolicy', o.preemptionPolicy, PREEMPTION_POLICIES));
  }
  return errs;
}

function validatePriorityClassUpdate(obj: KObject, old: KObject): FieldError[] {
  const errs: FieldError[] = [];
  if ((obj as Obj).value !== (old as Obj).value) errs.push(forbidden('value', 'may not be changed in an update.'));
  if ((obj as Obj).preemptionPolicy !== (old as Obj).preemptionPolicy) {
    errs.push({ type: 'FieldValueInvalid', field: 'preemptionPolicy', badValue: (obj as Obj).preemptionPolicy, detail: 'field is immutable' });
  }
  return errs;
}

export const priorityclasses: ResourceDefinition = {
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  resource: 'priorityclasses',
  singularName: 'priorityclass',
  namespaced: false,
  shortNames: ['pc'],
  strategy: {
    defaults(obj) {
      obj.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
  table: {
    columns: [
      nameColumn,
      column('Value', 'integer', swaggerDoc('V1PriorityClass', 'value')),
      column('Global-Default', 'boolean', swaggerDoc('V1PriorityClass', 'globalDefault')),
      ageColumn,
      column('PreemptionPolicy', 'string', swaggerDoc('V1PriorityClass', 'preemptionPolicy')),
    ],
    cells(obj, now) {
      const o = obj as Obj;
      return [obj.metadata.name, typeof o.value === 'number' ? o.value : 0, o.globalDefault === true, age(obj, now), o.preemptionPolicy ?? ''];
    },
  },
  openapiModel: 'V1PriorityClass',
};
