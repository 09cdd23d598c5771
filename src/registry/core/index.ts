// The core ("" group, v1) resources, in the order upstream's discovery lists them.
import type { ResourceDefinition } from '../types.ts';
import { bindingResource } from './binding.ts';
import { configMapResource } from './configmap.ts';
import { endpointsResource } from './endpoints.ts';
import { eventResource } from './event.ts';
import { limitRangeResource } from './limitrange.ts';
import { namespaceResource } from './namespace.ts';
import { nodeResource } from './node.ts';
import { persistentVolumeClaimResource } from './persistentvolumeclaim.ts';
import { persistentVolumeResource } from './persistentvolume.ts';
import { podResource } from './pod.ts';
import { podTemplateResource } from './podtemplate.ts';
import { replicationControllerResource } from './replicationcontroller.ts';
import { resourceQuotaResource } from './resourcequota.ts';
import { secretResource } from './secret.ts';
import { serviceAccountResource } from './serviceaccount.ts';
import { serviceResource } from './service.ts';

export const resources: ResourceDefinition[] = [
  bindingResource,
  configMapResource,
  endpointsResource,
  eventResource,
  limitRangeResource,
  namespaceResource,
  nodeResource,
  persistentVolumeClaimResource,
  persistentVolumeResource,
  podResource,
  podTemplateResource,
  replicationControllerResource,
  resourceQuotaResource,
  secretResource,
  serviceAccountResource,
  serviceResource,
];

export { configureServiceCIDR, serviceIPAllocator } from './ip-allocator.ts';
export { configureNodePortRange, nodePortAllocator } from './node-port-allocator.ts';
export { markServiceAllocations, releaseServiceAllocations } from './service-allocation.ts';
export { namespaceFinalizeStrategy } from './namespace.ts';
