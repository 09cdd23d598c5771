// apps/v1 StatefulSet: definition and printStatefulSet's table.
import type { ResourceDefinition, TableConvertor } from '../types.ts';
import { age, ageColumn, column, containersColumn, imagesColumn, int, layoutContainerCells, nameColumn, spec, status, templateContainers } from '../groups/common/printers.ts';
import { statefulSetStrategy } from './statefulset-strategy.ts';

export const statefulSetTable: TableConvertor = {
  columns: [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  cells(obj, now) {
    const s = spec(obj);
    const [names, images] = layoutContainerCells(templateContainers(s.template));
    return [obj.metadata.name, `${int(status(obj).readyReplicas)}/${int(s.replicas)}`, age(obj, now), names, images];
  },
};

export const statefulsets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  resource: 'statefulsets',
  singularName: 'statefulset',
  namespaced: true,
  shortNames: ['sts'],
  categories: ['all'],
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  strategy: statefulSetStrategy,
  table: statefulSetTable,
  openapiModel: 'V1StatefulSet',
};
