// Scaling, revisions, clean-up and status of a Deployment (pkg/controller/deployment/sync.go).
import { deepCopy } from '../../apimachinery/types.ts';
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import { newControllerRef, getControllerOf } from '../framework/controller-ref.ts';
import {
  POD_TEMPLATE_HASH_LABEL, getIntAnnotation, maxRevision, replicasAnnotationsNeedUpdate, setDeploymentRevision,
  setNewReplicaSetAnnotations, setReplicasAnnotations, DESIRED_REPLICAS_ANNOTATION,
} from './util/annotations.ts';
import {
  FAILED_RS_CREATE_REASON, FOUND_NEW_RS_REASON, MINIMUM_REPLICAS_AVAILABLE, MINIMUM_REPLICAS_UNAVAILABLE, NEW_REPLICA_SET_REASON,
  PAUSED_DEPLOY_REASON, RESUMED_DEPLOY_REASON, TIMED_OUT_REASON, getDeploymentCondition, hasProgressDeadline, hasRevisionHistoryLimit,
  newDeploymentCondition, setDeploymentCondition,
} from './util/conditions.ts';
import { computeHash } from './util/hash.ts';
import {
  bySizeNewer, bySizeOlder, byRevision, filterActiveReplicaSets, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets,
} from './util/replica-sets.ts';
import {
  getActualReplicaCountForReplicaSets, getAvailableReplicaCountForReplicaSets, getProportion, getReadyReplicaCountForReplicaSets,
  getReplicaCountForReplicaSets, isRollingUpdate, isSaturated, maxSurge, maxUnavailable, newRSNewReplicas,
} from './util/replicas.ts';
import { jsonEqual } from '../replicaset/semantic-equal.ts';
import { DEPLOYMENT_KIND, deploymentEvent, replicaSets, updateDeploymentStatus, type DeploymentSyncContext } from './sync-context.ts';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.ts';
import { replicasOf } from './types.ts';

