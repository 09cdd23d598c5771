// scheduling.k8s.io/v1 PriorityClass (cluster-scoped): SetDefaults_PriorityClass,
// ValidatePriorityClass{,Update} and printPriorityClass.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { forbidden, immutable, notSupported } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable } from '../common/printers.ts';
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
  errs.push(...immutable((obj as Obj).preemptionPolicy, (old as Obj).preemptionPolicy, 'preemptionPolicy'));
  return errs;
}

export const priorityclasses = defineResource({
  apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'],
  strategy: {
    defaults(obj) {
      obj.preemptionPolicy ??= 'PreemptLowerPriority';
    },
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
  table: defineTable({
    columns: [
      column('Value', 'integer', swaggerDoc('V1PriorityClass', 'value')),
      column('Global-Default', 'boolean', swaggerDoc('V1PriorityClass', 'globalDefault')),
    ],
    afterAge: [column('PreemptionPolicy', 'string', swaggerDoc('V1PriorityClass', 'preemptionPolicy'))],
    cells(obj) {
      const o = obj as Obj;
      return [typeof o.value === 'number' ? o.value : 0, o.globalDefault === true, o.preemptionPolicy ?? ''];
    },
  }),
});
