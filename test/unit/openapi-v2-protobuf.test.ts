// /openapi/v2 in gnostic protobuf: decoded with the same openapi.v2 descriptor kubectl embeds, it must
// say what the JSON document says — every definition, the GVK and patch-strategy extensions kubectl
// reads for validation, explain and apply, and the paths.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { OpenAPIV2 } from 'openapi-types';
import { builtinResources } from '../../src/registry/builtin.ts';
import { negotiateOpenAPIV2, openapiV2, openapiV2Hash, openapiV2Protobuf } from '../../src/openapi/index.ts';
import { gnosticDocumentType } from '../../src/openapi/openapi-v2-protobuf.ts';

type Msg = Record<string, any>;

const defs = builtinResources();
const json = () => JSON.parse(JSON.stringify(openapiV2(defs))) as OpenAPIV2.Document & Record<string, any>;
let decodedDoc: Msg | undefined;
const decoded = (): Msg => {
  decodedDoc ??= gnosticDocumentType().toObject(gnosticDocumentType().decode(openapiV2Protobuf(defs)), { longs: Number, arrays: false }) as Msg;
  return decodedDoc;
};

/** What kubectl does with an Any: YAML-decode its text (kube-openapi's VendorExtensionToMap). */
const anyValue = (a: Msg) => parseYaml(a.yaml, { version: '1.1' });

const extensions = (m: Msg): Record<string, unknown> =>
  Object.fromEntries((m.vendor_extension ?? []).map((e: Msg) => [e.name, anyValue(e.value)]));

/** Back from a gnostic Schema to JSON Schema, for comparing with the JSON document. */
function schemaJson(s: Msg): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const scalars: Record<string, string> = {
    _ref: '$ref', format: 'format', title: 'title', description: 'description', pattern: 'pattern', required: 'required',
    maximum: 'maximum', minimum: 'minimum', max_length: 'maxLength', min_length: 'minLength', max_items: 'maxItems',
    min_items: 'minItems', unique_items: 'uniqueItems', read_only: 'readOnly',
  };
  for (const [proto, key] of Object.entries(scalars)) if (s[proto] !== undefined) out[key] = s[proto];
  if (s.type) out.type = s.type.value.length === 1 ? s.type.value[0] : s.type.value;
  if (s.items) out.items = s.items.schema.length === 1 ? schemaJson(s.items.schema[0]) : s.items.schema.map(schemaJson);
  if (s.properties) out.properties = Object.fromEntries(s.properties.additional_properties.map((p: Msg) => [p.name, schemaJson(p.value)]));
  if (s.additional_properties) out.additionalProperties = s.additional_properties.schema ? schemaJson(s.additional_properties.schema) : s.additional_properties.boolean;
  if (s.all_of) out.allOf = s.all_of.map(schemaJson);
  if (s.enum) out.enum = s.enum.map(anyValue);
  if (s.default) out.default = anyValue(s.default);
  return { ...out, ...extensions(s) };
}

const definition = (name: string): Msg => decoded().definitions.additional_properties.find((d: Msg) => d.name === name)?.value;
const pathItem = (path: string): Msg => decoded().paths.path.find((p: Msg) => p.name === path)?.value;

