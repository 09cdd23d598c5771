// persistentvolumeclaims: a request for storage; spec is immutable after create except the
// requested size (expansion) and the volumeName the binder sets once.
import type { FieldError } from '../../apimachinery/errors.ts';
import { deepCopy, type KObject } from '../../apimachinery/types.ts';
import { forbidden, invalid, isDNS1123Subdomain, notSupported, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { deepEqual } from './deep-equal.ts';
import { ACCESS_MODES } from './persistentvolume.ts';
import { isValidQuantity, parseQuantity } from './quantity.ts';
import { statusStrategyOf } from './status-helpers.ts';
import { column, defineTable, fieldColumns } from '../groups/common/printers.ts';
import { statusReset } from '../groups/common/status-reset.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { accessModesAsString, storageClassOf } from './table-helpers.ts';

type Obj = Record<string, any>;
const VOLUME_MODES = ['Block', 'Filesystem'];

function defaultPVC(pvc: KObject): void {
  if (typeof pvc.spec !== 'object' || pvc.spec === null) pvc.spec = {};
  (pvc.spec as Obj).volumeMode ??= 'Filesystem';
  if (pvc.status && typeof pvc.status === 'object' && !(pvc.status as Obj).phase) (pvc.status as Obj).phase = 'Pending';
}

function validatePVC(pvc: KObject): FieldError[] {
  const spec: Obj = (pvc.spec as Obj) ?? {};
  const errs: FieldError[] = [];
  const modes: unknown[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(required('spec.accessModes', 'at least 1 access mode is required'));
  for (const m of modes) if (!ACCESS_MODES.includes(m as string)) errs.push(notSupported('spec.accessModes', m, ACCESS_MODES));
  const storage = spec.resources?.requests?.storage;
  if (storage === undefined) errs.push(required('spec.resources[storage]'));
  else if (!isValidQuantity(storage)) errs.push(...invalid('spec.resources[storage]', storage, ['must be a valid quantity']));
  else if ((parseQuantity(storage) ?? 0) <= 0) errs.push(...invalid('spec.resources[storage]', storage, ['must be greater than zero']));
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  if (spec.storageClassName) errs.push(...invalid('spec.storageClassName', spec.storageClassName, isDNS1123Subdomain(spec.storageClassName)));
  return errs;
}

function validatePVCUpdate(pvc: KObject, old: KObject): FieldError[] {
  const spec: Obj = deepCopy((pvc.spec as Obj) ?? {});
  const oldSpec: Obj = deepCopy((old.spec as Obj) ?? {});
  const errs: FieldError[] = [];
  // The binder may set volumeName once; storage may grow on bound claims.
  if (!oldSpec.volumeName) oldSpec.volumeName = spec.volumeName;
  const newStorage = spec.resources?.requests?.storage;
  const oldStorage = oldSpec.resources?.requests?.storage;
  if (newStorage !== undefined && oldStorage !== undefined && newStorage !== oldStorage && (old.status as Obj)?.phase === 'Bound') {
    if ((parseQuantity(newStorage) ?? 0) < (parseQuantity(oldStorage) ?? 0)) {
      errs.push(forbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
    }
    spec.resources.requests.storage = oldStorage;
  }
  spec.volumeAttributesClassName = oldSpec.volumeAttributesClassName;
  if (!deepEqual(spec, oldSpec)) {
    errs.push(forbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  return errs;
}

export const persistentVolumeClaimResource = defineResource({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'],
  subresources: { status: true },
  strategy: {
    defaults: defaultPVC,
    ...statusReset({ phase: 'Pending' }),
    validate: validatePVC,
    validateUpdate: validatePVCUpdate,
    allowCreateOnUpdate: false,
  },
  statusStrategy: statusStrategyOf({ defaults: defaultPVC }),
  table: defineTable({
    columns: [
      column('Status', 'string', swaggerDoc('V1PersistentVolumeClaimStatus', 'phase')),
      column('Volume', 'string', swaggerDoc('V1PersistentVolumeClaimSpec', 'volumeName')),
      ...fieldColumns('V1PersistentVolumeClaimStatus', 'string', { Capacity: 'capacity', 'Access Modes': 'accessModes' }),
      column('StorageClass', 'string', 'StorageClass of the pvc'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ],
    afterAge: [column('VolumeMode', 'string', swaggerDoc('V1PersistentVolumeClaimSpec', 'volumeMode'), 1)],
    cells(pvc) {
      const spec: Obj = (pvc.spec as Obj) ?? {};
      const status: Obj = (pvc.status as Obj) ?? {};
      const phase = pvc.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? '');
      // Capacity and access modes are the bound volume's, so empty until the claim is bound.
      const capacity = spec.volumeName ? String(status.capacity?.storage ?? '0') : '';
      const accessModes = spec.volumeName ? accessModesAsString(status.accessModes) : '';
      return [
        phase, spec.volumeName ?? '', capacity, accessModes, storageClassOf(pvc),
        spec.volumeAttributesClassName ?? '<unset>', spec.volumeMode ?? '<unset>',
      ];
    },
  }),
});
