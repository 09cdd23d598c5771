// networking.k8s.io/v1 IngressClass (cluster-scoped): ValidateIngressClass and printIngressClass.
import type { FieldError } from '../../../apimachinery/errors.ts';
import { immutable } from '../../../apimachinery/validation.ts';
import { defineResource } from '../../define-resource.ts';
import { column, defineTable, spec } from '../common/printers.ts';

type Obj = Record<string, any>;

const SCOPES = ['Cluster', 'Namespace'];

function validateIngressClassSpec(s: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const controller = s.controller;
  if (!controller) errs.push({ type: 'FieldValueRequired', field: 'spec.controller' });
  else if (String(controller).length > 250) errs.push({ type: 'FieldValueTooLong', field: 'spec.controller', detail: 'may not be more than 250 bytes' });
  const params = s.parameters as Obj | undefined;
  if (params) {
    if (!params.kind) errs.push({ type: 'FieldValueRequired', field: 'spec.parameters.kind', detail: 'kind is required' });
    if (!params.name) errs.push({ type: 'FieldValueRequired', field: 'spec.parameters.name', detail: 'name is required' });
    if (params.scope !== undefined && !SCOPES.includes(params.scope)) {
      errs.push({ type: 'FieldValueNotSupported', field: 'spec.parameters.scope', badValue: params.scope, detail: 'supported values: "Cluster", "Namespace"' });
    }
    if (params.scope === 'Namespace' && !params.namespace) errs.push({ type: 'FieldValueRequired', field: 'spec.parameters.namespace', detail: '`parameters.scope` is set to "Namespace"' });
  }
  return errs;
}

/** printIngressClass's PARAMETERS: "Kind.apiGroup/name" or "<none>". */
function parameters(p: Obj | undefined): string {
  if (!p) return '<none>';
  return `${p.kind ?? ''}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name ?? ''}`;
}

export const ingressclasses = defineResource({
  apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', namespaced: false,
  strategy: {
    defaults(obj) {
      // SetDefaults_IngressClass: parameters.scope Cluster.
      const p = (obj.spec as Obj | undefined)?.parameters as Obj | undefined;
      if (p && !p.scope) p.scope = 'Cluster';
    },
    validate: (obj) => validateIngressClassSpec(spec(obj)),
    validateUpdate: (obj, old) => immutable(spec(obj).controller, spec(old).controller, 'spec.controller'),
  },
  table: defineTable({
    columns: [
      column('Controller', 'string', 'Controller that is responsible for handling this class'),
      column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ],
    cells: (obj) => [spec(obj).controller ?? '', parameters(spec(obj).parameters)],
  }),
});