describe('/openapi/v2 as gnostic protobuf', () => {
  test('decodes as openapi.v2.Document with the same header, info and security', () => {
    const doc = decoded();
    assert.equal(doc.swagger, '2.0');
    assert.deepEqual(doc.info, { title: 'Kubernetes', version: json().info.version });
    assert.deepEqual(doc.security, [{ additional_properties: [{ name: 'BearerToken', value: {} }] }]);
    const bearer = doc.security_definitions.additional_properties.find((s: Msg) => s.name === 'BearerToken');
    assert.deepEqual(bearer.value.api_key_security, { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' });
  });

  test('every definition survives, in order, and reads back as the JSON schema', () => {
    const want = json().definitions!;
    const got = decoded().definitions.additional_properties as Msg[];
    assert.deepEqual(got.map((d) => d.name), Object.keys(want));
    for (const d of got) assert.deepEqual(schemaJson(d.value), want[d.name], d.name);
  });

  test('GVK extensions are YAML lists of {group, kind, version}, as kubectl parses them', () => {
    assert.deepEqual(extensions(definition('io.k8s.api.core.v1.Pod'))['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
    assert.deepEqual(extensions(definition('io.k8s.api.apps.v1.Deployment'))['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    // The empty group must stay an empty string (YAML `group: ""`), not null.
    assert.match(definition('io.k8s.api.core.v1.ConfigMap').vendor_extension[0].value.yaml, /^- group: ""\n/);
  });

  test('patch strategy and merge key extensions survive (apply and strategic patch metadata)', () => {
    const containers = definition('io.k8s.api.core.v1.PodSpec').properties.additional_properties.find((p: Msg) => p.name === 'containers').value;
    assert.deepEqual(containers.type, { value: ['array'] });
    assert.equal(containers.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.Container');
    assert.equal(extensions(containers)['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(extensions(containers)['x-kubernetes-patch-merge-key'], 'name');
    const ports = definition('io.k8s.api.core.v1.Container').properties.additional_properties.find((p: Msg) => p.name === 'ports').value;
    assert.deepEqual(extensions(ports)['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
    assert.equal(extensions(ports)['x-kubernetes-list-type'], 'map');
  });

  test('maps keep their additionalProperties schema (kubectl rejects an object schema without it)', () => {
    const data = definition('io.k8s.api.core.v1.ConfigMap').properties.additional_properties.find((p: Msg) => p.name === 'data').value;
    assert.deepEqual(data.type, { value: ['object'] });
    assert.deepEqual(data.additional_properties, { schema: { type: { value: ['string'] } } });
  });

  test('paths keep their operations, parameters and responses', () => {
    const want = json().paths;
    assert.deepEqual(decoded().paths.path.map((p: Msg) => p.name), Object.keys(want));
    const pod = pathItem('/api/v1/namespaces/{namespace}/pods/{name}');
    const get = pod.get;
    assert.equal(get.operation_id, want['/api/v1/namespaces/{namespace}/pods/{name}'].get!.operationId);
    assert.deepEqual(extensions(get), { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' } });
    const ok = get.responses.response_code.find((r: Msg) => r.name === '200').value.response;
    assert.equal(ok.schema.schema._ref, '#/definitions/io.k8s.api.core.v1.Pod');
    const patch = pod.patch;
    assert.equal(patch.parameters[0].parameter.body_parameter.name, 'body');
    assert.equal(patch.parameters[0].parameter.body_parameter.required, true);
    const dryRun = patch.parameters.find((p: Msg) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === 'dryRun');
    assert.equal(dryRun.parameter.non_body_parameter.query_parameter_sub_schema.type, 'string');
    const name = pod.parameters.find((p: Msg) => p.parameter?.non_body_parameter?.path_parameter_sub_schema?.name === 'name');
    assert.equal(name.parameter.non_body_parameter.path_parameter_sub_schema.required, true);
  });

  test('is built once and shares the JSON document ETag', () => {
    assert.equal(openapiV2Protobuf(defs), openapiV2Protobuf(defs));
    assert.match(openapiV2Hash(defs), /^[0-9A-F]{128}$/);
  });
});

describe('/openapi/v2 content negotiation', () => {
  const cases: Array<[string, string | undefined, 'json' | 'protobuf' | undefined]> = [
    ['client-go OpenAPISchema()', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['the newer protobuf subtype', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'protobuf'],
    ['JSON', 'application/json', 'json'],
    ['curl', '*/*', 'json'],
    ['no Accept', undefined, 'json'],
    ['protobuf preferred by q', 'application/json;q=0.5, application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['JSON preferred by q', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf;q=0.5, application/json', 'json'],
    ['an exact type before */* at the same q', '*/*, application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'protobuf'],
    ['the v3 protobuf type only', 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf', undefined],
    ['text only', 'text/plain', undefined],
  ];
  for (const [name, accept, want] of cases) {
    test(`${name} → ${want ?? '406'}`, () => assert.equal(negotiateOpenAPIV2(accept), want));
  }
});
