// Core-only pieces of pkg/printers/internalversion/printers.go. The shared table building blocks
// (columns, Name/Age, container cells, defineTable) are in groups/common/printers.ts; `column`, `doc`
// and `nameColumn` here are the older call form that core/event.ts still uses.
import type { KObject } from '../../apimachinery/types.ts';
import { column as printerColumn, nameColumn as printerNameColumn } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';
import type { TableColumnDefinition } from '../types.ts';

/** The SwaggerDoc text of a model field, e.g. doc('V1ServiceSpec', 'clusterIP'). */
export const doc = swaggerDoc;

export function column(
  name: string, description: string, opts: { type?: TableColumnDefinition['type']; priority?: number; format?: string } = {},
): TableColumnDefinition {
  const c = printerColumn(name, opts.type ?? 'string', description, opts.priority ?? 0);
  if (opts.format) c.format = opts.format;
  return c;
}

export const nameColumn = (): TableColumnDefinition => ({ ...printerNameColumn });

/** helper.GetAccessModesAsString: "RWO,ROX,RWX,RWOP" in that fixed order, without duplicates. */
export function accessModesAsString(modes: unknown): string {
  const list = Array.isArray(modes) ? modes : [];
  const out: string[] = [];
  const abbrev: [string, string][] = [
    ['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP'],
  ];
  for (const [mode, short] of abbrev) if (list.includes(mode)) out.push(short);
  return out.join(',');
}

/** The STORAGECLASS cell of volumes and claims: the field, else the beta annotation. */
export function storageClassOf(obj: KObject): string {
  return (obj.spec as Record<string, any> | undefined)?.storageClassName ?? obj.metadata.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? '';
}
