// configmaps: non-secret configuration. Upstream pkg/registry/core/configmap.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { base64MapChecks, decodedLength, MAX_DATA_BYTES, validateDataKeys } from './data-validation.ts';
import { deepEqual } from './deep-equal.ts';
import { column, defineTable } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

type Obj = Record<string, any>;

function validateConfigMap(cm: KObject): FieldError[] {
  const data: Obj = (cm.data as Obj) ?? {};
  const binary: Obj = (cm.binaryData as Obj) ?? {};
  const errs = [...validateDataKeys(data, 'data'), ...validateDataKeys(binary, 'binaryData')];
  for (const key of Object.keys(binary)) {
    if (key in data) errs.push({ type: 'FieldValueInvalid', field: `data[${key}]`, badValue: key, detail: 'duplicate of key present in binaryData' });
  }
  let total = 0;
  for (const v of Object.values(data)) total += typeof v === 'string' ? Buffer.byteLength(v) : 0;
  for (const v of Object.values(binary)) total += typeof v === 'string' ? decodedLength(v) : 0;
  if (total > MAX_DATA_BYTES) errs.push({ type: 'FieldValueTooLong', field: '[]', detail: `must have at most ${MAX_DATA_BYTES} bytes` });
  return errs;
}

/** ValidateConfigMapUpdate: an immutable ConfigMap keeps its data and its immutable flag. */
function validateConfigMapUpdate(cm: KObject, old: KObject): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (cm.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  if (!deepEqual(cm.data, old.data)) errs.push(forbidden('data', 'field is immutable when `immutable` is set'));
  if (!deepEqual(cm.binaryData, old.binaryData)) errs.push(forbidden('binaryData', 'field is immutable when `immutable` is set'));
  return errs;
}

export const configMapResource = defineResource({
  apiVersion: 'v1', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'],
  strategy: {
    ...base64MapChecks('binaryData', 'ConfigMap'),
    validate: validateConfigMap,
    validateUpdate: validateConfigMapUpdate,
    allowCreateOnUpdate: false,
  },
  table: defineTable({
    columns: [column('Data', 'string', swaggerDoc('V1ConfigMap', 'data'))],
    cells: (cm) => [Object.keys((cm.data as Obj) ?? {}).length + Object.keys((cm.binaryData as Obj) ?? {}).length],
  }),
});
