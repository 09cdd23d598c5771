// The identity rules of a StatefulSet's members (stateful_set_utils.go): pod names set-<ordinal>,
// the labels and hostname/subdomain that make up a pod's identity, PVC names claim-set-<ordinal>,
// revisions stored as a patch that replaces spec.template, and the pod predicates the control loop
// branches on.
import type { GroupVersionKind, KObject, OwnerReference } from '../../apimachinery/types.ts';
import { deepCopy } from '../../apimachinery/types.ts';
import { newControllerRef } from '../framework/controller-ref.ts';
import { newControllerRevision, type ControllerRevision } from '../history/controller-history.ts';
import { isPodAvailable, isPodReady, isTerminating, type Pod } from './pod-state.ts';

type Obj = Record<string, any>;

export const CONTROLLER_KIND: GroupVersionKind = { group: 'apps', version: 'v1', kind: 'StatefulSet' };
export const STATEFUL_SET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
export const STATEFUL_SET_REVISION_LABEL = 'controller-revision-hash';

export interface StatefulSetStatus {
  observedGeneration?: number;
  replicas: number;
  readyReplicas?: number;
  currentReplicas?: number;
  updatedReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  collisionCount?: number;
  availableReplicas: number;
  conditions?: unknown[];
}

export interface StatefulSet extends KObject {
  spec: Obj & {
    replicas?: number;
    selector?: Obj;
    template: Obj;
    serviceName?: string;
    podManagementPolicy?: string;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number; maxUnavailable?: number | string } };
    volumeClaimTemplates?: Obj[];
    revisionHistoryLimit?: number;
    minReadySeconds?: number;
    ordinals?: { start?: number };
    persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
  };
  status?: StatefulSetStatus;
}

const STATEFUL_POD_NAME = /^(.*)-([0-9]+)$/;

/** The parent set's name and the ordinal from a pod's name; ordinal -1 when it has none. */
export function getParentNameAndOrdinal(pod: KObject): { parent: string; ordinal: number } {
  const m = STATEFUL_POD_NAME.exec(pod.metadata.name ?? '');
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return { parent: m[1]!, ordinal: ordinal <= 0x7fffffff ? ordinal : -1 };
}

export const getOrdinal = (pod: KObject) => getParentNameAndOrdinal(pod).ordinal;
export const getPodName = (set: StatefulSet, ordinal: number) => `${set.metadata.name}-${ordinal}`;
export const getStartOrdinal = (set: StatefulSet) => set.spec.ordinals?.start ?? 0;
export const getEndOrdinal = (set: StatefulSet) => getStartOrdinal(set) + (set.spec.replicas ?? 1) - 1;

export function podInOrdinalRange(pod: KObject, set: StatefulSet): boolean {
  const o = getOrdinal(pod);
  return o >= getStartOrdinal(set) && o <= getEndOrdinal(set);
}

export function isMemberOf(set: StatefulSet, pod: KObject): boolean {
  return getParentNameAndOrdinal(pod).parent === set.metadata.name;
}

export function getPersistentVolumeClaimName(set: StatefulSet, claimName: string, ordinal: number): string {
  return `${claimName}-${set.metadata.name}-${ordinal}`;
}

/** Each claim template as the PVC for pod's ordinal, keyed by template name; labels gain the set's matchLabels. */
export function getPersistentVolumeClaims(set: StatefulSet, pod: KObject): Map<string, KObject> {
  const ordinal = getOrdinal(pod);
  const claims = new Map<string, KObject>();
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const meta = deepCopy((t.metadata ?? {}) as Obj);
    const claim: KObject = {
      apiVersion: 'v1', kind: 'PersistentVolumeClaim',
      metadata: {
        ...meta,
        name: getPersistentVolumeClaimName(set, meta.name, ordinal),
        namespace: set.metadata.namespace,
        labels: { ...(meta.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) },
      },
      spec: deepCopy(t.spec ?? {}),
    };
    claims.set(meta.name, claim);
  }
  return claims;
}

/** The owner a claim gets under persistentVolumeClaimRetentionPolicy.whenDeleted=Delete (not a controller reference). */
export function claimOwnerRefForSet(set: StatefulSet): OwnerReference | undefined {
  if (set.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted !== 'Delete') return undefined;
  return { apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name!, uid: set.metadata.uid! };
}

export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map<string, Obj>(((pod.spec?.volumes ?? []) as Obj[]).map((v) => [v.name, v]));
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const v = volumes.get(t.metadata?.name);
    if (v?.persistentVolumeClaim?.claimName !== getPersistentVolumeClaimName(set, t.metadata?.name, ordinal)) return false;
  }
  return true;
}

/** Pod volumes for every claim template first (replacing same-named ones), then the pod's others. */
export function updateStorage(set: StatefulSet, pod: Pod): void {
  const claims = getPersistentVolumeClaims(set, pod);
  const current = (pod.spec!.volumes ?? []) as Obj[];
  const volumes: Obj[] = [...claims].map(([name, claim]) => ({ name, persistentVolumeClaim: { claimName: claim.metadata.name } }));
  for (const v of current) if (!claims.has(v.name)) volumes.push(v);
  if (volumes.length > 0) pod.spec!.volumes = volumes;
}

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const { parent, ordinal } = getParentNameAndOrdinal(pod);
  return ordinal >= 0 && parent === set.metadata.name && pod.metadata.name === getPodName(set, ordinal)
    && pod.metadata.namespace === set.metadata.namespace
    && pod.metadata.labels?.[STATEFUL_SET_POD_NAME_LABEL] === pod.metadata.name
    && pod.metadata.labels?.[POD_INDEX_LABEL] === String(ordinal);
}

