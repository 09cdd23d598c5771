// The Deployment fields the controller reads and writes.
import type { LabelSelector } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { PodTemplateSpec, ReplicaSet } from '../replicaset/types.ts';

export type IntOrString = number | string;

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
}

export interface Deployment extends KObject {
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: PodTemplateSpec;
    strategy?: { type?: 'RollingUpdate' | 'Recreate'; rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString } };
    minReadySeconds?: number;
    revisionHistoryLimit?: number;
    paused?: boolean;
    progressDeadlineSeconds?: number;
  };
  status?: DeploymentStatus;
}

export type { ReplicaSet, PodTemplateSpec };

/** spec.replicas with its default. */
export const replicasOf = (obj: { spec: { replicas?: number } }): number => obj.spec.replicas ?? 1;
