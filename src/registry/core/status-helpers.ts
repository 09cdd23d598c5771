// The two halves of upstream's spec/status split: an update of the main resource keeps the stored
// status; an update of /status keeps the spec (generic/status-strategy.ts, re-exported here).
import { deepCopy, type KObject } from '../../apimachinery/types.ts';

export { keepAllButStatus, RESET_OBJECT_META_FOR_STATUS, statusStrategyOf } from '../generic/status-strategy.ts';

/** Main-resource update: the client may not change status. */
export function keepStatus(obj: KObject, old: KObject): void {
  if (old.status === undefined) delete obj.status;
  else obj.status = deepCopy(old.status);
}
