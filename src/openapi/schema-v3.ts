// Swagger 2.0 schema → OpenAPI 3.0 schema, the way kube-openapi's builder3 writes them: refs point
// into components/schemas, and a $ref with siblings (description, patch strategy) becomes
// allOf: [{$ref}] beside them, which is the form kubectl's PatchMetaFromOpenAPIV3 and explain read.
import type { OpenAPIV3 } from 'openapi-types';
import type { Schema } from './schema-builder.ts';
import { SPECIAL_ONE_OF_V3 } from './special-types.ts';

export type SchemaV3 = OpenAPIV3.SchemaObject & Record<string, unknown>;

const V2_PREFIX = '#/definitions/';
const V3_PREFIX = '#/components/schemas/';

export function schemaRefV3(name: string): { $ref: string } {
  return { $ref: `${V3_PREFIX}${name}` };
}

export function toV3Schema(schema: Schema): SchemaV3 | OpenAPIV3.ReferenceObject {
  const { $ref, items, properties, additionalProperties, ...rest } = schema as Schema & { $ref?: string };
  const out: Record<string, unknown> = {};
  if ($ref !== undefined) {
    const target = { $ref: $ref.startsWith(V2_PREFIX) ? V3_PREFIX + $ref.slice(V2_PREFIX.length) : $ref };
    if (Object.keys(rest).length === 0) return target;
    out.allOf = [target];
  }
  Object.assign(out, rest);
  if (items !== undefined) out.items = toV3Schema(items as Schema);
  if (properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toV3Schema(v as Schema)]));
  }
  if (additionalProperties !== undefined) {
    out.additionalProperties = typeof additionalProperties === 'boolean' ? additionalProperties : toV3Schema(additionalProperties as Schema);
  }
  return out as SchemaV3;
}

export function definitionToV3(name: string, schema: Schema): SchemaV3 {
  const out = toV3Schema(schema) as SchemaV3;
  const oneOf = SPECIAL_ONE_OF_V3[name];
  if (oneOf) {
    delete out.type;
    out.oneOf = oneOf as SchemaV3['oneOf'];
  }
  return out;
}

/** Names of the definitions a JSON value refers to ("#/components/schemas/X" or "#/definitions/X"). */
export function collectRefs(value: unknown, into: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        into.add(v.startsWith(V3_PREFIX) ? v.slice(V3_PREFIX.length) : v.startsWith(V2_PREFIX) ? v.slice(V2_PREFIX.length) : v);
      } else {
        collectRefs(v, into);
      }
    }
  }
  return into;
}
