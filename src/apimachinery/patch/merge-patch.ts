// RFC 7386 JSON merge patch (application/merge-patch+json), with the details of
// evanphx/json-patch's MergePatch that kube-apiserver uses: null deletes a key, objects merge
// recursively, anything else (arrays included) replaces, and nulls inside new values are pruned.
import { deepCopy } from '../types.ts';

type JsonObject = Record<string, unknown>;

export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Drops null-valued keys of objects, at any depth (array elements themselves are kept). */
/** Assignment that treats "__proto__" as a plain key, since patch keys come from the client. */
export function setOwn(o: JsonObject, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((e) => (e === null ? e : pruneNulls(e)));
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, e] of Object.entries(v)) if (e !== null) setOwn(out, k, pruneNulls(e));
    return out;
  }
  return v;
}

function mergeDocs(doc: JsonObject, patch: JsonObject): void {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete doc[k];
      continue;
    }
    const cur = Object.prototype.hasOwnProperty.call(doc, k) ? doc[k] : undefined;
    if (!isJsonObject(cur)) setOwn(doc, k, pruneNulls(pv));
    else if (!isJsonObject(pv)) setOwn(doc, k, pv);
    else mergeDocs(cur, pv);
  }
}

/** Returns obj with the merge patch applied; neither argument is modified. */
export function applyMergePatch<T>(obj: T, patch: unknown): T {
  if (!isJsonObject(patch)) return pruneNulls(deepCopy(patch)) as T;
  if (!isJsonObject(obj)) return pruneNulls(deepCopy(patch)) as T;
  const doc = deepCopy(obj) as JsonObject;
  mergeDocs(doc, deepCopy(patch));
  return doc as T;
}
