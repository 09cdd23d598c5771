// Swagger 2.0 definitions for client-node models: types, formats, descriptions, required fields,
// $refs under upstream definition names, patch strategy/merge key, list types and the
// x-kubernetes-group-version-kind of served kinds. The v3 documents are converted from these.
import type { OpenAPIV2 } from 'openapi-types';
import type { NameResolver } from './definition-names.ts';
import { INT_OR_STRING, MICRO_TIME, QUANTITY, RAW_EXTENSION, TIME } from './known-types.ts';
import { type FieldType, type Model, type ModelField, getModel, parseFieldType } from './model-registry.ts';
import { patchMetaFor } from './patch-metadata.ts';
import { ANY_FIELD_REFS, LIST_TYPES, MICRO_TIME_FIELDS, QUANTITY_FIELDS } from './special-types.ts';

export type Schema = OpenAPIV2.SchemaObject & Record<`x-${string}`, unknown>;

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

export function definitionRef(name: string): string {
  return `#/definitions/${name}`;
}

/**
 * client-node keeps no description on fields that reference another type; upstream has one. We
 * restore the conventional ones (metadata, spec, status); others stay without (kubectl explain then
 * shows the type's description, which it prints anyway).
 */
function fallbackDescription(modelName: string, model: Model, field: string): string | undefined {
  const isObject = 'kind' in model.properties && 'apiVersion' in model.properties;
  if (isObject && field === 'metadata') {
    return 'items' in model.properties
      ? `Standard list metadata. More info: ${CONVENTIONS}#types-kinds`
      : `Standard object's metadata. More info: ${CONVENTIONS}#metadata`;
  }
  if (isObject && field === 'spec') return `Specification of the desired behavior of the ${modelKind(modelName)}. More info: ${CONVENTIONS}#spec-and-status`;
  if (isObject && field === 'status') {
    return `Most recently observed status of the ${modelKind(modelName)}. This data may not be up to date. Populated by the system. Read-only. More info: ${CONVENTIONS}#spec-and-status`;
  }
  return undefined;
}

function modelKind(modelName: string): string {
  return modelName.replace(/^([A-Z][a-z]+)?V\d+(?:alpha\d+|beta\d+)?/, '');
}

function typeSchema(t: FieldType, resolve: NameResolver, special: string | undefined): Schema {
  switch (t.kind) {
    case 'primitive':
      if (special === QUANTITY) return { $ref: definitionRef(QUANTITY) };
      if (t.type === 'number') {
        return t.format === 'int32' || t.format === 'int64' ? { type: 'integer', format: t.format } : { type: 'number', format: t.format ?? 'double' };
      }
      return t.format ? { type: t.type, format: t.format } : { type: t.type };
    case 'date':
      return { $ref: definitionRef(special === MICRO_TIME ? MICRO_TIME : TIME) };
    case 'any':
      return special ? { $ref: definitionRef(special) } : { type: 'object' };
    case 'intOrString':
      return { $ref: definitionRef(INT_OR_STRING) };
    case 'model':
      return getModel(t.name) ? { $ref: definitionRef(resolve(t.name)) } : { type: 'object' };
    case 'array':
      return { type: 'array', items: typeSchema(t.items, resolve, special) as OpenAPIV2.ItemsObject };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.values, resolve, special) };
  }
}

function fieldSchema(modelName: string, model: Model, field: string, f: ModelField, resolve: NameResolver): Schema {
  const key = `${modelName}.${field}`;
  const special = QUANTITY_FIELDS.has(key) ? QUANTITY : MICRO_TIME_FIELDS.has(key) ? MICRO_TIME : ANY_FIELD_REFS[key];
  const t = parseFieldType(f.type, f.format);
  const schema: Schema = typeSchema(t, resolve, special ?? (t.kind === 'any' && /\bRawExtension\b|arbitrary/.test(f.description ?? '') ? RAW_EXTENSION : undefined));
  const description = f.description ?? fallbackDescription(modelName, model, field);
  if (description) schema.description = description;
  const pm = patchMetaFor(modelName, field);
  if (pm?.mergeKey) schema['x-kubernetes-patch-merge-key'] = pm.mergeKey;
  if (pm) schema['x-kubernetes-patch-strategy'] = pm.strategy;
  const lt = LIST_TYPES[key];
  if (lt?.mapKeys) schema['x-kubernetes-list-map-keys'] = lt.mapKeys;
  if (lt) schema['x-kubernetes-list-type'] = lt.type;
  return schema;
}

/** The definition of one model; `gvks` marks it as a served kind (x-kubernetes-group-version-kind). */
export function modelDefinition(modelName: string, resolve: NameResolver, gvks: GVK[] = []): Schema | undefined {
  const model = getModel(modelName);
  if (!model) return undefined;
  const schema: Schema = {};
  if (model.description) schema.description = model.description;
  schema.type = 'object';
  const names = Object.keys(model.properties).sort();
  const required = names.filter((n) => model.properties[n]!.required);
  if (required.length) schema.required = required;
  const properties: Record<string, Schema> = {};
  for (const n of names) properties[n] = fieldSchema(modelName, model, n, model.properties[n]!, resolve);
  schema.properties = properties;
  if (gvks.length) {
    schema['x-kubernetes-group-version-kind'] = gvks.map(({ group, kind, version }) => ({ group, kind, version }));
  }
  return schema;
}
