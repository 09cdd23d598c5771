// serviceaccounts: identities for pods; tokens are minted through the custom 'token' subresource.
import type { ResourceDefinition } from '../types.ts';
import { age, ageColumn, column, doc, nameColumn } from './table-helpers.ts';

export const serviceAccountResource: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  resource: 'serviceaccounts',
  singularName: 'serviceaccount',
  namespaced: true,
  shortNames: ['sa'],
  subresources: { custom: ['token'] },
  strategy: { allowCreateOnUpdate: true },
  table: {
    columns: [nameColumn(), column('Secrets', doc('V1ServiceAccount', 'secrets')), ageColumn()],
    cells: (sa, now) => [sa.metadata.name, Array.isArray(sa.secrets) ? sa.secrets.length : 0, age(sa, now)],
  },
  openapiModel: 'V1ServiceAccount',
};
