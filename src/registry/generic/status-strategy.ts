// The /status strategies. Upstream's status strategies all copy spec (everything but status) from the
// stored object; which metadata they also keep as stored differs per kind, so it is data here:
// - most (Service, Ingress, Job, CronJob, ReplicaSet, StatefulSet, DaemonSet, Node, PV, PVC, HPA, PDB,
//   ResourceQuota, ReplicationController, Namespace) keep none: labels and annotations sent to /status
//   are saved (e.g. serviceStatusStrategy.PrepareForUpdate only sets Spec = old.Spec);
// - Deployment keeps labels (deploymentStatusStrategy); Pod keeps ownerReferences (podStatusStrategy);
// - newer kinds call metav1.ResetObjectMetaForStatus (VolumeAttachment, custom resources).
// deletionTimestamp, deletionGracePeriodSeconds and generation are never client-set on update: the
// generic store carries them over for every write (rest.BeforeUpdate).
import { deepCopy, type KObject } from '../../apimachinery/types.ts';
import type { ResourceStrategy } from '../types.ts';

export type StatusKeptMeta = ReadonlyArray<'labels' | 'annotations' | 'finalizers' | 'ownerReferences'>;

/** metav1.ResetObjectMetaForStatus: the metadata a status write may not change on the kinds that use it. */
export const RESET_OBJECT_META_FOR_STATUS: StatusKeptMeta = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

const OWN_FIELDS = new Set(['status', 'metadata', 'apiVersion', 'kind']);

/** /status update: take status and metadata from the client; spec and `keptMeta` stay as stored. */
export function keepAllButStatus(obj: KObject, old: KObject, keptMeta: StatusKeptMeta = []): void {
  for (const k of Object.keys(obj)) if (!OWN_FIELDS.has(k)) delete obj[k];
  for (const [k, v] of Object.entries(old)) if (!OWN_FIELDS.has(k)) obj[k] = deepCopy(v);
  for (const k of keptMeta) {
    if (old.metadata[k] === undefined) delete obj.metadata[k];
    else (obj.metadata as Record<string, unknown>)[k] = deepCopy(old.metadata[k]);
  }
}

/** A /status strategy keeping spec and `keptMeta` as stored; `extra` adds defaults or validation. */
export function statusStrategyOf(extra: Partial<ResourceStrategy> = {}, keptMeta: StatusKeptMeta = []): ResourceStrategy {
  return {
    prepareForUpdate(obj, old) { keepAllButStatus(obj, old, keptMeta); },
    specChanged: () => false,
    ...extra,
  };
}

/** The default: upstream's most common status strategy (spec kept, metadata from the client). */
export const statusStrategy: ResourceStrategy = statusStrategyOf();
