// apps/v1 DaemonSet: definition and printDaemonSet's table.
import { defineResource } from '../define-resource.ts';
import { column, fieldColumns, formatLabels, int, spec, status, workloadTable } from '../groups/common/printers.ts';
import { formatLabelSelector } from '../groups/common/selectors.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { daemonSetStrategy } from './daemonset-strategy.ts';

export const daemonSetTable = workloadTable({
  columns: [
    ...fieldColumns('V1DaemonSetStatus', 'integer', {
      Desired: 'desiredNumberScheduled', Current: 'currentNumberScheduled', Ready: 'numberReady',
      'Up-to-date': 'updatedNumberScheduled', Available: 'numberAvailable',
    }),
    column('Node Selector', 'string', swaggerDoc('V1PodSpec', 'nodeSelector')),
  ],
  cells(obj) {
    const st = status(obj);
    return [
      int(st.desiredNumberScheduled), int(st.currentNumberScheduled), int(st.numberReady),
      int(st.updatedNumberScheduled), int(st.numberAvailable), formatLabels(spec(obj).template?.spec?.nodeSelector),
    ];
  },
  template: (obj) => spec(obj).template,
  selector: { model: 'V1DaemonSetSpec', cell: (obj) => formatLabelSelector(spec(obj).selector) },
});

export const daemonsets = defineResource({
  apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'],
  subresources: { status: true },
  strategy: daemonSetStrategy,
  table: daemonSetTable,
});
