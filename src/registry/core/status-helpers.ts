// The two halves of upstream's spec/status split: an update of the main resource keeps the stored
// status, an update of /status keeps everything but the status (metav1.ResetObjectMetaForStatus).
import { deepCopy, type KObject } from '../../apimachinery/types.ts';
import type { ResourceStrategy } from '../types.ts';

/** Main-resource update: the client may not change status. */
export function keepStatus(obj: KObject, old: KObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = deepCopy(old.status);
}

const STATUS_RESET_META = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const;

/** /status update: take only status from the client; spec and most metadata stay as stored. */
export function keepAllButStatus(obj: KObject, old: KObject): void {
  for (const k of Object.keys(obj)) {
    if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') delete obj[k];
  }
  for (const [k, v] of Object.entries(old)) {
    if (k !== 'status' && k !== 'metadata' && k !== 'apiVersion' && k !== 'kind') obj[k] = deepCopy(v);
  }
  for (const k of STATUS_RESET_META) {
    if (old.metadata[k] === undefined) delete obj.metadata[k];
    else (obj.metadata as Record<string, unknown>)[k] = deepCopy(old.metadata[k]);
  }
}

/** A /status strategy that only carries the stored spec over; extra validation optional. */
export function statusStrategyOf(extra: Partial<ResourceStrategy> = {}): ResourceStrategy {
  return {
    prepareForUpdate(obj, old) { keepAllButStatus(obj, old); },
    specChanged: () => false,
    ...extra,
  };
}
