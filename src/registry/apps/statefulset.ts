// apps/v1 StatefulSet: definition and printStatefulSet's table.
import { defineResource } from '../define-resource.ts';
import { column, int, spec, status, workloadTable } from '../groups/common/printers.ts';
import { REPLICAS_SCALE } from './scale.ts';
import { statefulSetStrategy } from './statefulset-strategy.ts';

export const statefulSetTable = workloadTable({
  columns: [column('Ready', 'string', 'Number of the pod with ready state')],
  cells: (obj) => [`${int(status(obj).readyReplicas)}/${int(spec(obj).replicas)}`],
  template: (obj) => spec(obj).template,
});

export const statefulsets = defineResource({
  apiVersion: 'apps/v1', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'],
  subresources: { status: true, scale: REPLICAS_SCALE },
  strategy: statefulSetStrategy,
  table: statefulSetTable,
});
