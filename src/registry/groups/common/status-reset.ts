// Most workload strategies share the same create/update rules: a client may not set status on
// create (upstream zeroes it: `status: {}`), and an update of the main resource keeps the stored status.
import type { KObject } from '../../../apimachinery/types.ts';
import type { ResourceStrategy } from '../../types.ts';

export const resetStatusOnCreate: Pick<ResourceStrategy, 'prepareForCreate' | 'prepareForUpdate'> = {
  prepareForCreate(obj: KObject) {
    obj.status = {};
  },
  prepareForUpdate(obj: KObject, old: KObject) {
    if (old.status === undefined) delete obj.status;
    else obj.status = structuredClone(old.status);
  },
};