/** The name, namespace and identity labels of a member (updateIdentity). */
export function updateIdentity(set: StatefulSet, pod: Pod): void {
  const ordinal = getOrdinal(pod);
  pod.metadata.name = getPodName(set, ordinal);
  pod.metadata.namespace = set.metadata.namespace;
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFUL_SET_POD_NAME_LABEL]: pod.metadata.name, [POD_INDEX_LABEL]: String(ordinal) };
}

/** A new member's full identity: labels plus hostname and subdomain (the governing service). */
function initIdentity(set: StatefulSet, pod: Pod): void {
  updateIdentity(set, pod);
  pod.spec!.hostname = pod.metadata.name;
  if (set.spec.serviceName) pod.spec!.subdomain = set.spec.serviceName;
}

/** GetPodFromTemplate + identity + storage: the pod for ordinal as set describes it. */
export function newStatefulSetPod(set: StatefulSet, ordinal: number): Pod {
  const tmeta = (set.spec.template?.metadata ?? {}) as Obj;
  const pod: Pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: getPodName(set, ordinal),
      generateName: `${set.metadata.name}-`,
      namespace: set.metadata.namespace,
      labels: { ...(tmeta.labels ?? {}) },
      ...(tmeta.annotations ? { annotations: { ...tmeta.annotations } } : {}),
      ...(tmeta.finalizers ? { finalizers: [...tmeta.finalizers] } : {}),
      ownerReferences: [newControllerRef(set, CONTROLLER_KIND)],
    },
    spec: deepCopy(set.spec.template?.spec ?? {}),
  };
  initIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

export function getPodRevision(pod: KObject): string {
  return pod.metadata.labels?.[STATEFUL_SET_REVISION_LABEL] ?? '';
}

function setPodRevision(pod: Pod, revision: string): void {
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), [STATEFUL_SET_REVISION_LABEL]: revision };
}

/**
 * The pod for ordinal at the revision it should have: ordinals below the partition keep the
 * current revision, the rest get the update revision. (Upstream's condition groups as written.)
 */
export function newVersionedStatefulSetPod(currentSet: StatefulSet, updateSet: StatefulSet, currentRevision: string, updateRevision: string, ordinal: number): Pod {
  const us = currentSet.spec.updateStrategy ?? {};
  const start = getStartOrdinal(currentSet);
  const keepCurrent = (us.type === 'RollingUpdate' && !us.rollingUpdate && ordinal < start + (currentSet.status?.currentReplicas ?? 0))
    || (us.rollingUpdate !== undefined && us.rollingUpdate !== null && ordinal < start + (us.rollingUpdate.partition ?? 0));
  const pod = newStatefulSetPod(keepCurrent ? currentSet : updateSet, ordinal);
  setPodRevision(pod, keepCurrent ? currentRevision : updateRevision);
  return pod;
}

/** The revision data: a strategic-merge patch that puts back exactly this pod template. */
export function getPatch(set: StatefulSet): Obj {
  return { spec: { template: { ...deepCopy(set.spec.template), $patch: 'replace' } } };
}

export function newRevision(set: StatefulSet, revision: number, collisionCount: number): ControllerRevision {
  return newControllerRevision(set, CONTROLLER_KIND, set.spec.template?.metadata?.labels, getPatch(set), revision, collisionCount);
}

/** The set as it was at revision: its template replaced by the stored one. */
export function applyRevision(set: StatefulSet, revision: ControllerRevision): StatefulSet {
  const clone = deepCopy(set);
  const template = deepCopy(((revision.data as Obj | undefined)?.spec?.template ?? {}) as Obj);
  delete template.$patch;
  clone.spec.template = template;
  return clone;
}

export const isCreated = (pod: Pod) => !!pod.status?.phase;
export const isPending = (pod: Pod) => pod.status?.phase === 'Pending';
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: Pod) => pod.status?.phase === 'Succeeded';
export const isRunningAndReady = (pod: Pod) => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number) =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
export const isHealthy = (pod: Pod) => isRunningAndReady(pod) && !isTerminating(pod);
export const isUnavailable = (pod: Pod, minReadySeconds: number, nowMs: number) =>
  !isPodAvailable(pod, minReadySeconds, nowMs) || isTerminating(pod);
export const allowsBurst = (set: StatefulSet) => set.spec.podManagementPolicy === 'Parallel';

/** A rolling update is complete when every replica is updated and ready: the update revision becomes current. */
export function completeRollingUpdate(set: StatefulSet, status: StatefulSetStatus): void {
  if (set.spec.updateStrategy?.type === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

export function inconsistentStatus(set: StatefulSet, status: StatefulSetStatus): boolean {
  const s = set.status;
  return s?.observedGeneration === undefined || (status.observedGeneration ?? 0) > s.observedGeneration
    || status.replicas !== (s.replicas ?? 0) || (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0)
    || (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) || (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0)
    || status.currentRevision !== s.currentRevision || status.updateRevision !== s.updateRevision
    || status.availableReplicas !== (s.availableReplicas ?? 0) || (status.collisionCount ?? 0) !== (s.collisionCount ?? 0);
}
