// apps/v1 ControllerRevision: the immutable snapshots StatefulSets and DaemonSets keep for rollback.
import type { FieldError } from '../../apimachinery/errors.ts';
import { nonNegative, required } from '../../apimachinery/validation.ts';
import type { ResourceDefinition, TableConvertor } from '../types.ts';
import { age, ageColumn, column, nameColumn } from '../groups/common/printers.ts';
import { swaggerDoc } from '../groups/common/swagger-doc.ts';

/** formatResourceName(GroupKind, name, true): "statefulset.apps/web". */
function controllerName(refs: unknown): string {
  const ref = (Array.isArray(refs) ? refs : []).find((r) => r?.controller === true);
  if (!ref) return '<none>';
  const apiVersion = String(ref.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = String(ref.kind ?? '');
  if (!kind && !group) return ref.name;
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name}`;
}

export const controllerRevisionTable: TableConvertor = {
  columns: [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', swaggerDoc('V1ControllerRevision', 'revision')),
    ageColumn,
  ],
  cells: (obj, now) => [obj.metadata.name, controllerName(obj.metadata.ownerReferences), typeof obj.revision === 'number' ? obj.revision : 0, age(obj, now)],
};

export const controllerrevisions: ResourceDefinition = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  resource: 'controllerrevisions',
  singularName: 'controllerrevision',
  namespaced: true,
  strategy: {
    // ValidateControllerRevision / ValidateControllerRevisionUpdate.
    validate(obj) {
      const errs: FieldError[] = [];
      if (obj.data === undefined || obj.data === null) errs.push(required('data', 'data is mandatory'));
      errs.push(...nonNegative(obj.revision, 'revision'));
      return errs;
    },
    validateUpdate(obj, old) {
      if (JSON.stringify(obj.data) === JSON.stringify(old.data)) return [];
      return [{ type: 'FieldValueInvalid', field: 'data', badValue: obj.data, detail: 'field is immutable' }];
    },
  },
  table: controllerRevisionTable,
  openapiModel: 'V1ControllerRevision',
};
