// A Swagger 2.0 document (as served in JSON) → gnostic's openapi.v2.Document message, as a plain object
// keyed by the proto field names of openapiv2.descriptor.generated.json. This is the shape
// kube-apiserver's protobuf /openapi/v2 has (gnostic parses the JSON, then proto-marshals it):
//  - JSON maps become ordered lists of Named* {name, value} (definitions, properties, paths, responses…);
//  - `type` is a TypeItem {value: [..]}, `items` an ItemsItem {schema: [..]}, `additionalProperties`
//    an AdditionalPropertiesItem {schema | boolean};
//  - free-form values (`default`, `example`, `enum` members, every `x-…` extension) are Any {yaml},
//    YAML text that kubectl reads back with a YAML 1.1 parser.
//  - parameters and responses are one-of wrappers chosen by `in`, `$ref` and `type: file`.
import { stringify as stringifyYaml } from 'yaml';

type Obj = Record<string, unknown>;
export type GnosticMessage = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const objOf = (v: unknown): Obj => (isObj(v) ? v : {});

/** Any {yaml}; YAML 1.1 so that strings such as "yes" or "on" stay quoted strings for kubectl's parser. */
function anyValue(value: unknown): GnosticMessage {
  return { yaml: stringifyYaml(value, { version: '1.1', lineWidth: 0 }) };
}

/** Copies the listed JSON keys (json → proto name) that are present. */
function copy(into: GnosticMessage, from: Obj, fields: Record<string, string>): GnosticMessage {
  for (const [json, proto] of Object.entries(fields)) if (from[json] !== undefined) into[proto] = from[json];
  return into;
}

/** `x-…` keys as NamedAny, in document order. */
function vendorExtensions(into: GnosticMessage, from: Obj, field = 'vendor_extension'): GnosticMessage {
  const ext = Object.entries(from).filter(([k]) => k.startsWith('x-')).map(([name, value]) => ({ name, value: anyValue(value) }));
  if (ext.length) into[field] = ext;
  return into;
}

/**
 * A JSON map as a list of {name, value}. Where the message also has vendor_extension (Paths,
 * Responses), `x-…` keys are extensions rather than entries and are left out.
 */
function named(map: unknown, value: (v: unknown) => unknown, hasExtensions = false): GnosticMessage[] {
  return Object.entries(objOf(map)).filter(([k]) => !(hasExtensions && k.startsWith('x-'))).map(([name, v]) => ({ name, value: value(v) }));
}

const VALIDATION_FIELDS = {
  maximum: 'maximum', exclusiveMaximum: 'exclusive_maximum', minimum: 'minimum', exclusiveMinimum: 'exclusive_minimum',
  maxLength: 'max_length', minLength: 'min_length', pattern: 'pattern', maxItems: 'max_items', minItems: 'min_items',
  uniqueItems: 'unique_items', multipleOf: 'multiple_of',
};

function withDefaultAndEnum(into: GnosticMessage, from: Obj): GnosticMessage {
  if (from.default !== undefined) into.default = anyValue(from.default);
  if (Array.isArray(from.enum)) into.enum = from.enum.map(anyValue);
  return into;
}

function externalDocs(v: unknown): GnosticMessage {
  const o = objOf(v);
  return vendorExtensions(copy({}, o, { description: 'description', url: 'url' }), o);
}

