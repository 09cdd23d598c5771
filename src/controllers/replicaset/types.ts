// The fields of Pods, ReplicaSets and ReplicationControllers these controllers read and write
// (the rest of each object is carried along untouched).
import type { LabelSelector } from '../../apimachinery/labels.ts';
import type { KObject, ObjectMeta } from '../../apimachinery/types.ts';

export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  reason?: string;
  message?: string;
}

export interface Pod extends KObject {
  spec?: { nodeName?: string; [field: string]: unknown };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: { restartCount?: number }[];
    [field: string]: unknown;
  };
}

export interface PodTemplateSpec {
  metadata?: Pick<ObjectMeta, 'labels' | 'annotations' | 'finalizers' | 'name' | 'namespace'> & Record<string, unknown>;
  spec?: Record<string, unknown>;
}

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
}

/** A ReplicaSet, or a ReplicationController (whose selector is a plain label map). */
export interface ReplicaSet extends KObject {
  spec: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: LabelSelector | Record<string, string>;
    template?: PodTemplateSpec;
  };
  status?: ReplicaSetStatus;
}
