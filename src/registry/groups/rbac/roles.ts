// rbac.authorization.k8s.io/v1 Role and ClusterRole: no printer upstream, so the default
// NAME / CREATED AT table.
import { defineResource } from '../../define-resource.ts';
import { defaultTableConvertor } from '../common/default-table.ts';
import { validateAggregationRule, validatePolicyRules } from './rbac-validation.ts';

export const roles = defineResource({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', namespaced: true,
  strategy: { validate: (obj) => validatePolicyRules(obj.rules, true) },
  table: defaultTableConvertor,
});

export const clusterroles = defineResource({
  apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', namespaced: false,
  strategy: { validate: (obj) => [...validatePolicyRules(obj.rules, false), ...validateAggregationRule(obj)] },
  table: defaultTableConvertor,
});
