// serviceaccounts: identities for pods; tokens are minted through the custom 'token' subresource.
import { defineResource } from '../define-resource.ts';
import { column, defineTable } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

export const serviceAccountResource = defineResource({
  apiVersion: 'v1', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'],
  subresources: { custom: ['token'] },
  strategy: { allowCreateOnUpdate: true },
  table: defineTable({
    columns: [column('Secrets', 'string', swaggerDoc('V1ServiceAccount', 'secrets'))],
    cells: (sa) => [Array.isArray(sa.secrets) ? sa.secrets.length : 0],
  }),
});
