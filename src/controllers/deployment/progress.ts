// Rollout progress (progress.go): the Progressing condition — progressing, complete
// (NewReplicaSetAvailable) or ProgressDeadlineExceeded — ReplicaFailure carried over from the
// ReplicaSets, and a re-check when the deadline would pass.
import {
  NEW_RS_AVAILABLE_REASON, REPLICA_SET_UPDATED_REASON, TIMED_OUT_REASON, deploymentComplete, deploymentProgressing, deploymentTimedOut,
  getDeploymentCondition, hasProgressDeadline, newDeploymentCondition, removeDeploymentCondition, replicaSetToDeploymentCondition,
  setDeploymentCondition,
} from './util/conditions.ts';
import { calculateStatus, statusEqual } from './sync.ts';
import { updateDeploymentStatus, type DeploymentSyncContext } from './sync-context.ts';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types.ts';

export async function syncRolloutStatus(dc: DeploymentSyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const newStatus = calculateStatus(dc, allRSs, newRS, d);
  if (!hasProgressDeadline(d)) removeDeploymentCondition(newStatus, 'Progressing');
  const currentCond = getDeploymentCondition(d.status, 'Progressing');
  const isCompleteDeployment = newStatus.replicas === newStatus.updatedReplicas && currentCond?.reason === NEW_RS_AVAILABLE_REASON;
  const now = dc.clock.now();
  if (hasProgressDeadline(d) && !isCompleteDeployment) {
    if (deploymentComplete(d, newStatus)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'True', NEW_RS_AVAILABLE_REASON, msg, now));
    } else if (deploymentProgressing(d, newStatus)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const condition = newDeploymentCondition('Progressing', 'True', REPLICA_SET_UPDATED_REASON, msg, now);
      // Same reason but fresh lastUpdateTime: progress moves the deadline.
      if (currentCond) {
        if (currentCond.status === 'True') condition.lastTransitionTime = currentCond.lastTransitionTime;
        removeDeploymentCondition(newStatus, 'Progressing');
      }
      setDeploymentCondition(newStatus, condition);
    } else if (deploymentTimedOut(d, newStatus, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setDeploymentCondition(newStatus, newDeploymentCondition('Progressing', 'False', TIMED_OUT_REASON, msg, now));
    }
  }
  const failure = getReplicaFailures(allRSs, newRS);
  if (failure) setDeploymentCondition(newStatus, failure);
  else removeDeploymentCondition(newStatus, 'ReplicaFailure');

  if (statusEqual(d.status, newStatus)) {
    requeueStuckDeployment(dc, d, newStatus);
    return;
  }
  d.status = newStatus;
  await updateDeploymentStatus(dc, d);
}

/** The new ReplicaSet's ReplicaFailure condition, else the first old one's. */
function getReplicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition | undefined {
  const failureOf = (rs: ReplicaSet | undefined) => rs?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  const fromNew = failureOf(newRS);
  if (fromNew) return replicaSetToDeploymentCondition(fromNew);
  for (const rs of allRSs) {
    if (!rs || rs === newRS) continue;
    const c = failureOf(rs);
    if (c) return replicaSetToDeploymentCondition(c);
  }
  return undefined;
}

/** A rollout with no progress is looked at again when its deadline passes (requeueStuckDeployment). */
function requeueStuckDeployment(dc: DeploymentSyncContext, d: Deployment, newStatus: DeploymentStatus): void {
  const cond = getDeploymentCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cond) return;
  if (deploymentComplete(d, newStatus) || cond.reason === TIMED_OUT_REASON) return;
  const after = Date.parse(cond.lastUpdateTime ?? '') + d.spec.progressDeadlineSeconds! * 1000 - dc.clock.now();
  if (Number.isNaN(after)) return;
  if (after < 1000) dc.enqueueRateLimited(d);
  else dc.enqueueAfter(d, after + 1000);
}
