// Upstream discovery.StorageVersionHash: the first 8 bytes of sha256("group/version/kind"), base64.
// Clients (the storage version migrator, kubectl's discovery cache) only compare it for equality.
import { createHash } from 'node:crypto';

export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}
