// The RollingUpdate strategy (rolling.go): grow the new ReplicaSet up to replicas + maxSurge pods in
// total, shrink old ones while at least replicas - maxUnavailable stay available, one step per sync.
import { deploymentComplete } from './util/conditions.ts';
import { byCreationTimestamp, filterActiveReplicaSets } from './util/replica-sets.ts';
import { getAvailableReplicaCountForReplicaSets, getReplicaCountForReplicaSets, maxUnavailable, newRSNewReplicas } from './util/replicas.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.ts';
import type { DeploymentSyncContext } from './sync-context.ts';
import type { Deployment, ReplicaSet } from './types.ts';
import { replicasOf } from './types.ts';

export async function rolloutRolling(dc: DeploymentSyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(dc, allRSs, newRS!, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(dc, allRSs, filterActiveReplicaSets(oldRSs), newRS!, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(dc, oldRSs, d);
  return syncRolloutStatus(dc, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return (await scaleReplicaSetAndRecordEvent(dc, newRS, replicasOf(d), d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(dc, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (getReplicaCountForReplicaSets(oldRSs) === 0) return false;
  const allPodsCount = getReplicaCountForReplicaSets(allRSs);
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const newRSUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPodsCount - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;
  // As upstream, a failed step (an API error, or an invalid scale-down refused below) ends this step
  // without an error: the write that caused it brings a ReplicaSet event, and with it the next sync.
  try {
    // Unhealthy old replicas go first, or they would block the rollout (kubernetes#16737).
    const { oldRSs: cleaned, scaledDown: cleanupCount } = await cleanupUnhealthyReplicas(dc, oldRSs, d, maxScaledDown);
    const scaledDownCount = await scaleDownOldReplicaSetsForRollingUpdate(dc, [...cleaned, newRS], cleaned, d);
    return cleanupCount + scaledDownCount > 0;
  } catch {
    return false;
  }
}

/**
 * A scale-down that would grow the ReplicaSet is refused, as upstream does. It happens when status
 * lags spec: just after a scale-down, availableReplicas still counts the pods the ReplicaSet
 * controller has not deleted yet, so replicas - available is negative.
 */
function checkScaleDown(rs: ReplicaSet, newReplicasCount: number, what: string): void {
  if (newReplicasCount > replicasOf(rs)) {
    throw new Error(`${what}, got invalid request to scale down ${rs.metadata.namespace}/${rs.metadata.name} ${replicasOf(rs)} -> ${newReplicasCount}`);
  }
}

async function cleanupUnhealthyReplicas(dc: DeploymentSyncContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanupCount: number): Promise<{ oldRSs: ReplicaSet[]; scaledDown: number }> {
  const sorted = [...oldRSs].sort(byCreationTimestamp);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= maxCleanupCount) break;
    const available = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === available) continue;
    const count = Math.min(maxCleanupCount - total, replicasOf(rs) - available);
    checkScaleDown(rs, replicasOf(rs) - count, 'when cleaning up unhealthy replicas');
    const { rs: updated } = await scaleReplicaSetAndRecordEvent(dc, rs, replicasOf(rs) - count, d);
    total += count;
    sorted[i] = updated;
  }
  return { oldRSs: sorted, scaledDown: total };
}

async function scaleDownOldReplicaSetsForRollingUpdate(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const availablePodCount = getAvailableReplicaCountForReplicaSets(allRSs);
  if (availablePodCount <= minAvailable) return 0;
  const totalToScaleDown = availablePodCount - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
    if (total >= totalToScaleDown) break;
    if (replicasOf(rs) === 0) continue;
    const count = Math.min(replicasOf(rs), totalToScaleDown - total);
    checkScaleDown(rs, replicasOf(rs) - count, 'when scaling down old RS');
    await scaleReplicaSetAndRecordEvent(dc, rs, replicasOf(rs) - count, d);
    total += count;
  }
  return total;
}
