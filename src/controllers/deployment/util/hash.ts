// The pod-template-hash (controller.ComputeHash): FNV-32a over the template plus the collision
// count, printed in decimal and mapped through rand.SafeEncodeString, so a ReplicaSet is named like
// "web-7c5ddbdf54". Upstream hashes a Go dump of the typed struct; we hash the template's canonical
// JSON (sorted keys), which is as stable but gives other values than a given kube release.
import { canonicalJSON } from '../../replicaset/semantic-equal.ts';
import type { PodTemplateSpec } from '../../replicaset/types.ts';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

function fnv32a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  for (const b of bytes) hash = Math.imul((hash ^ b) >>> 0, 0x01000193) >>> 0;
  return hash >>> 0;
}

export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJSON(template), 'utf8'));
  if (collisionCount !== undefined) {
    // Eight bytes, the count little-endian in the first four, as upstream writes it.
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(bytes, h);
  }
  return safeEncodeString(String(h));
}
