// How objects enter and leave the store's cache. Inside, objects are parsed from the exact JSON
// that was persisted (so memory equals disk after a restart) and deep-frozen, so a predicate or a
// bug cannot mutate the cache; callers always get structuredClone copies.

import type { KObject } from '../../apimachinery/types.ts';
import { StorageError } from '../interface.ts';

export function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}

/** Serialize obj with resourceVersion = rev; returns the JSON and the frozen cached form. */
export function internalize(key: string, obj: KObject, rev: number): { json: string; obj: KObject } {
  if (obj === null || typeof obj !== 'object' || obj.metadata === null || typeof obj.metadata !== 'object') {
    throw new StorageError('InvalidObj', key, `object for ${key} has no metadata`);
  }
  const json = JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
  return { json, obj: deepFreeze(JSON.parse(json) as KObject) };
}

/** A frozen copy of obj with another resourceVersion (the DELETED event's object). */
export function withResourceVersion(obj: KObject, rev: number): KObject {
  return deepFreeze({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
}

export function copy<T>(v: T): T {
  return structuredClone(v);
}

/** Equality of two plain-JSON objects ignoring metadata.resourceVersion (a no-op update writes nothing). */
export function equalIgnoringResourceVersion(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
  return jsonEqual(strip(a), strip(b));
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const aKeys = Object.keys(ao);
  return aKeys.length === Object.keys(bo).length && aKeys.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}
