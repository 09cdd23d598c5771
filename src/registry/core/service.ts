// services: a stable virtual IP and ports in front of pods. Upstream pkg/registry/core/service.
import { defineResource } from '../define-resource.ts';
import { serviceStatusStrategy, serviceStrategy } from './service-strategy.ts';
import { serviceTable } from './service-table.ts';

export const serviceResource = defineResource({
  apiVersion: 'v1', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'],
  subresources: { status: true, custom: ['proxy'] },
  strategy: serviceStrategy,
  statusStrategy: serviceStatusStrategy,
  table: serviceTable,
  selectableFields: (svc) => ({
    'spec.clusterIP': String((svc.spec as Record<string, unknown>)?.clusterIP ?? ''),
    'spec.type': String((svc.spec as Record<string, unknown>)?.type ?? ''),
  }),
  storagePrefix: 'services/specs',
});
