// RFC 6902 JSON patch (application/json-patch+json) with kube-apiserver's failure answers.
import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { deepCopy } from '../types.ts';
import { newRequestEntityTooLarge } from '../errors.ts';
import { newPatchNotApplicable } from './patch-errors.ts';

/** maxJSONPatchOperations of the apiserver's patch handler. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

const KNOWN_OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies the operations to a copy of obj. Any operation that does not apply (failed `test`,
 * missing path, unknown op) answers 422 Invalid with the generic message, as upstream does.
 */
export function applyJsonPatch<T>(obj: T, ops: readonly unknown[]): T {
  if (ops.length > MAX_JSON_PATCH_OPERATIONS) {
    throw newRequestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`);
  }
  const prepared = ops.map((op) => {
    if (op === null || typeof op !== 'object' || Array.isArray(op)) throw newPatchNotApplicable();
    const o = { ...(op as Record<string, unknown>) };
    if (typeof o.op !== 'string' || !KNOWN_OPS.has(o.op)) throw newPatchNotApplicable();
    // evanphx/json-patch reads a missing "value" as null rather than rejecting the operation.
    if ((o.op === 'add' || o.op === 'replace' || o.op === 'test') && o.value === undefined) o.value = null;
    return o as unknown as Operation;
  });
  try {
    return fjp.applyPatch(deepCopy(obj), prepared, true, true).newDocument;
  } catch {
    throw newPatchNotApplicable();
  }
}
