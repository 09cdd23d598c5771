// meta.k8s.io Table output (kubectl get's server-side printing) and PartialObjectMetadata views.
import type { KList, KObject } from '../apimachinery/types.ts';
import type { ResourceDefinition, TableColumnDefinition } from '../registry/types.ts';

const DEFAULT_COLUMNS: TableColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', priority: 0 },
  { name: 'Created At', type: 'date', description: 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata', priority: 0 },
];

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KObject, viewVersion = 'v1'): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${viewVersion}`, metadata: obj.metadata };
}

export function partialObjectMetadataList(list: KList, viewVersion = 'v1'): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${viewVersion}`,
    metadata: list.metadata,
    items: list.items.map((o) => partialObjectMetadata(o, viewVersion)),
  };
}

function cellsOf(def: ResourceDefinition, obj: KObject, now: Date): unknown[] {
  if (def.table) {
    try {
      return def.table.cells(obj, now);
    } catch {
      // A malformed stored object must not break listing; show what we can.
      return def.table.columns.map((c, i) => (i === 0 ? obj.metadata.name : '<unknown>'));
    }
  }
  return [obj.metadata.name, obj.metadata.creationTimestamp];
}

export interface TableOptions {
  includeObject: IncludeObject;
  noHeaders?: boolean;
  viewVersion: string;
  now: Date;
}

export function toTable(def: ResourceDefinition, items: KObject[], meta: KList['metadata'] | undefined, opts: TableOptions): Record<string, unknown> {
  const rows = items.map((obj) => {
    const row: Record<string, unknown> = { cells: cellsOf(def, obj, opts.now) };
    if (opts.includeObject === 'Metadata') row.object = partialObjectMetadata(obj, opts.viewVersion);
    else if (opts.includeObject === 'Object') row.object = obj;
    return row;
  });
  const table: Record<string, unknown> = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.viewVersion}`,
    metadata: meta ?? { resourceVersion: items[0]?.metadata.resourceVersion },
    columnDefinitions: opts.noHeaders ? [] : (def.table?.columns ?? DEFAULT_COLUMNS),
    rows,
  };
  return table;
}

export function includeObjectOf(q: unknown): IncludeObject {
  return q === 'None' || q === 'Object' ? q : 'Metadata';
}