/** sync: scaling events and paused Deployments — scale without rolling out. */
export async function sync(dc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  await scale(dc, d, newRS, oldRSs);
  if (d.spec.paused) await cleanupDeployment(dc, oldRSs, d);
  await syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** checkPausedConditions: Progressing Unknown/DeploymentPaused while paused, DeploymentResumed after. */
export async function checkPausedConditions(dc: DeploymentSyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getDeploymentCondition(d.status, 'Progressing');
  if (cond?.reason === TIMED_OUT_REASON) return; // do not hide a reported lack of progress
  const pausedCondExists = cond?.reason === PAUSED_DEPLOY_REASON;
  const status = (d.status ??= {});
  const now = dc.clock.now();
  if (d.spec.paused && !pausedCondExists) {
    setDeploymentCondition(status, newDeploymentCondition('Progressing', 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', now));
  } else if (!d.spec.paused && pausedCondExists) {
    setDeploymentCondition(status, newDeploymentCondition('Progressing', 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', now));
  } else {
    return;
  }
  await updateDeploymentStatus(dc, d);
}

/** getAllReplicaSetsAndSyncRevision: the new ReplicaSet (created when asked) and all old ones. */
export async function getAllReplicaSetsAndSyncRevision(dc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<{ newRS?: ReplicaSet; oldRSs: ReplicaSet[] }> {
  const { all: oldRSs } = findOldReplicaSets(d.spec.template, rsList);
  const newRS = await getNewReplicaSet(dc, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

async function getNewReplicaSet(dc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d.spec.template, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1n);
  const now = dc.clock.now();
  const status = (d.status ??= {});

  if (existing) {
    const rsCopy = deepCopy(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const minReadySecondsNeedsUpdate = (rsCopy.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsUpdated || minReadySecondsNeedsUpdate) {
      rsCopy.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      return replicaSets(dc, rsCopy.metadata.namespace!).update(rsCopy);
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '');
    if (hasProgressDeadline(d) && !getDeploymentCondition(status, 'Progressing')) {
      setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', FOUND_NEW_RS_REASON, `Found new replica set "${rsCopy.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(dc, d);
    return rsCopy;
  }
  if (!createIfNotExisted) return undefined;

  const hash = computeHash(d.spec.template, status.collisionCount);
  const template = deepCopy(d.spec.template);
  template.metadata = { ...template.metadata, labels: { ...(d.spec.template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = deepCopy(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      // Deterministic, so a create repeated after a stale cache fails with AlreadyExists.
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, DEPLOYMENT_KIND)],
      labels: { ...template.metadata.labels! },
    },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const newReplicasCount = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = newReplicasCount;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await replicaSets(dc, d.metadata.namespace!).create(newRS);
  } catch (err) {
    if (isAlreadyExists(err)) {
      alreadyExists = true;
      const rs = dc.rsLister.namespace(d.metadata.namespace!).get(newRS.metadata.name!);
      if (!rs) throw err;
      const ref = getControllerOf(rs);
      if (ref?.uid === d.metadata.uid && findNewReplicaSet(d.spec.template, [rs])) {
        created = rs;
      } else {
        // A hash collision with someone else's ReplicaSet: bump collisionCount and try another name.
        status.collisionCount = (status.collisionCount ?? 0) + 1;
        try { await updateDeploymentStatus(dc, d); } catch { /* retried with the next sync */ }
        throw err;
      }
    } else if (hasStatusCause(err, 'NamespaceTerminating')) {
      throw err;
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${(err as Error).message}`;
      if (hasProgressDeadline(d)) {
        setDeploymentCondition(status, newDeploymentCondition('Progressing', 'False', FAILED_RS_CREATE_REASON, msg, now));
        try { await updateDeploymentStatus(dc, d); } catch { /* the bigger issue is reported below */ }
      }
      deploymentEvent(dc, d, 'Warning', FAILED_RS_CREATE_REASON, '%s', msg);
      throw err;
    }
  }
  if (!alreadyExists && newReplicasCount > 0) {
    deploymentEvent(dc, d, 'Normal', 'ScalingReplicaSet', 'Scaled up replica set %s from 0 to %d', created.metadata.name, newReplicasCount);
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Progressing', 'True', NEW_REPLICA_SET_REASON, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(dc, d);
  return created;
}

function hasStatusCause(err: unknown, type: string): boolean {
  const causes = (err as { status?: { details?: { causes?: { type?: string }[] } } }).status?.details?.causes ?? [];
  return causes.some((c) => c.type === type);
}

/**
 * scale: a single active ReplicaSet takes the whole size; a saturated new one makes the old ones go
 * to zero; otherwise (a rollout in progress) replicas added or removed are shared in proportion.
 */
export async function scale(dc: DeploymentSyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (replicasOf(activeOrLatest) === replicasOf(d)) return;
    await scaleReplicaSetAndRecordEvent(dc, activeOrLatest, replicasOf(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActiveReplicaSets(oldRSs)) await scaleReplicaSetAndRecordEvent(dc, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = filterActiveReplicaSets([...oldRSs, newRS]);
  const allRSsReplicas = getReplicaCountForReplicaSets(allRSs);
  const allowedSize = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowedSize - allRSsReplicas;
  let operation = '';
  if (toAdd > 0) { allRSs.sort(bySizeNewer); operation = 'up'; }
  else if (toAdd < 0) { allRSs.sort(bySizeOlder); operation = 'down'; }

  let added = 0;
  const nameToSize = new Map<string, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const proportion = getProportion(rs, d, toAdd, added);
      nameToSize.set(rs.metadata.name!, replicasOf(rs) + proportion);
      added += proportion;
    } else {
      nameToSize.set(rs.metadata.name!, replicasOf(rs));
    }
  }
  for (const [i, rs] of allRSs.entries()) {
    // Leftovers go to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) nameToSize.set(rs.metadata.name!, Math.max(0, nameToSize.get(rs.metadata.name!)! + toAdd - added));
    await scaleReplicaSet(dc, rs, nameToSize.get(rs.metadata.name!)!, d, operation);
  }
}

export async function scaleReplicaSetAndRecordEvent(dc: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
}

/** Sets spec.replicas and the replicas annotations; records ScalingReplicaSet when the size changed. */
export async function scaleReplicaSet(dc: DeploymentSyncContext, rs: ReplicaSet, newScale: number, d: Deployment, operation: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  const max = replicasOf(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
  const oldScale = replicasOf(rs);
  const rsCopy = deepCopy(rs);
  rsCopy.spec.replicas = newScale;
  setReplicasAnnotations(rsCopy, replicasOf(d), max);
  const updated = await replicaSets(dc, rsCopy.metadata.namespace!).update(rsCopy);
  if (sizeNeedsUpdate) {
    deploymentEvent(dc, d, 'Normal', 'ScalingReplicaSet', 'Scaled %s replica set %s from %d to %d', operation, updated.metadata.name, oldScale, newScale);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/** cleanupDeployment: delete the oldest empty ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(dc: DeploymentSyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(byRevision);
  const diff = cleanable.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return;
  for (const rs of cleanable.slice(0, diff)) {
    // Only empty, fully observed ReplicaSets go.
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    try {
      await replicaSets(dc, rs.metadata.namespace!).delete(rs.metadata.name!);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** syncDeploymentStatus: write calculateStatus when it differs. */
export async function syncDeploymentStatus(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const newStatus = calculateStatus(dc, allRSs, newRS, d);
  if (statusEqual(d.status, newStatus)) return;
  d.status = newStatus;
  await updateDeploymentStatus(dc, d);
}

/** calculateStatus: counts from the ReplicaSets and the Available condition. */
export function calculateStatus(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatus {
  const available = getAvailableReplicaCountForReplicaSets(allRSs);
  const total = getReplicaCountForReplicaSets(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata.generation,
    replicas: getActualReplicaCountForReplicaSets(allRSs),
    updatedReplicas: getActualReplicaCountForReplicaSets([newRS]),
    readyReplicas: getReadyReplicaCountForReplicaSets(allRSs),
    availableReplicas: available,
    // More available than desired (scaling down) is not negative unavailability.
    unavailableReplicas: Math.max(0, total - available),
    collisionCount: d.status?.collisionCount,
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  const now = dc.clock.now();
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setDeploymentCondition(status, newDeploymentCondition('Available', 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return compactStatus(status);
}

/** The JSON upstream writes: every DeploymentStatus field is omitempty. */
export function compactStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = {};
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (s[k]) out[k] = s[k];
  }
  if (s.conditions?.length) out.conditions = s.conditions;
  if (s.collisionCount !== undefined) out.collisionCount = s.collisionCount;
  return out;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return jsonEqual(compactStatus(a ?? {}), compactStatus(b));
}

/** isScalingEvent: an active ReplicaSet was sized for another spec.replicas. */
export async function isScalingEvent(dc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
    const desired = getIntAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
    if (desired !== undefined && desired !== replicasOf(d)) return true;
  }
  return false;
}
