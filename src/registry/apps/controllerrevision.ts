// apps/v1 ControllerRevision: the immutable snapshots StatefulSets and DaemonSets keep for rollback.
import type { FieldError } from '../../apimachinery/errors.ts';
import { immutable, nonNegative, required } from '../../apimachinery/validation.ts';
import { defineResource } from '../define-resource.ts';
import { column, defineTable } from '../groups/common/printers.ts';
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

export const controllerRevisionTable = defineTable({
  columns: [column('Controller', 'string', 'Controller of the object'), column('Revision', 'string', swaggerDoc('V1ControllerRevision', 'revision'))],
  cells: (obj) => [controllerName(obj.metadata.ownerReferences), typeof obj.revision === 'number' ? obj.revision : 0],
});

export const controllerrevisions = defineResource({
  apiVersion: 'apps/v1', kind: 'ControllerRevision', namespaced: true,
  strategy: {
    // ValidateControllerRevision / ValidateControllerRevisionUpdate.
    validate(obj) {
      const errs: FieldError[] = [];
      if (obj.data === undefined || obj.data === null) errs.push(required('data', 'data is mandatory'));
      errs.push(...nonNegative(obj.revision, 'revision'));
      return errs;
    },
    validateUpdate: (obj, old) => immutable(obj.data, old.data, 'data'),
  },
  table: controllerRevisionTable,
});
