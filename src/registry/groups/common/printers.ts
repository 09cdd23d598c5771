// Shared pieces of upstream's printers (pkg/printers/internalversion/printers.go): the Name and Age
// columns, container name/image cells and timestamps as kubectl shows them.
import type { KObject } from '../../../apimachinery/types.ts';
import type { TableColumnDefinition } from '../../types.ts';
import { formatLabels } from '../../../apimachinery/labels.ts';
import { translateTimestampSince } from '../../core/human-duration.ts';
import { swaggerDoc } from './swagger-doc.ts';

type Obj = Record<string, any>;

export function column(name: string, type: TableColumnDefinition['type'], description: string, priority = 0): TableColumnDefinition {
  return { name, type, description, priority };
}

export const nameColumn: TableColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: swaggerDoc('V1ObjectMeta', 'name'), priority: 0 };
export const ageColumn: TableColumnDefinition = column('Age', 'string', swaggerDoc('V1ObjectMeta', 'creationTimestamp'));
export const containersColumn = column('Containers', 'string', 'Names of each container in the template.', 1);
export const imagesColumn = column('Images', 'string', 'Images referenced by each container in the template.', 1);

export { translateTimestampSince };

export function age(obj: KObject, now: Date): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** layoutContainerCells: comma-joined names and images. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const list = Array.isArray(containers) ? (containers as Obj[]) : [];
  return [list.map((c) => c?.name ?? '').join(','), list.map((c) => c?.image ?? '').join(',')];
}

/** containers of spec.template.spec (or of a deeper template path). */
export function templateContainers(template: unknown): unknown {
  return (template as Obj | undefined)?.spec?.containers;
}

export { formatLabels };

export function spec(obj: KObject): Obj {
  return (obj.spec ?? {}) as Obj;
}

export function status(obj: KObject): Obj {
  return (obj.status ?? {}) as Obj;
}

/** An int32 field that Go prints as 0 when unset. */
export function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}
