// rbac.authorization.k8s.io/v1 Role and ClusterRole: no printer upstream, so the default
// NAME / CREATED AT table.
import type { ResourceDefinition } from '../../types.ts';
import { defaultTableConvertor } from '../common/default-table.ts';
import { validateAggregationRule, validatePolicyRules } from './rbac-validation.ts';

export const roles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'Role',
  resource: 'roles',
  singularName: 'role',
  namespaced: true,
  strategy: { validate: (obj) => validatePolicyRules(obj.rules, true) },
  table: defaultTableConvertor,
  openapiModel: 'V1Role',
};

export const clusterroles: ResourceDefinition = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  kind: 'ClusterRole',
  resource: 'clusterroles',
  singularName: 'clusterrole',
  namespaced: false,
  strategy: { validate: (obj) => [...validatePolicyRules(obj.rules, false), ...validateAggregationRule(obj)] },
  table: defaultTableConvertor,
  openapiModel: 'V1ClusterRole',
};
