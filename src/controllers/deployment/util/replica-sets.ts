// Finding a Deployment's new and old ReplicaSets and ordering them (deployment_util.go,
// controller_utils.go): the new one has the Deployment's template (ignoring pod-template-hash).
import type { PodTemplateSpec, ReplicaSet } from '../types.ts';
import { replicasOf } from '../types.ts';
import { POD_TEMPLATE_HASH_LABEL, revisionOf } from './annotations.ts';

/** Semantic equality as apimachinery's: a missing, null, empty list and empty map are all equal. */
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? v.map(normalize) : undefined;
  if (v === null || v === undefined) return undefined;
  if (typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const n = normalize((v as Record<string, unknown>)[k]);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length ? out : undefined;
}

/** EqualIgnoreHash: templates equal once the pod-template-hash label is removed from both. */
export function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined) => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    return { ...t, metadata: { ...t?.metadata, labels } };
  };
  return JSON.stringify(normalize(strip(a))) === JSON.stringify(normalize(strip(b)));
}

const created = (rs: ReplicaSet) => Date.parse(rs.metadata.creationTimestamp ?? '') || 0;

/** ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreationTimestamp(a: ReplicaSet, b: ReplicaSet): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0;
}

/** ReplicaSetsBySizeOlder: largest first; equal sizes oldest first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) === replicasOf(b) ? byCreationTimestamp(a, b) : replicasOf(b) - replicasOf(a);
}

/** ReplicaSetsBySizeNewer: largest first; equal sizes newest first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  return replicasOf(a) === replicasOf(b) ? byCreationTimestamp(b, a) : replicasOf(b) - replicasOf(a);
}

/** ReplicaSetsByRevision: lowest revision first; equal revisions by creation time. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  return ra !== rb ? (ra < rb ? -1 : 1) : byCreationTimestamp(a, b);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template is the Deployment's. */
export function findNewReplicaSet(template: PodTemplateSpec, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec.template, template));
}

/** FindOldReplicaSets: every other ReplicaSet; the first list only those with replicas. */
export function findOldReplicaSets(template: PodTemplateSpec, rsList: readonly ReplicaSet[]): { required: ReplicaSet[]; all: ReplicaSet[] } {
  const newRS = findNewReplicaSet(template, rsList);
  const all = rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);
  return { required: all.filter((rs) => replicasOf(rs) !== 0), all };
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && replicasOf(rs) > 0);
}

/** FindActiveOrLatest: the only active ReplicaSet, or with none active the newest; else undefined. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}
