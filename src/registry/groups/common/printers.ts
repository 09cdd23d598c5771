// Shared pieces of upstream's printers (pkg/printers/internalversion/printers.go): the Name and Age
// columns, container name/image cells and timestamps as kubectl shows them, and the table shapes
// (defineTable, workloadTable) every kind's printer is declared with.
import type { KObject } from '../../../apimachinery/types.ts';
import type { TableColumnDefinition, TableConvertor } from '../../types.ts';
import { formatLabels } from '../../../apimachinery/labels.ts';
import { translateTimestampSince } from '../../core/human-duration.ts';
import { swaggerDoc } from './swagger-doc.ts';

type Obj = Record<string, any>;

export function column(name: string, type: TableColumnDefinition['type'], description: string, priority = 0): TableColumnDefinition {
  return { name, type, description, priority };
}

export const nameColumn: TableColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: swaggerDoc('V1ObjectMeta', 'name'), priority: 0 };
export const ageColumn: TableColumnDefinition = column('Age', 'string', swaggerDoc('V1ObjectMeta', 'creationTimestamp'));

/** Columns of one type that show fields of one model, described by the model's field docs, in order. */
export function fieldColumns(model: string, type: TableColumnDefinition['type'], fields: Record<string, string>, priority = 0): TableColumnDefinition[] {
  return Object.entries(fields).map(([name, field]) => column(name, type, swaggerDoc(model, field), priority));
}

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

export interface TableDeclaration {
  /** The columns between Name and Age. */
  columns: TableColumnDefinition[];
  /** Columns after Age: mostly the -o wide ones. */
  afterAge?: TableColumnDefinition[];
  /** The cells of `columns`, then of `afterAge`; the Name and Age cells are added around them. */
  cells(obj: KObject, now: Date): unknown[];
  /** The Name cell where it is more than metadata.name (StorageClass marks the default class). */
  name?(obj: KObject): string | undefined;
}

/** A printer's table in upstream's usual shape: Name, the kind's columns, Age, then the wide ones. */
export function defineTable(t: TableDeclaration): TableConvertor {
  const n = t.columns.length;
  return {
    columns: [nameColumn, ...t.columns, ageColumn, ...(t.afterAge ?? [])],
    cells(obj, now) {
      const cells = t.cells(obj, now);
      return [t.name ? t.name(obj) : obj.metadata.name, ...cells.slice(0, n), age(obj, now), ...cells.slice(n)];
    },
  };
}

export interface WorkloadTableDeclaration extends Pick<TableDeclaration, 'columns' | 'cells'> {
  /** The pod template whose containers and images the wide columns list. */
  template(obj: KObject): unknown;
  /** The wide Selector column: the model whose `selector` field describes it, and its cell. */
  selector?: { model: string; cell(obj: KObject): string };
}

/** The workload printers (Deployment, ReplicaSet, DaemonSet, CronJob, …): -o wide adds Containers, Images, Selector. */
export function workloadTable(t: WorkloadTableDeclaration): TableConvertor {
  const { selector } = t;
  return defineTable({
    columns: t.columns,
    afterAge: [containersColumn, imagesColumn, ...(selector ? [column('Selector', 'string', swaggerDoc(selector.model, 'selector'), 1)] : [])],
    cells(obj, now) {
      const [names, images] = layoutContainerCells(templateContainers(t.template(obj)));
      return [...t.cells(obj, now), names, images, ...(selector ? [selector.cell(obj)] : [])];
    },
  });
}
