// LevelDB key layout. One keyspace per concern so each can be range-scanned on open:
//   o/<storage key>          → {"rev":N,"obj":{…}}            current objects
//   l/<16-digit revision>    → {"type","key","time","obj","prev"} change log (kept window)
//   m/rev, m/compacted       → decimal revision                   store metadata

export const OBJECT_PREFIX = 'o/';
export const LOG_PREFIX = 'l/';
export const META_REVISION = 'm/rev';
export const META_COMPACTED = 'm/compacted';

/** Zero-padded so byte order equals numeric order (16 digits covers Number.MAX_SAFE_INTEGER). */
export function logKey(rev: number): string {
  return LOG_PREFIX + String(rev).padStart(16, '0');
}

export function objectKey(key: string): string {
  return OBJECT_PREFIX + key;
}

/** The smallest string greater than every string starting with prefix ('' → no upper bound). */
export function prefixEnd(prefix: string): string | undefined {
  if (prefix === '') return undefined;
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/**
 * A recursive prefix is a "directory": like upstream's etcd3 store, "/registry/pods/ns" must not
 * match "/registry/pods/ns2/…", so a trailing slash is added.
 */
export function directoryPrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('/') ? prefix : prefix + '/';
}
