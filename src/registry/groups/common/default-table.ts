// rest.NewDefaultTableConvertor: what the apiserver returns for kinds without a printer
// (roles, clusterroles, …): NAME and CREATED AT (an RFC 3339 date).
import type { TableConvertor } from '../../types.ts';
import { nameColumn } from './printers.ts';
import { swaggerDoc } from './swagger-doc.ts';

export const defaultTableConvertor: TableConvertor = {
  columns: [nameColumn, { name: 'Created At', type: 'date', description: swaggerDoc('V1ObjectMeta', 'creationTimestamp'), priority: 0 }],
  cells: (obj) => [obj.metadata.name ?? '', obj.metadata.creationTimestamp ?? null],
};
