// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: one declaration for both scopes,
// with printRoleBinding's columns.
import type { ResourceDefinition } from '../../types.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { defaultBinding, subjectsStrings, validateBinding, validateRoleRefUnchanged } from './rbac-validation.ts';

function bindingResource(kind: 'RoleBinding' | 'ClusterRoleBinding'): ResourceDefinition {
  const clusterScoped = kind === 'ClusterRoleBinding';
  // The wide columns' descriptions name the kind in lower camel case ("Users in the roleBinding").
  const what = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}`;
  return defineResource({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    namespaced: !clusterScoped,
    strategy: {
      defaults: defaultBinding,
      validate: (obj) => validateBinding(obj, clusterScoped),
      validateUpdate: validateRoleRefUnchanged,
    },
    table: defineTable({
      columns: [column('Role', 'string', swaggerDoc(`V1${kind}`, 'roleRef'))],
      afterAge: ['Users', 'Groups', 'ServiceAccounts'].map((who) => column(who, 'string', `${who} in the ${what}`, 1)),
      cells(obj) {
        const ref = (obj.roleRef ?? {}) as Record<string, string>;
        return [`${ref.kind ?? ''}/${ref.name ?? ''}`, ...subjectsStrings(obj.subjects)];
      },
    }),
  });
}

export const rolebindings = bindingResource('RoleBinding');
export const clusterrolebindings = bindingResource('ClusterRoleBinding');
