// Hashes and names of ControllerRevisions (pkg/controller/history): FNV-32 over the revision's data
// (canonical JSON, so key order never changes the hash) plus the collision count, rendered with
// upstream's "safe" alphabet so names like web-7b9f6c5d84 never spell words.
import { canonicalJSON } from './canonical-json.ts';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** fnv.New32 (FNV-1, not 1a) over UTF-8 bytes. */
export function fnv32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash = Math.imul(hash, 0x01000193) >>> 0;
    hash = (hash ^ byte) >>> 0;
  }
  return hash >>> 0;
}

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** HashControllerRevision / controller.ComputeHash: data hashed with the collision count as a probe. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  let text = canonicalJSON(data);
  if (collisionCount !== undefined) text += String(collisionCount);
  return safeEncodeString(String(fnv32(text)));
}

/** ControllerRevisionName: prefix-hash, the prefix cut to 223 bytes so the name fits 253. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}
