import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { OpenAPIV3 } from 'openapi-types';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { openapiV3GroupVersion, openapiV3GroupVersionJson, openapiV3Index } from '../../src/openapi/index.ts';

const defs: ResourceDefinition[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', singularName: 'pod', namespaced: true,
    subresources: { status: true, custom: ['binding', 'eviction'] }, strategy: {} },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', singularName: 'namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true, custom: ['finalize'] }, strategy: {} },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singularName: 'deployment', namespaced: true,
    subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } }, strategy: {} },
];

type Op = OpenAPIV3.OperationObject & Record<string, unknown>;
type Schema = OpenAPIV3.SchemaObject & Record<string, unknown> & { $ref?: string };
const gvkOf = (op: Op) => op['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string } | undefined;
const sameGvk = (a: { group: string; version: string; kind: string } | undefined, b: { group: string; version: string; kind: string }) =>
  !!a && a.group === b.group && a.version === b.version && a.kind === b.kind;

/** kubectl's supportsQueryParamV3: the first PATCH for the GVK decides (Go map order is random, so all must agree). */
function patchOpsFor(doc: OpenAPIV3.Document, gvk: { group: string; version: string; kind: string }): Op[] {
  return Object.values(doc.paths).flatMap((item) => (item?.patch && sameGvk(gvkOf(item.patch as Op), gvk) ? [item.patch as Op] : []));
}

/** PatchMetaFromOpenAPIV3.resolve: allOf[0], then $ref into components/schemas. */
function resolve(doc: OpenAPIV3.Document, s: Schema): Schema {
  const inner = (s.allOf?.[0] ?? s) as Schema;
  if (!inner.$ref) return inner;
  const target = doc.components!.schemas![inner.$ref.replace('#/components/schemas/', '')];
  assert.ok(target, `unresolvable ${inner.$ref}`);
  return target as Schema;
}

describe('/openapi/v3 index', () => {
  test('lists every document with a hash of its body', () => {
    const index = openapiV3Index(defs);
    assert.deepEqual(Object.keys(index.paths), ['api', 'api/v1', 'apis', 'apis/apps', 'apis/apps/v1', 'version']);
    for (const [key, { serverRelativeURL }] of Object.entries(index.paths)) {
      const hash = createHash('sha512').update(openapiV3GroupVersionJson(defs, key)!).digest('hex').toUpperCase();
      assert.equal(serverRelativeURL, `/openapi/v3/${key}?hash=${hash}`);
    }
  });

  test('an unserved group version has no document', () => {
    assert.equal(openapiV3GroupVersion(defs, 'apis/batch/v1'), undefined);
    assert.equal(openapiV3GroupVersion(defs, 'apis/apps/v2'), undefined);
  });
});

describe('/openapi/v3/api/v1', () => {
  const doc = () => openapiV3GroupVersion(defs, 'api/v1')!;

  test('is OpenAPI 3.0 with only core paths', () => {
    assert.equal(doc().openapi, '3.0.0');
    assert.ok(Object.keys(doc().paths).every((p) => p.startsWith('/api/v1/')));
    assert.ok(doc().paths['/api/v1/namespaces/{name}']);
  });

  for (const param of ['fieldValidation', 'dryRun']) {
    test(`kubectl's QueryParamVerifierV3 finds ${param} on every Namespace PATCH`, () => {
      const ops = patchOpsFor(doc(), { group: '', version: 'v1', kind: 'Namespace' });
      assert.ok(ops.length >= 2, 'namespace and namespace/status PATCH');
      for (const op of ops) {
        const names = (op.parameters as OpenAPIV3.ParameterObject[]).map((p) => p.name);
        assert.ok(names.includes(param), `${op.operationId} lacks ${param}`);
      }
    });
  }

  test('PATCH operations accept strategic merge patch (kubectl apply uses v3 patch metadata then)', () => {
    for (const op of patchOpsFor(doc(), { group: '', version: 'v1', kind: 'Pod' })) {
      const content = (op.requestBody as OpenAPIV3.RequestBodyObject).content;
      assert.ok(content['application/strategic-merge-patch+json'], op.operationId);
    }
  });

  test('Pod schema: found by GVK, spec.containers resolves to Container with merge key name', () => {
    const d = doc();
    const pod = Object.values(d.components!.schemas!).find((s) =>
      ((s as Schema)['x-kubernetes-group-version-kind'] as unknown[] | undefined)?.some((g) => sameGvk(g as never, { group: '', version: 'v1', kind: 'Pod' }))) as Schema;
    assert.ok(pod, 'Pod schema with x-kubernetes-group-version-kind');
    const spec = resolve(d, pod.properties!.spec as Schema);
    const containers = spec.properties!.containers as Schema;
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    const container = resolve(d, containers.items as Schema);
    assert.ok(container.properties!.image, 'Container has image');
    assert.match(container.description!, /container/i);
  });

  test('a $ref with a description is wrapped in allOf, as kube-openapi writes v3', () => {
    const pod = doc().components!.schemas!['io.k8s.api.core.v1.Pod'] as Schema;
    const metadata = pod.properties!.metadata as Schema;
    assert.deepEqual(metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.match(metadata.description!, /Standard object's metadata/);
  });

  test('IntOrString and Quantity are oneOf unions', () => {
    const schemas = doc().components!.schemas!;
    assert.deepEqual((schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] as Schema).oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.deepEqual((schemas['io.k8s.apimachinery.pkg.api.resource.Quantity'] as Schema).oneOf, [{ type: 'string' }, { type: 'number' }]);
  });

  test('holds the schemas its paths reach (Eviction, Binding) and nothing of apps', () => {
    const names = Object.keys(doc().components!.schemas!);
    assert.ok(names.includes('io.k8s.api.policy.v1.Eviction'));
    assert.ok(names.includes('io.k8s.api.core.v1.Binding'));
    assert.ok(!names.some((n) => n.startsWith('io.k8s.api.apps.')));
  });

  test('every $ref resolves inside the document (kubectl explain follows them)', () => {
    const json = openapiV3GroupVersionJson(defs, 'api/v1')!;
    const schemas = doc().components!.schemas!;
    const refs = new Set([...json.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!));
    const missing = [...refs].filter((r) => !schemas[r.replace('#/components/schemas/', '')]);
    assert.deepEqual(missing, []);
  });
});

describe('/openapi/v3/apis/apps/v1', () => {
  test('deployments/scale PATCH is an autoscaling/v1 Scale operation with fieldValidation', () => {
    const doc = openapiV3GroupVersion(defs, 'apis/apps/v1')!;
    const op = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch as Op;
    assert.deepEqual(gvkOf(op), { group: 'autoscaling', kind: 'Scale', version: 'v1' });
    assert.ok((op.parameters as OpenAPIV3.ParameterObject[]).some((p) => p.name === 'fieldValidation'));
    assert.ok(doc.components!.schemas!['io.k8s.api.autoscaling.v1.Scale']);
  });
});
