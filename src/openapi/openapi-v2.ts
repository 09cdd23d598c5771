// /openapi/v2: one Swagger 2.0 document with every path and definition.
import type { OpenAPIV2 } from 'openapi-types';
import type { ResourceDefinition } from '../registry/types.ts';
import { nameResolver } from './definition-names.ts';
import { buildDefinitions } from './definitions.ts';
import { allPaths, sortPaths } from './document-paths.ts';
import type { OperationSpec, PathSpec } from './path-builder.ts';
import type { ParameterSpec } from './parameters.ts';
import { OPENAPI_INFO_VERSION } from './info.ts';

function parameterV2(p: ParameterSpec): OpenAPIV2.Parameter {
  const out: OpenAPIV2.Parameter = { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in };
  if (p.required) out.required = true;
  return out;
}

function operationV2(op: OperationSpec): OpenAPIV2.OperationObject {
  const parameters: OpenAPIV2.Parameters = [];
  if (op.body) parameters.push({ name: 'body', in: 'body', required: op.body.required, schema: op.body.schema });
  parameters.push(...op.params.map(parameterV2));
  const responses: OpenAPIV2.ResponsesObject = {};
  for (const r of op.responses) responses[r.code] = r.schema ? { description: r.description, schema: r.schema } : { description: r.description };
  const out: OpenAPIV2.OperationObject & Record<`x-${string}`, unknown> = {
    responses,
    description: op.description,
    consumes: op.consumes,
    produces: op.produces,
    schemes: ['https'],
    tags: op.tags,
    operationId: op.operationId,
  };
  if (parameters.length) out.parameters = parameters;
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

export function pathItemV2(p: PathSpec): OpenAPIV2.PathItemObject {
  const item: OpenAPIV2.PathItemObject = {};
  for (const op of p.ops) item[op.method] = operationV2(op);
  if (p.params.length) item.parameters = p.params.map(parameterV2);
  return item;
}

export function buildOpenAPIV2(defs: ResourceDefinition[]): OpenAPIV2.Document {
  const resolve = nameResolver(defs);
  const paths: OpenAPIV2.PathsObject = {};
  for (const p of sortPaths(allPaths(defs, resolve))) paths[p.path] = pathItemV2(p);
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    definitions: buildDefinitions(defs, resolve),
    securityDefinitions: {
      BearerToken: { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' },
    },
    security: [{ BearerToken: [] }],
  };
}
