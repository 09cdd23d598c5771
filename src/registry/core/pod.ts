// pods: the unit of scheduling. Upstream pkg/registry/core/pod.
import { defineResource } from '../define-resource.ts';
import { podStatusStrategy, podStrategy } from './pod-strategy.ts';
import { podTable } from './pod-table.ts';

type Obj = Record<string, any>;

export const podResource = defineResource({
  apiVersion: 'v1', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'],
  subresources: {
    status: true,
    custom: ['binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'ephemeralcontainers'],
  },
  strategy: podStrategy,
  statusStrategy: podStatusStrategy,
  table: podTable,
  selectableFields(pod) {
    const spec: Obj = (pod.spec as Obj) ?? {};
    const status: Obj = (pod.status as Obj) ?? {};
    return {
      'spec.nodeName': spec.nodeName ?? '',
      'spec.restartPolicy': spec.restartPolicy ?? '',
      'spec.schedulerName': spec.schedulerName ?? '',
      'spec.serviceAccountName': spec.serviceAccountName ?? '',
      'spec.hostNetwork': String(spec.hostNetwork === true),
      'status.phase': status.phase ?? '',
      'status.podIP': (Array.isArray(status.podIPs) && status.podIPs[0]?.ip) || '',
      'status.nominatedNodeName': status.nominatedNodeName ?? '',
    };
  },
});
