// /openapi/v3/{key}: one OpenAPI 3.0 document per group version (and for api, apis, apis/{g},
// version), holding only the schemas its paths reach. kubectl reads "api/v1" to learn whether the
// server supports server-side field validation: QueryParamVerifierV3 looks for `fieldValidation` in
// the parameters of the PATCH operation whose x-kubernetes-group-version-kind is v1 Namespace.
import type { OpenAPIV3 } from 'openapi-types';
import type { ResourceDefinition } from '../registry/types.ts';
import { nameResolver } from './definition-names.ts';
import { buildDefinitions } from './definitions.ts';
import { pathsForKey, sortPaths } from './document-paths.ts';
import { OPENAPI_INFO_VERSION } from './info.ts';
import type { OperationSpec, PathSpec } from './path-builder.ts';
import type { ParameterSpec } from './parameters.ts';
import type { Schema } from './schema-builder.ts';
import { collectRefs, definitionToV3, toV3Schema } from './schema-v3.ts';

function parameterV3(p: ParameterSpec): OpenAPIV3.ParameterObject {
  const out: OpenAPIV3.ParameterObject = { name: p.name, in: p.in, description: p.description };
  if (p.required) out.required = true;
  out.schema = { type: p.type, uniqueItems: true };
  return out;
}

function content(types: string[], schema: Schema): Record<string, OpenAPIV3.MediaTypeObject> {
  const s = toV3Schema(schema);
  return Object.fromEntries(types.map((t) => [t, { schema: s }]));
}

function operationV3(op: OperationSpec): OpenAPIV3.OperationObject {
  const responses: OpenAPIV3.ResponsesObject = {};
  for (const r of op.responses) {
    responses[r.code] = r.schema ? { description: r.description, content: content(op.produces, r.schema) } : { description: r.description };
  }
  const out: OpenAPIV3.OperationObject & Record<`x-${string}`, unknown> = { tags: op.tags, description: op.description, operationId: op.operationId, responses };
  if (op.params.length) out.parameters = op.params.map(parameterV3);
  if (op.body) out.requestBody = { content: content(op.consumes, op.body.schema), required: op.body.required };
  if (op.action) out['x-kubernetes-action'] = op.action;
  if (op.gvk) out['x-kubernetes-group-version-kind'] = { group: op.gvk.group, kind: op.gvk.kind, version: op.gvk.version };
  return out;
}

function pathItemV3(p: PathSpec): OpenAPIV3.PathItemObject {
  const item: OpenAPIV3.PathItemObject = {};
  for (const op of p.ops) item[op.method] = operationV3(op);
  if (p.params.length) item.parameters = p.params.map(parameterV3);
  return item;
}

/** All definitions of the served kinds, shared by every v3 document built from one registry. */
export type DefinitionsV2 = Record<string, Schema>;

export function buildOpenAPIV3(defs: ResourceDefinition[], key: string, definitions?: DefinitionsV2): OpenAPIV3.Document | undefined {
  const resolve = nameResolver(defs);
  const specs = pathsForKey(defs, key, resolve);
  if (!specs) return undefined;
  const all = definitions ?? buildDefinitions(defs, resolve);
  const paths: OpenAPIV3.PathsObject = {};
  for (const p of sortPaths(specs)) paths[p.path] = pathItemV3(p);

  // Only the schemas reachable from this document's paths, as upstream.
  const needed = new Set<string>();
  const queue = [...collectRefs(paths, new Set())];
  while (queue.length) {
    const name = queue.pop()!;
    if (needed.has(name) || !all[name]) continue;
    needed.add(name);
    queue.push(...collectRefs(all[name], new Set()));
  }
  const schemas: Record<string, OpenAPIV3.SchemaObject> = {};
  for (const name of [...needed].sort()) schemas[name] = definitionToV3(name, all[name]!);

  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: OPENAPI_INFO_VERSION },
    paths,
    components: {
      schemas,
      securitySchemes: {
        BearerToken: { type: 'apiKey', description: 'Bearer Token authentication', name: 'authorization', in: 'header' },
      },
    },
    security: [{ BearerToken: [] }],
  };
}
