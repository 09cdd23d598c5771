// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: printRoleBinding's columns.
import type { KObject } from '../../../apimachinery/types.ts';
import type { ResourceDefinition, ResourceStrategy, TableConvertor } from '../../types.ts';
import { age, ageColumn, column, nameColumn } from '../common/printers.ts';
import { swaggerDoc } from '../common/swagger-doc.ts';
import { defaultBinding, subjectsStrings, validateBinding, validateRoleRefUnchanged } from './rbac-validation.ts';

function bindingTable(what: string, model: string): TableConvertor {
  return {
    columns: [
      nameColumn,
      column('Role', 'string', swaggerDoc(model, 'roleRef')),
      ageColumn,
      column('Users', 'string', `Users in the ${what}`, 1),
      column('Groups', 'string', `Groups in the ${what}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${what}`, 1),
    ],
    cells(obj: KObject, now: Date) {
      const ref = (obj.roleRef ?? {}) as Record<string, string>;
      return [obj.metadata.name, `${ref.kind ?? ''}/${ref.name ?? ''}`, age(obj, now), ...subjectsStrings(obj.subjects)];
    },
  };
}

function bindingStrategy(clusterScoped: boolean): ResourceStrategy {
  return {
    defaults: defaultBinding,
    validate: (obj) => validateBinding(obj, clusterScoped),
    validateUpdate: validateRoleRefUnchanged,
  };
}

export const rolebindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'RoleBinding',
  resource: 'rolebindings',
  singularName: 'rolebinding',
  namespaced: true,
  strategy: bindingStrategy(false),
  table: bindingTable('roleBinding', 'V1RoleBinding'),
  openapiModel: 'V1RoleBinding',
};

export const clusterrolebindings: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRoleBinding',
  resource: 'clusterrolebindings',
  singularName: 'clusterrolebinding',
  namespaced: false,
  strategy: bindingStrategy(true),
  table: bindingTable('clusterRoleBinding', 'V1ClusterRoleBinding'),
  openapiModel: 'V1ClusterRoleBinding',
};
