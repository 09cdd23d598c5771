// Writes of metadata the garbage collector makes (removing a finalizer, dropping or unblocking owner
// references): read the latest object, compute the new list, and send it as a JSON merge patch that
// carries the resourceVersion read, so a concurrent change is a Conflict and the key is retried —
// the same for built-in and custom resources (no strategic merge needed).
import type { KObject, ObjectMeta } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { ResourceClient } from '../../client/resource-client.ts';

/**
 * Applies change to the latest copy of the object with this uid; change returns the metadata
 * fields to replace, or undefined when nothing needs writing. Resolves false when the object is gone.
 */
export async function patchLatestMetadata(
  client: ResourceClient, name: string, uid: string,
  change: (latest: KObject) => Partial<ObjectMeta> | undefined,
): Promise<boolean> {
  let latest: KObject;
  try {
    latest = await client.get(name);
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  if (latest.metadata.uid !== uid) return false;
  const fields = change(latest);
  if (!fields) return true;
  try {
    await client.patch(name, { metadata: { ...fields, uid, resourceVersion: latest.metadata.resourceVersion } }, 'merge');
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  return true;
}

export function removeFinalizer(client: ResourceClient, name: string, uid: string, finalizer: string): Promise<boolean> {
  return patchLatestMetadata(client, name, uid, (latest) => {
    const finalizers = latest.metadata.finalizers ?? [];
    if (!finalizers.includes(finalizer)) return undefined;
    return { finalizers: finalizers.filter((f) => f !== finalizer) };
  });
}

export function removeOwnerReferences(client: ResourceClient, name: string, uid: string, ownerUids: ReadonlySet<string>): Promise<boolean> {
  return patchLatestMetadata(client, name, uid, (latest) => {
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.some((r) => ownerUids.has(r.uid))) return undefined;
    return { ownerReferences: refs.filter((r) => !ownerUids.has(r.uid)) };
  });
}

/** blockOwnerDeletion=false on the references to ownerUid (breaks foreground-deletion cycles). */
export function unblockOwnerReference(client: ResourceClient, name: string, uid: string, ownerUid: string): Promise<boolean> {
  return patchLatestMetadata(client, name, uid, (latest) => {
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.some((r) => r.uid === ownerUid && r.blockOwnerDeletion)) return undefined;
    return { ownerReferences: refs.map((r) => (r.uid === ownerUid ? { ...r, blockOwnerDeletion: false } : r)) };
  });
}
