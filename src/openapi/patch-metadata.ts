// Strategic-merge-patch metadata (x-kubernetes-patch-strategy / -merge-key) for OpenAPI, taken from
// the one table the server's strategic merge patch also uses, so kubectl apply computes the same
// patches the server applies.
import { patchMeta } from '../apimachinery/patch/patch-meta.ts';

export interface PatchMetaEntry {
  strategy: string;
  mergeKey?: string;
}

export function patchMetaFor(model: string, field: string): PatchMetaEntry | undefined {
  const key = `${model}.${field}`;
  return Object.hasOwn(patchMeta, key) ? patchMeta[key] : undefined;
}
