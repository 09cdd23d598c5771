// The controllers kube-controller-manager runs, one descriptor each.
import type { ControllerDescriptor } from './controller-context.ts';
import { deploymentControllerDescriptor } from '../../controllers/deployment/deployment-controller.ts';
import { replicaSetControllerDescriptor, replicationControllerDescriptor } from '../../controllers/replicaset/replicaset-descriptors.ts';
import { garbageCollectorController } from '../../controllers/garbagecollector/garbage-collector.ts';
import { namespaceController } from '../../controllers/namespace/namespace-controller.ts';
import { serviceAccountsController } from '../../controllers/serviceaccount/serviceaccounts-controller.ts';
import { rootCACertPublisher } from '../../controllers/rootcacertpublisher/publisher.ts';
import { endpointsController } from '../../controllers/endpoint/endpoints-controller.ts';
import { endpointSliceController } from '../../controllers/endpointslice/endpointslice-controller.ts';
import { horizontalPodAutoscalerController } from '../../controllers/podautoscaler/horizontal.ts';
import { jobControllerDescriptor } from '../../controllers/job/job-controller.ts';
import { cronJobControllerDescriptor } from '../../controllers/cronjob/cronjob-controller.ts';
import { ttlAfterFinishedControllerDescriptor } from '../../controllers/ttlafterfinished/ttl-after-finished-controller.ts';
import { nodeLifecycleController } from '../../controllers/nodelifecycle/node-lifecycle-controller.ts';
import { taintEvictionController } from '../../controllers/nodelifecycle/taint-eviction-controller.ts';
import { podGCController } from '../../controllers/podgc/pod-gc-controller.ts';
import { statefulSetControllerDescriptor } from '../../controllers/statefulset/statefulset-controller.ts';
import { localPathProvisioner } from '../../controllers/local-path-provisioner/local-path-provisioner.ts';
import { nodeIpamController } from '../../controllers/nodeipam/node-ipam-controller.ts';
import { daemonSetControllerDescriptor } from '../../controllers/daemonset/daemonset-controller.ts';

export const CONTROLLERS: ControllerDescriptor[] = [
  deploymentControllerDescriptor,
  replicaSetControllerDescriptor,
  replicationControllerDescriptor,
  garbageCollectorController,
  namespaceController,
  serviceAccountsController,
  rootCACertPublisher,
  endpointsController,
  endpointSliceController,
  horizontalPodAutoscalerController,
  jobControllerDescriptor,
  cronJobControllerDescriptor,
  ttlAfterFinishedControllerDescriptor,
  nodeLifecycleController,
  taintEvictionController,
  podGCController,
  statefulSetControllerDescriptor,
  daemonSetControllerDescriptor,
  nodeIpamController,
  localPathProvisioner,
];
