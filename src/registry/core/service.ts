// services: a stable virtual IP and ports in front of pods. Upstream pkg/registry/core/service.
import type { ResourceDefinition } from '../types.ts';
import { serviceStatusStrategy, serviceStrategy } from './service-strategy.ts';
import { serviceTable } from './service-table.ts';

export const serviceResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Service',
  resource: 'services',
  singularName: 'service',
  namespaced: true,
  shortNames: ['svc'],
  categories: ['all'],
  subresources: { status: true, custom: ['proxy'] },
  strategy: serviceStrategy,
  statusStrategy: serviceStatusStrategy,
  table: serviceTable,
  selectableFields: (svc) => ({
    'spec.clusterIP': String((svc.spec as Record<string, unknown>)?.clusterIP ?? ''),
    'spec.type': String((svc.spec as Record<string, unknown>)?.type ?? ''),
  }),
  openapiModel: 'V1Service',
  storagePrefix: 'services/specs',
};
