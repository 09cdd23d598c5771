// apps/v1 DaemonSet: definition and printDaemonSet's table.
import type { ResourceDefinition, TableConvertor } from '../types.ts';
import { age, ageColumn, column, containersColumn, formatLabels, imagesColumn, int, layoutContainerCells, nameColumn, spec, status, templateContainers } from '../groups/common/printers.ts';
import { formatLabelSelector } from '../groups/common/selectors.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { daemonSetStrategy } from './daemonset-strategy.ts';

export const daemonSetTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Desired', 'integer', swaggerDoc('V1DaemonSetStatus', 'desiredNumberScheduled')),
    column('Current', 'integer', swaggerDoc('V1DaemonSetStatus', 'currentNumberScheduled')),
    column('Ready', 'integer', swaggerDoc('V1DaemonSetStatus', 'numberReady')),
    column('Up-to-date', 'integer', swaggerDoc('V1DaemonSetStatus', 'updatedNumberScheduled')),
    column('Available', 'integer', swaggerDoc('V1DaemonSetStatus', 'numberAvailable')),
    column('Node Selector', 'string', swaggerDoc('V1PodSpec', 'nodeSelector')),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', swaggerDoc('V1DaemonSetSpec', 'selector'), 1),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const st = status(obj);
    const [names, images] = layoutContainerCells(templateContainers(s.template));
    return [
      obj.metadata.name, int(st.desiredNumberScheduled), int(st.currentNumberScheduled), int(st.numberReady),
      int(st.updatedNumberScheduled), int(st.numberAvailable), formatLabels(s.template?.spec?.nodeSelector), age(obj, now),
      names, images, formatLabelSelector(s.selector),
    ];
  },
};

export const daemonsets: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  resource: 'daemonsets',
  singularName: 'daemonset',
  namespaced: true,
  shortNames: ['ds'],
  categories: ['all'],
  subresources: { status: true },
  strategy: daemonSetStrategy,
  table: daemonSetTable,
  openapiModel: 'V1DaemonSet',
};
