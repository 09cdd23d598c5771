// Preconditions checked against the current object, with upstream's messages
// (k8s.io/apiserver storage.Preconditions.Check), which kubectl shows inside a Conflict.

import type { KObject } from '../../apimachinery/types.ts';
import { StorageError, type Preconditions } from '../interface.ts';

export function checkPreconditions(key: string, current: KObject, p: Preconditions | undefined): void {
  if (!p) return;
  const meta = current.metadata ?? {};
  if (p.uid !== undefined && p.uid !== meta.uid) {
    throw new StorageError('ResourceVersionConflict', key,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${meta.uid ?? ''}`);
  }
  if (p.resourceVersion !== undefined && p.resourceVersion !== meta.resourceVersion) {
    throw new StorageError('ResourceVersionConflict', key,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
  }
}
