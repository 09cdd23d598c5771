// Cache keys as client-go's: "namespace/name" for namespaced objects, "name" otherwise; and the
// tombstone a delete handler gets when the informer learned of a deletion only by re-listing.
import type { KObject } from '../../apimachinery/types.ts';

export function metaNamespaceKeyFunc(obj: KObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${namespace}/${name}` : (name ?? '');
}

/**
 * Handed to delete handlers instead of the object when the watch missed the deletion and a re-list
 * found the object gone: `obj` is the last state the cache had, which may be stale.
 */
export class DeletedFinalStateUnknown<T extends KObject = KObject> {
  constructor(readonly key: string, readonly obj: T) {}
}

/** Like metaNamespaceKeyFunc, and takes tombstones too (use it in delete handlers). */
export function deletionHandlingMetaNamespaceKeyFunc(obj: KObject | DeletedFinalStateUnknown): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKeyFunc(obj);
}

/** The object inside a tombstone, or the object itself. */
export function objectOf<T extends KObject>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0]! };
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  throw new Error(`unexpected key format: "${key}"`);
}
