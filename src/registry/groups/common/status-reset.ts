// Most strategies share the same create/update rules: a client may not set status on create
// (upstream zeroes it, and Go then serialises the fields without omitempty as 0), and an update of
// the main resource keeps the stored status.
import type { KObject } from '../../../apimachinery/types.ts';
import type { ResourceStrategy } from '../../types.ts';
import { keepStatus } from '../../core/status-helpers.ts';

/** `initial` is the zero status as upstream serialises it, e.g. { replicas: 0 } for ReplicaSets. */
export function statusReset(initial: Record<string, unknown> = {}): Required<Pick<ResourceStrategy, 'prepareForCreate' | 'prepareForUpdate'>> {
  return {
    prepareForCreate(obj: KObject) {
      obj.status = structuredClone(initial);
    },
    prepareForUpdate(obj: KObject, old: KObject) {
      keepStatus(obj, old);
    },
  };
}

export const resetStatusOnCreate = statusReset();