export function gnosticSchema(v: unknown): GnosticMessage {
  const s = objOf(v);
  const m = copy({}, s, {
    $ref: '_ref', format: 'format', title: 'title', description: 'description', ...VALIDATION_FIELDS,
    maxProperties: 'max_properties', minProperties: 'min_properties', required: 'required',
    discriminator: 'discriminator', readOnly: 'read_only',
  });
  withDefaultAndEnum(m, s);
  if (typeof s.additionalProperties === 'boolean') m.additional_properties = { boolean: s.additionalProperties };
  else if (isObj(s.additionalProperties)) m.additional_properties = { schema: gnosticSchema(s.additionalProperties) };
  if (s.type !== undefined) m.type = { value: Array.isArray(s.type) ? s.type : [s.type] };
  if (s.items !== undefined) m.items = { schema: (Array.isArray(s.items) ? s.items : [s.items]).map(gnosticSchema) };
  if (Array.isArray(s.allOf)) m.all_of = s.allOf.map(gnosticSchema);
  if (s.properties !== undefined) m.properties = { additional_properties: named(s.properties, gnosticSchema) };
  if (isObj(s.xml)) m.xml = vendorExtensions(copy({}, s.xml, { name: 'name', namespace: 'namespace', prefix: 'prefix', attribute: 'attribute', wrapped: 'wrapped' }), s.xml);
  if (s.externalDocs !== undefined) m.external_docs = externalDocs(s.externalDocs);
  if (s.example !== undefined) m.example = anyValue(s.example);
  return vendorExtensions(m, s);
}

/** PrimitivesItems (a non-body parameter's `items`) and Header share this shape. */
function primitives(v: unknown): GnosticMessage {
  const o = objOf(v);
  const m = copy({}, o, { type: 'type', format: 'format', collectionFormat: 'collection_format', description: 'description', ...VALIDATION_FIELDS });
  if (o.items !== undefined) m.items = primitives(o.items);
  return vendorExtensions(withDefaultAndEnum(m, o), o);
}

const NON_BODY_KIND: Record<string, string> = {
  header: 'header_parameter_sub_schema',
  formData: 'form_data_parameter_sub_schema',
  query: 'query_parameter_sub_schema',
  path: 'path_parameter_sub_schema',
};

function parameter(v: unknown): GnosticMessage {
  const p = objOf(v);
  if (p.in === 'body') {
    const body = copy({}, p, { description: 'description', name: 'name', in: 'in', required: 'required' });
    if (p.schema !== undefined) body.schema = gnosticSchema(p.schema);
    return { body_parameter: vendorExtensions(body, p) };
  }
  // The four sub-schemas share field names; each message encodes only the fields it declares.
  const sub = copy(primitives(p), p, { required: 'required', in: 'in', name: 'name', allowEmptyValue: 'allow_empty_value' });
  return { non_body_parameter: { [NON_BODY_KIND[String(p.in)] ?? 'query_parameter_sub_schema']: sub } };
}

function jsonReference(o: Obj): GnosticMessage {
  return copy({}, o, { $ref: '_ref', description: 'description' });
}

function parametersItems(v: unknown): GnosticMessage[] {
  return (Array.isArray(v) ? v : []).map((p) => (isObj(p) && p.$ref !== undefined ? { json_reference: jsonReference(p) } : { parameter: parameter(p) }));
}

function response(v: unknown): GnosticMessage {
  const r = objOf(v);
  const m = copy({}, r, { description: 'description' });
  if (isObj(r.schema)) {
    m.schema = r.schema.type === 'file'
      ? { file_schema: withDefaultAndEnum(copy({}, r.schema, { format: 'format', title: 'title', description: 'description', required: 'required', type: 'type', readOnly: 'read_only' }), r.schema) }
      : { schema: gnosticSchema(r.schema) };
  }
  if (r.headers !== undefined) m.headers = { additional_properties: named(r.headers, primitives) };
  if (r.examples !== undefined) m.examples = { additional_properties: named(r.examples, anyValue) };
  return vendorExtensions(m, r);
}

function responses(v: unknown): GnosticMessage {
  const codes = named(v, (r) => (isObj(r) && r.$ref !== undefined ? { json_reference: jsonReference(r) } : { response: response(r) }), true);
  return vendorExtensions({ response_code: codes }, objOf(v));
}

function securityRequirements(v: unknown): GnosticMessage[] {
  return (Array.isArray(v) ? v : []).map((req) => ({ additional_properties: named(req, (scopes) => ({ value: scopes })) }));
}

