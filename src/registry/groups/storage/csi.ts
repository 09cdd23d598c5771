// storage.k8s.io/v1 CSIDriver, CSINode and VolumeAttachment (all cluster-scoped).
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { KObject } from '../../../apimachinery/types.ts';
import { immutable, invalid, isDNS1123Subdomain, notSupported, required } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable, fieldColumns, spec, status } from '../common/printers.ts';
import { statusReset } from '../common/status-reset.ts';
import { RESET_OBJECT_META_FOR_STATUS, statusStrategyOf } from '../../generic/status-strategy.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';

type Obj = Record<string, any>;

const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'];
const LIFECYCLE_MODES = ['Ephemeral', 'Persistent'];

/** SetDefaults_CSIDriver (SELinuxMountReadWriteOncePod is on by default). */
export function defaultCSIDriver(obj: KObject): void {
  const s = (obj.spec ??= {}) as Obj;
  s.attachRequired ??= true;
  s.podInfoOnMount ??= false;
  s.storageCapacity ??= false;
  s.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  if (!Array.isArray(s.volumeLifecycleModes) || s.volumeLifecycleModes.length === 0) s.volumeLifecycleModes = ['Persistent'];
  s.requiresRepublish ??= false;
  s.seLinuxMount ??= false;
}

function validateCSIDriver(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  for (const f of ['attachRequired', 'podInfoOnMount', 'storageCapacity', 'requiresRepublish']) {
    if (s[f] == null) errs.push(required(`spec.${f}`));
  }
  if (!FS_GROUP_POLICIES.includes(s.fsGroupPolicy)) errs.push(notSupported('spec.fsGroupPolicy', s.fsGroupPolicy ?? '', FS_GROUP_POLICIES));
  ((s.volumeLifecycleModes ?? []) as string[]).forEach((m, i) => {
    if (!LIFECYCLE_MODES.includes(m)) errs.push(notSupported(`spec.volumeLifecycleModes[${i}]`, m, LIFECYCLE_MODES));
  });
  return errs;
}

/** The fields of a CSIDriver that may not change after create. */
const CSI_DRIVER_IMMUTABLE = ['attachRequired', 'volumeLifecycleModes', 'fsGroupPolicy'];

export const csidrivers = defineResource({
  apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', namespaced: false,
  strategy: {
    defaults: defaultCSIDriver,
    validate: validateCSIDriver,
    validateUpdate: (obj, old) => CSI_DRIVER_IMMUTABLE.flatMap((f) => immutable(spec(obj)[f], spec(old)[f], `spec.${f}`)),
  },
  table: defineTable({
    columns: [
      ...fieldColumns('V1CSIDriverSpec', 'boolean', { AttachRequired: 'attachRequired', PodInfoOnMount: 'podInfoOnMount', StorageCapacity: 'storageCapacity' }),
      column('TokenRequests', 'string', swaggerDoc('V1CSIDriverSpec', 'tokenRequests')),
      column('RequiresRepublish', 'boolean', swaggerDoc('V1CSIDriverSpec', 'requiresRepublish')),
      column('Modes', 'string', swaggerDoc('V1CSIDriverSpec', 'volumeLifecycleModes')),
    ],
    cells(obj) {
      const s = spec(obj);
      const modes = ((s.volumeLifecycleModes ?? []) as string[]).join(',') || '<none>';
      const tokens = Array.isArray(s.tokenRequests) ? (s.tokenRequests as Obj[]).map((t) => t?.audience ?? '').join(',') : '<unset>';
      return [s.attachRequired ?? true, s.podInfoOnMount ?? false, s.storageCapacity ?? false, tokens, s.requiresRepublish ?? false, modes];
    },
  }),
});

export const csinodes = defineResource({
  apiVersion: 'storage.k8s.io/v1', kind: 'CSINode', namespaced: false,
  strategy: {
    validate(obj) {
      const errs: FieldError[] = [];
      const drivers = (spec(obj).drivers ?? []) as Obj[];
      const seen = new Set<string>();
      drivers.forEach((d, i) => {
        if (!d?.name) errs.push(required(`spec.drivers[${i}].name`));
        else if (seen.has(d.name)) errs.push({ type: 'FieldValueDuplicate', field: `spec.drivers[${i}].name`, badValue: d.name });
        else seen.add(d.name);
        if (!d?.nodeID) errs.push(required(`spec.drivers[${i}].nodeID`));
      });
      return errs;
    },
  },
  table: defineTable({
    columns: [column('Drivers', 'integer', 'Drivers indicates the number of CSI drivers registered on the node')],
    cells: (obj) => [((spec(obj).drivers ?? []) as unknown[]).length],
  }),
});

function validateVolumeAttachment(obj: KObject): FieldError[] {
  const s = spec(obj);
  const errs: FieldError[] = [];
  if (!s.attacher) errs.push(required('spec.attacher'));
  const src = (s.source ?? {}) as Obj;
  const n = (src.persistentVolumeName != null ? 1 : 0) + (src.inlineVolumeSpec != null ? 1 : 0);
  if (n === 0) errs.push(required('spec.source', 'must specify exactly one of inlineVolumeSpec and persistentVolumeName'));
  else if (n > 1) errs.push({ type: 'FieldValueForbidden', field: 'spec.source', detail: 'must specify exactly one of inlineVolumeSpec and persistentVolumeName' });
  if (!s.nodeName) errs.push(required('spec.nodeName'));
  else errs.push(...invalid('spec.nodeName', s.nodeName, isDNS1123Subdomain(s.nodeName)));
  return errs;
}

export const volumeattachments = defineResource({
  apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', namespaced: false,
  subresources: { status: true },
  strategy: {
    ...statusReset({ attached: false }),
    validate: validateVolumeAttachment,
    validateUpdate: (obj, old) => immutable(obj.spec, old.spec, 'spec'),
  },
  // volumeAttachmentStatusStrategy calls metav1.ResetObjectMetaForStatus.
  statusStrategy: statusStrategyOf({}, RESET_OBJECT_META_FOR_STATUS),
  table: defineTable({
    columns: [
      { ...column('Attacher', 'string', swaggerDoc('V1VolumeAttachmentSpec', 'attacher')), format: 'name' },
      column('PV', 'string', swaggerDoc('V1VolumeAttachmentSource', 'persistentVolumeName')),
      column('Node', 'string', swaggerDoc('V1VolumeAttachmentSpec', 'nodeName')),
      column('Attached', 'boolean', swaggerDoc('V1VolumeAttachmentStatus', 'attached')),
    ],
    cells(obj) {
      const s = spec(obj);
      return [s.attacher ?? '', s.source?.persistentVolumeName ?? '', s.nodeName ?? '', status(obj).attached === true];
    },
  }),
});
