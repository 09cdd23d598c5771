// What the local-path provisioner creates: the default StorageClass "standard" and, per claim, a
// hostPath PersistentVolume "pvc-<claim uid>" at <root>/pvc-<uid>_<namespace>_<name>, pre-bound to
// the claim (claimRef) with the claim's size and access modes.
import type { KObject } from '../../apimachinery/types.ts';

export const PROVISIONER = 'k8ts.io/local-path';
export const IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_IS_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';
export const DEFAULT_CLASS_NAME = 'standard';
export const PROVISIONED_BY_ANNOTATION = 'pv.kubernetes.io/provisioned-by';
/** Upstream's pvc-protection finalizer: a claim in use by a pod is not removed (nor its volume deleted). */
export const PVC_PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';
export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
/** Set on claims by upstream's PV controller when it binds them. */
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
export const BOUND_BY_CONTROLLER_ANNOTATION = 'pv.kubernetes.io/bound-by-controller';
export const STORAGE_PROVISIONER_ANNOTATION = 'volume.kubernetes.io/storage-provisioner';
export const BETA_STORAGE_PROVISIONER_ANNOTATION = 'volume.beta.kubernetes.io/storage-provisioner';

type Obj = Record<string, any>;

/** storageutil.IsDefaultAnnotation: either annotation set to "true". */
export function isDefaultStorageClass(sc: KObject): boolean {
  const a = sc.metadata.annotations ?? {};
  return a[IS_DEFAULT_CLASS_ANNOTATION] === 'true' || a[BETA_IS_DEFAULT_CLASS_ANNOTATION] === 'true';
}

export function defaultStorageClass(markDefault: boolean): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass',
    metadata: { name: DEFAULT_CLASS_NAME, ...(markDefault ? { annotations: { [IS_DEFAULT_CLASS_ANNOTATION]: 'true' } } : {}) },
    provisioner: PROVISIONER, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate',
  };
}

export function volumeNameFor(claim: KObject): string {
  return `pvc-${claim.metadata.uid}`;
}

export function volumePathFor(root: string, claim: KObject): string {
  return `${root.replace(/\/+$/, '')}/pvc-${claim.metadata.uid}_${claim.metadata.namespace}_${claim.metadata.name}`;
}

export function buildVolume(claim: KObject, storageClass: KObject, root: string): KObject {
  const spec = (claim.spec ?? {}) as Obj;
  const sc = storageClass as Obj;
  return {
    apiVersion: 'v1', kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(claim), annotations: { [PROVISIONED_BY_ANNOTATION]: PROVISIONER } },
    spec: {
      capacity: { storage: spec.resources?.requests?.storage },
      accessModes: spec.accessModes,
      persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
      storageClassName: storageClass.metadata.name,
      volumeMode: spec.volumeMode ?? 'Filesystem',
      ...(Array.isArray(sc.mountOptions) ? { mountOptions: sc.mountOptions } : {}),
      hostPath: { path: volumePathFor(root, claim), type: 'DirectoryOrCreate' },
      claimRef: {
        apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: claim.metadata.namespace, name: claim.metadata.name,
        uid: claim.metadata.uid, resourceVersion: claim.metadata.resourceVersion,
      },
    },
  };
}
