// Building blocks for the Table columns of pkg/printers/internalversion/printers.go: column
// descriptions come from the OpenAPI models (upstream uses the same SwaggerDoc texts).
import models from '../../openapi/models.generated.json' with { type: 'json' };
import type { TableColumnDefinition } from '../types.ts';
import { translateTimestampSince } from './human-duration.ts';
import type { KObject } from '../../apimachinery/types.ts';

type Models = Record<string, { description?: string; properties?: Record<string, { description?: string }> }>;

/** The SwaggerDoc text of a model field, e.g. doc('V1ServiceSpec', 'clusterIP'). */
export function doc(model: string, field: string): string {
  return (models as Models)[model]?.properties?.[field]?.description ?? '';
}

export function column(
  name: string, description: string, opts: { type?: TableColumnDefinition['type']; priority?: number; format?: string } = {},
): TableColumnDefinition {
  const c: TableColumnDefinition = { name, type: opts.type ?? 'string', description, priority: opts.priority ?? 0 };
  if (opts.format) c.format = opts.format;
  return c;
}

export const nameColumn = (): TableColumnDefinition => column('Name', doc('V1ObjectMeta', 'name'), { format: 'name' });
export const ageColumn = (): TableColumnDefinition => column('Age', doc('V1ObjectMeta', 'creationTimestamp'));

export function age(obj: KObject, now: Date): string {
  return translateTimestampSince(obj.metadata.creationTimestamp, now);
}

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  if (!labels || typeof labels !== 'object') return '<none>';
  const keys = Object.keys(labels as object).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',');
}

/** layoutContainerCells: container names and images, comma-separated. */
export function layoutContainerCells(containers: unknown): [string, string] {
  const list = Array.isArray(containers) ? containers : [];
  return [list.map((c) => c?.name ?? '').join(','), list.map((c) => c?.image ?? '').join(',')];
}

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

/** The DefaultTableConvertor columns (NAME, CREATED AT) for kinds without a printer. */
export const defaultTable = {
  columns: [nameColumn(), column('Created At', doc('V1ObjectMeta', 'creationTimestamp'), { type: 'date' })],
  cells: (obj: KObject): unknown[] => [obj.metadata.name, obj.metadata.creationTimestamp],
};
