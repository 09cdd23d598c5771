// storage.k8s.io/v1 StorageClass (cluster-scoped): SetDefaults_StorageClass, ValidateStorageClass and
// printStorageClass with the "(default)" marker.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { forbidden, immutable, invalid, isQualifiedName, notSupported, required } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { defineTable, fieldColumns } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

type Obj = Record<string, any>;

export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
export const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

export function isDefaultStorageClass(obj: KObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

function validateStorageClass(obj: KObject): FieldError[] {
  const o = obj as Obj;
  const errs: FieldError[] = [];
  if (!o.provisioner) errs.push(required('provisioner'));
  else {
    if (String(o.provisioner).length > 63) errs.push({ type: 'FieldValueTooLong', field: 'provisioner', detail: 'may not be more than 63 bytes' });
    errs.push(...invalid('provisioner', o.provisioner, isQualifiedName(String(o.provisioner).toLowerCase())));
  }
  const params = (o.parameters ?? {}) as Record<string, string>;
  if (Object.keys(params).length > 512) errs.push({ type: 'FieldValueTooLong', field: 'parameters', detail: 'may not contain more than 512 parameters' });
  for (const k of Object.keys(params)) if (k.length === 0) errs.push(required('parameters', 'key must not be empty'));
  if (o.reclaimPolicy != null && !RECLAIM_POLICIES.includes(o.reclaimPolicy)) errs.push(notSupported('reclaimPolicy', o.reclaimPolicy, RECLAIM_POLICIES));
  if (o.volumeBindingMode == null) errs.push(required('volumeBindingMode'));
  else if (!BINDING_MODES.includes(o.volumeBindingMode)) errs.push(notSupported('volumeBindingMode', o.volumeBindingMode, BINDING_MODES));
  return errs;
}

/** ValidateStorageClassUpdate: the class is immutable apart from metadata and allowVolumeExpansion etc. */
function validateStorageClassUpdate(obj: KObject, old: KObject): FieldError[] {
  const a = obj as Obj;
  const b = old as Obj;
  const errs: FieldError[] = [];
  if (JSON.stringify(a.parameters ?? {}) !== JSON.stringify(b.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
  if (a.provisioner !== b.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
  if (a.reclaimPolicy !== b.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  errs.push(...immutable(a.volumeBindingMode, b.volumeBindingMode, 'volumeBindingMode'));
  return errs;
}

export const storageClassTable = defineTable({
  columns: fieldColumns('V1StorageClass', 'string', {
    Provisioner: 'provisioner', ReclaimPolicy: 'reclaimPolicy', VolumeBindingMode: 'volumeBindingMode', AllowVolumeExpansion: 'allowVolumeExpansion',
  }),
  cells(obj) {
    const o = obj as Obj;
    return [o.provisioner ?? '', o.reclaimPolicy ?? 'Delete', o.volumeBindingMode ?? 'Immediate', o.allowVolumeExpansion === true];
  },
  name: (obj) => (isDefaultStorageClass(obj) ? `${obj.metadata.name} (default)` : obj.metadata.name),
});

export const storageclasses = defineResource({
  apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', namespaced: false, shortNames: ['sc'],
  strategy: {
    defaults(obj) {
      obj.reclaimPolicy ??= 'Delete';
      obj.volumeBindingMode ??= 'Immediate';
    },
    validate: validateStorageClass,
    validateUpdate: validateStorageClassUpdate,
  },
  table: storageClassTable,
});
