import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { OpenAPIV2 } from 'openapi-types';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { openapiV2, openapiV2Json, negotiateOpenAPI } from '../../src/openapi/index.ts';

const defs: ResourceDefinition[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', singularName: 'pod', namespaced: true, openapiModel: 'V1Pod',
    subresources: { status: true, custom: ['binding', 'eviction', 'log', 'exec'] }, strategy: { defaultGracePeriodSeconds: () => 30 } },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singularName: 'namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true, custom: ['finalize'] }, strategy: {} },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singularName: 'deployment', namespaced: true,
    subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } }, strategy: {} },
];

type Schema = OpenAPIV2.SchemaObject & Record<string, unknown>;
const doc = () => openapiV2(defs);
const definition = (name: string) => doc().definitions![name] as Schema;
const operation = (path: string, method: 'get' | 'put' | 'post' | 'delete' | 'patch') =>
  doc().paths[path]?.[method] as (OpenAPIV2.OperationObject & Record<string, unknown>) | undefined;

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) (k === '$ref' && typeof v === 'string' ? out.push(v) : refsIn(v, out));
  }
  return out;
}

describe('/openapi/v2', () => {
  test('is a Swagger 2.0 document that JSON-serialises', () => {
    const parsed = JSON.parse(openapiV2Json(defs)) as OpenAPIV2.Document;
    assert.equal(parsed.swagger, '2.0');
    assert.equal(parsed.info.title, 'Kubernetes');
    assert.match(parsed.info.version, /^v1\.32\./);
  });

  test('served kinds and their lists carry x-kubernetes-group-version-kind', () => {
    assert.deepEqual(definition('io.k8s.api.core.v1.Pod')['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
    assert.deepEqual(definition('io.k8s.api.core.v1.PodList')['x-kubernetes-group-version-kind'], [{ group: '', kind: 'PodList', version: 'v1' }]);
    assert.deepEqual(definition('io.k8s.api.apps.v1.Deployment')['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.deepEqual(definition('io.k8s.api.autoscaling.v1.Scale')['x-kubernetes-group-version-kind'], [{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
    assert.equal(definition('io.k8s.api.core.v1.PodSpec')['x-kubernetes-group-version-kind'], undefined);
  });

  test('PodSpec.containers: merge by name, required, described, $ref to Container', () => {
    const spec = definition('io.k8s.api.core.v1.PodSpec');
    const containers = spec.properties!.containers as Schema;
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers.type, 'array');
    assert.deepEqual(containers.items, { $ref: '#/definitions/io.k8s.api.core.v1.Container' });
    assert.match(containers.description!, /List of containers/);
    assert.ok(spec.required!.includes('containers'));
  });

  test('value types use upstream names: Quantity, IntOrString, Time, LabelSelector', () => {
    const limits = (definition('io.k8s.api.core.v1.ResourceRequirements').properties!.limits as Schema).additionalProperties;
    assert.deepEqual(limits, { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    const maxSurge = definition('io.k8s.api.apps.v1.RollingUpdateDeployment').properties!.maxSurge as Schema;
    assert.equal(maxSurge.$ref, '#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString');
    assert.equal(definition('io.k8s.apimachinery.pkg.util.intstr.IntOrString').format, 'int-or-string');
    const created = definition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta').properties!.creationTimestamp as Schema;
    assert.equal(created.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time');
    const selector = definition('io.k8s.api.apps.v1.DeploymentSpec').properties!.selector as Schema;
    assert.equal(selector.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector');
    assert.deepEqual((definition('io.k8s.api.core.v1.PodSpec').properties!.activeDeadlineSeconds as Schema), {
      type: 'integer', format: 'int64', description: (definition('io.k8s.api.core.v1.PodSpec').properties!.activeDeadlineSeconds as Schema).description,
    });
  });

  test('every $ref resolves to a definition', () => {
    const d = doc();
    const missing = [...new Set(refsIn(d))].filter((r) => !d.definitions![r.replace('#/definitions/', '')]);
    assert.deepEqual(missing, []);
  });

  const ops: Array<[string, 'get' | 'put' | 'post' | 'delete' | 'patch', string, string, { group: string; version: string; kind: string }]> = [
    ['/api/v1/namespaces/{namespace}/pods', 'get', 'listCoreV1NamespacedPod', 'list', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods', 'post', 'createCoreV1NamespacedPod', 'post', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods', 'delete', 'deleteCoreV1CollectionNamespacedPod', 'deletecollection', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}', 'patch', 'patchCoreV1NamespacedPod', 'patch', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/pods', 'get', 'listCoreV1PodForAllNamespaces', 'list', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/watch/namespaces/{namespace}/pods/{name}', 'get', 'watchCoreV1NamespacedPod', 'watch', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}/status', 'put', 'replaceCoreV1NamespacedPodStatus', 'put', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}/eviction', 'post', 'createCoreV1NamespacedPodEviction', 'post', { group: 'policy', version: 'v1', kind: 'Eviction' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}/log', 'get', 'readCoreV1NamespacedPodLog', 'get', { group: '', version: 'v1', kind: 'Pod' }],
    ['/api/v1/namespaces/{namespace}/pods/{name}/exec', 'post', 'connectCoreV1PostNamespacedPodExec', 'connect', { group: '', version: 'v1', kind: 'PodExecOptions' }],
    ['/api/v1/namespaces/{name}', 'get', 'readCoreV1Namespace', 'get', { group: '', version: 'v1', kind: 'Namespace' }],
    ['/api/v1/namespaces/{name}/finalize', 'put', 'replaceCoreV1NamespaceFinalize', 'put', { group: '', version: 'v1', kind: 'Namespace' }],
    ['/api/v1/watch/namespaces', 'get', 'watchCoreV1NamespaceList', 'watchlist', { group: '', version: 'v1', kind: 'Namespace' }],
    ['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale', 'patch', 'patchAppsV1NamespacedDeploymentScale', 'patch', { group: 'autoscaling', version: 'v1', kind: 'Scale' }],
  ];
  for (const [path, method, operationId, action, gvk] of ops) {
    test(`${method.toUpperCase()} ${path} is ${operationId}`, () => {
      const op = operation(path, method);
      assert.ok(op, 'operation exists');
      assert.equal(op.operationId, operationId);
      assert.equal(op['x-kubernetes-action'], action);
      assert.deepEqual(op['x-kubernetes-group-version-kind'], gvk);
    });
  }

  test('namespaces (no deletecollection verb) have no collection DELETE', () => {
    assert.equal(operation('/api/v1/namespaces', 'delete'), undefined);
  });

  test('PATCH takes the patch content types and the fieldValidation/dryRun/fieldManager/force parameters', () => {
    const op = operation('/api/v1/namespaces/{namespace}/pods/{name}', 'patch')!;
    assert.ok(op.consumes!.includes('application/strategic-merge-patch+json'));
    assert.ok(op.consumes!.includes('application/apply-patch+yaml'));
    const names = (op.parameters as OpenAPIV2.Parameter[]).map((p) => p.name);
    assert.deepEqual(names, ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
  });

  test('the document is cached: a second call returns the same object', () => {
    assert.equal(openapiV2(defs), openapiV2(defs));
  });
});

// /openapi/v3 (JSON only); /openapi/v2's negotiation, with protobuf, is in openapi-v2-protobuf.test.ts.
describe('/openapi/v3 content negotiation', () => {
  const cases: Array<[string, string | undefined, 'json' | undefined]> = [
    ['protobuf only', 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf', undefined],
    ['openapi v3 client', 'application/json', 'json'],
    ['protobuf preferred, JSON accepted', 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf, application/json;q=0.9', 'json'],
    ['curl', '*/*', 'json'],
    ['no Accept', undefined, 'json'],
  ];
  for (const [name, accept, want] of cases) {
    test(`${name} → ${want ?? '406'}`, () => assert.equal(negotiateOpenAPI(accept), want));
  }
});
