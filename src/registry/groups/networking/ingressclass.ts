// networking.k8s.io/v1 IngressClass (cluster-scoped): ValidateIngressClass and printIngressClass.
import type { FieldError } from '../../../apimachinery/errors.ts';
import type { ResourceDefinition } from '../../types.ts';
import { age, ageColumn, column, nameColumn, spec } from '../common/printers.ts';

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

export const ingressclasses: ResourceDefinition = {
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  resource: 'ingressclasses',
  singularName: 'ingressclass',
  namespaced: false,
  strategy: {
    defaults(obj) {
      // SetDefaults_IngressClass: parameters.scope Cluster.
      const p = (obj.spec as Obj | undefined)?.parameters as Obj | undefined;
      if (p && !p.scope) p.scope = 'Cluster';
    },
    validate: (obj) => validateIngressClassSpec(spec(obj)),
    validateUpdate(obj, old) {
      if (spec(obj).controller === spec(old).controller) return [];
      return [{ type: 'FieldValueInvalid', field: 'spec.controller', badValue: spec(obj).controller, detail: 'field is immutable' }];
    },
  },
  table: {
    columns: [
      nameColumn,
      column('Controller', 'string', 'Controller that is responsible for handling this class'),
      column('Parameters', 'string', 'A reference to a resource with additional parameters'),
      ageColumn,
    ],
    cells: (obj, now) => [obj.metadata.name, spec(obj).controller ?? '', parameters(spec(obj).parameters), age(obj, now)],
  },
  openapiModel: 'V1IngressClass',
};
