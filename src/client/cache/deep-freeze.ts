// Cached objects are shared by every reader of an informer; freezing them turns an accidental
// in-place mutation (a classic controller bug upstream too) into a TypeError at the faulty line.
// ESM modules are strict code, so assigning to a frozen property throws.

export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  return value;
}

/**
 * Freezing costs a walk over each object as it enters the cache. On by default; turn it off with
 * K8TS_FREEZE_CACHE=0 when measuring raw throughput.
 */
export const FREEZE_CACHE_DEFAULT = process.env.K8TS_FREEZE_CACHE !== '0';
