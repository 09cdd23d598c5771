// apps/v1 Deployment: definition and the table kubectl prints (printDeployment).
import { defineResource } from '../define-resource.ts';
import { statusStrategyOf } from '../generic/status-strategy.ts';
import { column, fieldColumns, int, spec, status, workloadTable } from '../groups/common/printers.ts';
import { isValidSelector, selectorString } from '../groups/common/selectors.ts';
import { REPLICAS_SCALE } from './scale.ts';
import { deploymentStrategy } from './deployment-strategy.ts';

export const deploymentTable = workloadTable({
  columns: [
    column('Ready', 'string', 'Number of the pod with ready state'),
    ...fieldColumns('V1DeploymentStatus', 'string', { 'Up-to-date': 'updatedReplicas', Available: 'availableReplicas' }),
  ],
  cells(obj) {
    const st = status(obj);
    return [`${int(st.readyReplicas)}/${int(spec(obj).replicas)}`, int(st.updatedReplicas), int(st.availableReplicas)];
  },
  template: (obj) => spec(obj).template,
  selector: { model: 'V1DeploymentSpec', cell: (obj) => (isValidSelector(spec(obj).selector) ? selectorString(spec(obj).selector) : '<invalid>') },
});

export const deployments = defineResource({
  apiVersion: 'apps/v1', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'],
  subresources: { status: true, scale: REPLICAS_SCALE },
  strategy: deploymentStrategy,
  // deploymentStatusStrategy.PrepareForUpdate keeps the stored labels as well as the spec.
  statusStrategy: statusStrategyOf({}, ['labels']),
  table: deploymentTable,
});
