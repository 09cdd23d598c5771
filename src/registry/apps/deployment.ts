// apps/v1 Deployment: definition and the table kubectl prints (printDeployment).
import type { ResourceDefinition, TableConvertor } from '../types.ts';
import { age, ageColumn, column, containersColumn, imagesColumn, int, layoutContainerCells, nameColumn, spec, status, templateContainers } from '../groups/common/printers.ts';
import { isValidSelector, selectorString } from '../groups/common/selectors.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import { deploymentStrategy } from './deployment-strategy.ts';

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', swaggerDoc('V1DeploymentStatus', 'updatedReplicas')),
    column('Available', 'string', swaggerDoc('V1DeploymentStatus', 'availableReplicas')),
    ageColumn,
    containersColumn,
    imagesColumn,
    column('Selector', 'string', swaggerDoc('V1DeploymentSpec', 'selector'), 1),
  ],
  cells(obj, now) {
    const s = spec(obj);
    const st = status(obj);
    const [names, images] = layoutContainerCells(templateContainers(s.template));
    const selector = isValidSelector(s.selector) ? selectorString(s.selector) : '<invalid>';
    return [obj.metadata.name, `${int(st.readyReplicas)}/${int(s.replicas)}`, int(st.updatedReplicas), int(st.availableReplicas), age(obj, now), names, images, selector];
  },
};

export const deployments: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  resource: 'deployments',
  singularName: 'deployment',
  namespaced: true,
  shortNames: ['deploy'],
  categories: ['all'],
  subresources: {
    status: true,
    scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' },
  },
  strategy: deploymentStrategy,
  table: deploymentTable,
  openapiModel: 'V1Deployment',
};
