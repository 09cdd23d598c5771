// The annotations a Deployment keeps on its ReplicaSets (deployment_util.go): the revision and its
// history (kubectl rollout history/undo read them), desired and max replicas (proportional
// scaling reads them), and the Deployment's own annotations (e.g. kubernetes.io/change-cause).
import type { KObject } from '../../../apimachinery/types.ts';
import type { Deployment, ReplicaSet } from '../types.ts';
import { replicasOf } from '../types.ts';
import { maxSurge } from './replicas.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
/** The pod-template-hash label (apps.DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** Length cap of the revision-history annotation (maxRevHistoryLengthInChars). */
export const MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000;

/** Deployment annotations never copied to ReplicaSets (annotationsToSkip). */
const SKIPPED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration', REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, 'deprecated.deployment.rollback.to',
]);

export function getIntAnnotation(obj: KObject, key: string): number | undefined {
  const v = obj.metadata.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A revision as strconv.ParseInt(v, 10, 64) reads it: a BigInt, since revisions are int64 and may
 * exceed 2^53 (upstream's RollingUpdateDeployment conformance test adopts one at 3546343826724305832).
 */
export function parseRevision(v: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(v)) return undefined;
  const n = BigInt(v);
  return n < INT64_MIN || n > INT64_MAX ? undefined : n;
}

/** Revision of a ReplicaSet; 0 when missing or unparseable. */
export function revisionOf(obj: KObject): bigint {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  return (v === undefined ? undefined : parseRevision(v)) ?? 0n;
}

export function maxRevision(rss: readonly ReplicaSet[]): bigint {
  return rss.reduce((m, rs) => { const v = revisionOf(rs); return v > m ? v : m; }, 0n);
}

/** The highest revision below the maximum (LastRevision), for rollbacks. */
export function lastRevision(rss: readonly ReplicaSet[]): bigint {
  let max = 0n;
  let second = 0n;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v >= max) { second = max; max = v; } else if (v > second) second = v;
  }
  return second;
}

function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = (rs.metadata.annotations ??= {});
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(k) || annotations[k] === v) continue;
    annotations[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations: desired-replicas and max-replicas; true if they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = (rs.metadata.annotations ??= {});
  let changed = false;
  if (annotations[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) { annotations[DESIRED_REPLICAS_ANNOTATION] = String(desired); changed = true; }
  if (annotations[MAX_REPLICAS_ANNOTATION] !== String(max)) { annotations[MAX_REPLICAS_ANNOTATION] = String(max); changed = true; }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

/**
 * SetNewReplicaSetAnnotations: copy the Deployment's annotations, raise the revision to newRevision
 * (keeping the old one in revision-history when a rollback re-uses this ReplicaSet) and, for a
 * ReplicaSet about to be created, the replicas annotations. Mutates rs; true if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const annotations = (rs.metadata.annotations ??= {});
  const had = Object.prototype.hasOwnProperty.call(annotations, REVISION_ANNOTATION);
  const oldRevision = annotations[REVISION_ANNOTATION] ?? '';
  const oldRevisionInt = oldRevision === '' ? 0n : parseRevision(oldRevision);
  const newRevisionInt = parseRevision(newRevision);
  if (oldRevisionInt === undefined || newRevisionInt === undefined) return false;
  if (oldRevisionInt < newRevisionInt) {
    annotations[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (had && oldRevisionInt < newRevisionInt) {
    const history = annotations[REVISION_HISTORY_ANNOTATION] ?? '';
    let old = history.split(',');
    if (old[0] === '') {
      annotations[REVISION_HISTORY_ANNOTATION] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < old.length) {
        total -= old[start]!.length + 1;
        start++;
      }
      if (total <= MAX_REV_HISTORY_LENGTH_IN_CHARS) {
        old = [...old.slice(start), oldRevision];
        annotations[REVISION_HISTORY_ANNOTATION] = old.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision: the Deployment's own revision annotation; true if it changed. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const annotations = (d.metadata.annotations ??= {});
  if (annotations[REVISION_ANNOTATION] === revision) return false;
  annotations[REVISION_ANNOTATION] = revision;
  return true;
}
