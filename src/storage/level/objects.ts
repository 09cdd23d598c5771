// How objects enter and leave the store. Inside, an object is the exact JSON text that was persisted
// (so memory equals disk after a restart, and nothing in the store can be mutated); callers get
// private objects parsed from it.

import type { KObject } from '../../apimachinery/types.ts';
import { StorageError } from '../interface.ts';

/** The stored JSON of obj with resourceVersion = rev. */
export function serialize(key: string, obj: KObject, rev: number): string {
  if (obj === null || typeof obj !== 'object' || obj.metadata === null || typeof obj.metadata !== 'object') {
    throw new StorageError('InvalidObj', key, `object for ${key} has no metadata`);
  }
  return JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rev) } });
}

/** A private copy of a stored object. */
export function parse(json: string): KObject {
  return JSON.parse(json) as KObject;
}

/**
 * Whether the stored texts a (at revision revA) and b (at revB) hold equal objects apart from
 * metadata.resourceVersion (a no-op update writes nothing). Key order does not count, as before; equal
 * objects have equal-length texts up to the revision digits, which rules out most changes unparsed.
 */
export function equalIgnoringResourceVersion(a: string, revA: number, b: string, revB: number): boolean {
  if (a.length - String(revA).length !== b.length - String(revB).length) return false;
  const strip = (o: KObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '' } });
  return jsonEqual(strip(parse(a)), strip(parse(b)));
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