function operation(v: unknown): GnosticMessage {
  const o = objOf(v);
  const m = copy({}, o, {
    tags: 'tags', summary: 'summary', description: 'description', operationId: 'operation_id',
    produces: 'produces', consumes: 'consumes', schemes: 'schemes', deprecated: 'deprecated',
  });
  if (o.externalDocs !== undefined) m.external_docs = externalDocs(o.externalDocs);
  if (o.parameters !== undefined) m.parameters = parametersItems(o.parameters);
  if (o.responses !== undefined) m.responses = responses(o.responses);
  if (o.security !== undefined) m.security = securityRequirements(o.security);
  return vendorExtensions(m, o);
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItem(v: unknown): GnosticMessage {
  const p = objOf(v);
  const m = copy({}, p, { $ref: '_ref' });
  for (const method of METHODS) if (p[method] !== undefined) m[method] = operation(p[method]);
  if (p.parameters !== undefined) m.parameters = parametersItems(p.parameters);
  return vendorExtensions(m, p);
}

const OAUTH2_FLOWS: Record<string, string> = {
  implicit: 'oauth2_implicit_security',
  password: 'oauth2_password_security',
  application: 'oauth2_application_security',
  accessCode: 'oauth2_access_code_security',
};

function securityScheme(v: unknown): GnosticMessage {
  const s = objOf(v);
  const m = vendorExtensions(copy({}, s, {
    type: 'type', name: 'name', in: 'in', description: 'description', flow: 'flow',
    authorizationUrl: 'authorization_url', tokenUrl: 'token_url',
  }), s);
  if (s.scopes !== undefined) m.scopes = { additional_properties: named(s.scopes, (x) => x) };
  if (s.type === 'basic') return { basic_authentication_security: m };
  if (s.type === 'oauth2') return { [OAUTH2_FLOWS[String(s.flow)] ?? 'oauth2_implicit_security']: m };
  return { api_key_security: m };
}

function info(v: unknown): GnosticMessage {
  const i = objOf(v);
  const m = copy({}, i, { title: 'title', version: 'version', description: 'description', termsOfService: 'terms_of_service' });
  if (isObj(i.contact)) m.contact = vendorExtensions(copy({}, i.contact, { name: 'name', url: 'url', email: 'email' }), i.contact);
  if (isObj(i.license)) m.license = vendorExtensions(copy({}, i.license, { name: 'name', url: 'url' }), i.license);
  return vendorExtensions(m, i);
}

/** The whole document; the result is ready for openapi.v2.Document.encode. */
export function toGnosticDocument(document: object): GnosticMessage {
  const d = document as Obj;
  const m = copy({}, d, { swagger: 'swagger', host: 'host', basePath: 'base_path', schemes: 'schemes', consumes: 'consumes', produces: 'produces' });
  if (d.info !== undefined) m.info = info(d.info);
  if (d.paths !== undefined) m.paths = vendorExtensions({ path: named(d.paths, pathItem, true) }, objOf(d.paths));
  if (d.definitions !== undefined) m.definitions = { additional_properties: named(d.definitions, gnosticSchema) };
  if (d.parameters !== undefined) m.parameters = { additional_properties: named(d.parameters, parameter) };
  if (d.responses !== undefined) m.responses = { additional_properties: named(d.responses, response) };
  if (d.security !== undefined) m.security = securityRequirements(d.security);
  if (d.securityDefinitions !== undefined) m.security_definitions = { additional_properties: named(d.securityDefinitions, securityScheme) };
  if (Array.isArray(d.tags)) {
    m.tags = d.tags.map((t) => {
      const tag = objOf(t);
      const out = copy({}, tag, { name: 'name', description: 'description' });
      if (tag.externalDocs !== undefined) out.external_docs = externalDocs(tag.externalDocs);
      return vendorExtensions(out, tag);
    });
  }
  if (d.externalDocs !== undefined) m.external_docs = externalDocs(d.externalDocs);
  return vendorExtensions(m, d);
}
