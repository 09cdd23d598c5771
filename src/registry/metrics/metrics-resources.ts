// metrics.k8s.io/v1beta1 (what metrics-server serves through the aggregator): NodeMetrics as "nodes",
// PodMetrics as "pods", get and list only. Nothing is stored; src/apiserver/metrics computes them from
// the kubelets' /stats/summary on each request. As metrics-server: no singular name, and its table
// (name, cpu, memory, window; a pod's usage summed over its containers).
import { parseQuantity } from '../../apimachinery/quantity.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { formatBytes, formatNanoCores } from './metrics-quantity.ts';
import { defineResource } from '../define-resource.ts';
import type { ResourceDefinition, TableConvertor } from '../types.ts';

type Obj = Record<string, any>;

export const METRICS_GROUP = 'metrics.k8s.io';

function metricsTable(usage: (obj: KObject) => { cpu: string; memory: string }): TableConvertor {
  return {
    columns: [
      { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource', priority: 0 },
      { name: 'cpu', type: 'string', format: 'quantity', description: '', priority: 0 },
      { name: 'memory', type: 'string', format: 'quantity', description: '', priority: 0 },
      { name: 'Window', type: 'string', format: 'duration', description: '', priority: 0 },
    ],
    cells(obj) {
      const u = usage(obj);
      return [obj.metadata.name, u.cpu, u.memory, (obj as Obj).window ?? ''];
    },
  };
}

export const nodeMetricsResource: ResourceDefinition = { ...defineResource({
  apiVersion: `${METRICS_GROUP}/v1beta1`, kind: 'NodeMetrics', resource: 'nodes', namespaced: false,
  verbs: ['get', 'list'], strategy: {},
  table: metricsTable((obj) => ({ cpu: (obj as Obj).usage?.cpu ?? '', memory: (obj as Obj).usage?.memory ?? '' })),
}), singularName: '' };

export const podMetricsResource: ResourceDefinition = { ...defineResource({
  apiVersion: `${METRICS_GROUP}/v1beta1`, kind: 'PodMetrics', resource: 'pods', namespaced: true,
  verbs: ['get', 'list'], strategy: {},
  table: metricsTable((obj) => {
    let cpu = 0;
    let memory = 0;
    for (const c of ((obj as Obj).containers ?? []) as Obj[]) {
      cpu += parseQuantity(c.usage?.cpu ?? '0');
      memory += parseQuantity(c.usage?.memory ?? '0');
    }
    return { cpu: formatNanoCores(cpu * 1e9), memory: formatBytes(memory) };
  }),
}), singularName: '' };

export const metricsResources: ResourceDefinition[] = [nodeMetricsResource, podMetricsResource];
