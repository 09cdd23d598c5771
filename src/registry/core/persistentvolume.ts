// persistentvolumes: cluster-scoped storage, bound to claims by the PV controller.
import type { FieldError } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { forbidden, immutable, notSupported, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import type { RequestContext } from '../types.ts';
import { isValidQuantity } from './quantity.ts';
import { keepAllButStatus, keepStatus } from './status-helpers.ts';
import { column, defineTable, fieldColumns } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { accessModesAsString, storageClassOf } from './table-helpers.ts';

type Obj = Record<string, any>;

export const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const PV_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc',
  'flocker', 'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'local', 'storageos', 'csi',
];

const timestamp = (ctx: RequestContext) => ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z');

function defaultPV(pv: KObject): void {
  if (typeof pv.spec !== 'object' || pv.spec === null) pv.spec = {};
  const spec = pv.spec as Obj;
  spec.persistentVolumeReclaimPolicy ||= 'Retain';
  spec.volumeMode ??= 'Filesystem';
  if (spec.hostPath && typeof spec.hostPath === 'object') spec.hostPath.type ??= '';
  if (pv.status && typeof pv.status === 'object' && !(pv.status as Obj).phase) (pv.status as Obj).phase = 'Pending';
}

function validatePV(pv: KObject): FieldError[] {
  const spec: Obj = (pv.spec as Obj) ?? {};
  const errs: FieldError[] = [];
  const modes: unknown[] = Array.isArray(spec.accessModes) ? spec.accessModes : [];
  if (modes.length === 0) errs.push(required('spec.accessModes'));
  for (const m of modes) if (!ACCESS_MODES.includes(m as string)) errs.push(notSupported('spec.accessModes', m, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errs.push(forbidden('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const capacity: Obj = spec.capacity ?? {};
  if (Object.keys(capacity).length === 0) errs.push(required('spec.capacity'));
  else if (capacity.storage === undefined) errs.push(notSupported('spec.capacity', Object.keys(capacity)[0], ['storage']));
  else if (!isValidQuantity(capacity.storage)) {
    errs.push({ type: 'FieldValueInvalid', field: 'spec.capacity[storage]', badValue: capacity.storage, detail: 'must be a valid quantity' });
  }
  if (spec.persistentVolumeReclaimPolicy && !RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    errs.push(notSupported('spec.persistentVolumeReclaimPolicy', spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
  }
  if (spec.volumeMode && !VOLUME_MODES.includes(spec.volumeMode)) errs.push(notSupported('spec.volumeMode', spec.volumeMode, VOLUME_MODES));
  const sources = PV_SOURCES.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errs.push(required('spec', 'must specify a volume type'));
  for (const k of sources.slice(1)) errs.push(forbidden(`spec.${k}`, 'may not specify more than 1 volume type'));
  if (spec.hostPath && !spec.hostPath.path) errs.push(required('spec.hostPath.path'));
  if (spec.local && !spec.local.path) errs.push(required('spec.local.path'));
  if (spec.local && !spec.nodeAffinity) errs.push(required('spec.nodeAffinity', 'Local volume requires node affinity'));
  return errs;
}

function validatePVUpdate(pv: KObject, old: KObject): FieldError[] {
  const spec: Obj = (pv.spec as Obj) ?? {};
  const oldSpec: Obj = (old.spec as Obj) ?? {};
  const errs = immutable(spec.volumeMode, oldSpec.volumeMode, 'spec.volumeMode');
  for (const k of PV_SOURCES) {
    if (oldSpec[k] !== undefined && JSON.stringify(spec[k]) !== JSON.stringify(oldSpec[k])) {
      errs.push(forbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation'));
      break;
    }
  }
  return errs;
}

export const persistentVolumeResource = defineResource({
  apiVersion: 'v1', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'],
  subresources: { status: true },
  strategy: {
    defaults: defaultPV,
    prepareForCreate(pv, ctx) { pv.status = { phase: 'Pending', lastPhaseTransitionTime: timestamp(ctx) }; },
    prepareForUpdate(pv, old) { keepStatus(pv, old); },
    validate: validatePV,
    validateUpdate: validatePVUpdate,
    allowCreateOnUpdate: false,
  },
  statusStrategy: {
    defaults: defaultPV,
    prepareForUpdate(pv, old, ctx) {
      keepAllButStatus(pv, old);
      const phase = (pv.status as Obj)?.phase;
      if (phase !== (old.status as Obj)?.phase && pv.status && typeof pv.status === 'object') {
        (pv.status as Obj).lastPhaseTransitionTime = timestamp(ctx);
      }
    },
    specChanged: () => false,
  },
  table: defineTable({
    columns: [
      ...fieldColumns('V1PersistentVolumeSpec', 'string', { Capacity: 'capacity', 'Access Modes': 'accessModes', 'Reclaim Policy': 'persistentVolumeReclaimPolicy' }),
      column('Status', 'string', swaggerDoc('V1PersistentVolumeStatus', 'phase')),
      column('Claim', 'string', swaggerDoc('V1PersistentVolumeSpec', 'claimRef')),
      column('StorageClass', 'string', 'StorageClass of the pv'),
      column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
      column('Reason', 'string', swaggerDoc('V1PersistentVolumeStatus', 'reason')),
    ],
    afterAge: [column('VolumeMode', 'string', swaggerDoc('V1PersistentVolumeSpec', 'volumeMode'), 1)],
    cells(pv) {
      const spec: Obj = (pv.spec as Obj) ?? {};
      const status: Obj = (pv.status as Obj) ?? {};
      const claim = spec.claimRef ? `${spec.claimRef.namespace ?? ''}/${spec.claimRef.name ?? ''}` : '';
      const phase = pv.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? '');
      return [
        String(spec.capacity?.storage ?? '0'), accessModesAsString(spec.accessModes), spec.persistentVolumeReclaimPolicy ?? '',
        phase, claim, storageClassOf(pv), spec.volumeAttributesClassName ?? '<unset>', status.reason ?? '', spec.volumeMode ?? '<unset>',
      ];
    },
  }),
});
