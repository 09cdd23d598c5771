// What the Deployment sync functions share (the fields of upstream's DeploymentController they use).
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ResourceClient } from '../../client/resource-client.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import { objectRef } from '../replicaset/pod-control.ts';
import type { Deployment, ReplicaSet } from './types.ts';

export const DEPLOYMENT_KIND = { group: 'apps', version: 'v1', kind: 'Deployment' };

export interface DeploymentSyncContext {
  client: KubeClient;
  recorder: EventRecorder;
  clock: Clock;
  rsLister: Lister<ReplicaSet>;
  enqueueAfter(d: Deployment, ms: number): void;
  enqueueRateLimited(d: Deployment): void;
}

export function replicaSets(dc: DeploymentSyncContext, namespace: string): ResourceClient<ReplicaSet> {
  return dc.client.resource<ReplicaSet>(GVR.replicasets).namespace(namespace);
}

export function deployments(dc: DeploymentSyncContext, namespace: string): ResourceClient<Deployment> {
  return dc.client.resource<Deployment>(GVR.deployments).namespace(namespace);
}

/** UpdateStatus of d (a copy the sync owns); d takes the new resourceVersion so later writes of this sync apply. */
export async function updateDeploymentStatus(dc: DeploymentSyncContext, d: Deployment): Promise<Deployment> {
  const updated = await deployments(dc, d.metadata.namespace!).updateStatus(d);
  d.metadata.resourceVersion = updated.metadata.resourceVersion;
  return updated;
}

export function deploymentEvent(dc: DeploymentSyncContext, d: Deployment, type: 'Normal' | 'Warning', reason: string, fmt: string, ...args: unknown[]): void {
  dc.recorder.eventf(objectRef(d, DEPLOYMENT_KIND), type, reason, fmt, ...args);
}
