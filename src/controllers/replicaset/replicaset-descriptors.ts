// The ReplicaSet and ReplicationController controllers as kube-controller-manager registers them:
// one controller, two kinds (upstream's ReplicationManager wraps the ReplicaSet controller).
import type { LabelSelector } from '../../apimachinery/labels.ts';
import { labelSelectorAsMatcher, selectorFromSet } from '../../apimachinery/labels.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerDescriptor } from '../../components/controller-manager/controller-context.ts';
import { ReplicaSetController, type ReplicatedKind } from './replica-set-controller.ts';

export const REPLICA_SET_KIND: ReplicatedKind = {
  gvk: { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  gvr: GVR.replicasets,
  queueName: 'replicaset',
  selectorOf: (rs) => labelSelectorAsMatcher(rs.spec.selector as LabelSelector | undefined),
};

export const REPLICATION_CONTROLLER_KIND: ReplicatedKind = {
  gvk: { group: '', version: 'v1', kind: 'ReplicationController' },
  gvr: GVR.replicationcontrollers,
  queueName: 'replicationmanager',
  // A ReplicationController's selector is a plain label map.
  selectorOf: (rc) => selectorFromSet(rc.spec.selector as Record<string, string> | undefined),
};

export const replicaSetControllerDescriptor: ControllerDescriptor = {
  name: 'replicaset-controller',
  start: (ctx) => new ReplicaSetController(REPLICA_SET_KIND, ctx).run(),
};

export const replicationControllerDescriptor: ControllerDescriptor = {
  name: 'replicationcontroller-controller',
  eventSource: 'replication-controller',
  start: (ctx) => new ReplicaSetController(REPLICATION_CONTROLLER_KIND, ctx).run(),
};
