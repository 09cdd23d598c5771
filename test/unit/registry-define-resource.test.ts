// defineResource derives what upstream derives from the kind: the plural REST resource name, the
// singular name and the client-node model that describes the kind in OpenAPI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import models from '../../src/openapi/models.generated.json' with { type: 'json' };
import { builtinResources } from '../../src/registry/builtin.ts';
import { defineResource, openapiModelOf, pluralOf } from '../../src/registry/define-resource.ts';

const plurals: [kind: string, plural: string][] = [
  ['Pod', 'pods'],
  ['Ingress', 'ingresses'],
  ['StorageClass', 'storageclasses'],
  ['NetworkPolicy', 'networkpolicies'],
  ['Gateway', 'gateways'],
  ['Mesh', 'meshes'],
  ['Patch', 'patches'],
  ['Box', 'boxes'],
  ['HorizontalPodAutoscaler', 'horizontalpodautoscalers'],
];
for (const [kind, plural] of plurals) {
  test(`the plural of ${kind} is ${plural}`, () => assert.equal(pluralOf(kind), plural));
}

test('model names carry the capitalised version', () => {
  assert.equal(openapiModelOf('v1', 'Pod'), 'V1Pod');
  assert.equal(openapiModelOf('v2', 'HorizontalPodAutoscaler'), 'V2HorizontalPodAutoscaler');
  assert.equal(openapiModelOf('v1beta1', 'CSIStorageCapacity'), 'V1beta1CSIStorageCapacity');
});

test('apiVersion splits into group and version; explicit names win', () => {
  const core = defineResource({ apiVersion: 'v1', kind: 'Endpoints', resource: 'endpoints', namespaced: true, strategy: {} });
  assert.deepEqual([core.group, core.version, core.resource, core.singularName, core.openapiModel], ['', 'v1', 'endpoints', 'endpoints', 'V1Endpoints']);
  const apps = defineResource({ apiVersion: 'apps/v1', kind: 'DaemonSet', namespaced: true, strategy: {} });
  assert.deepEqual([apps.group, apps.version, apps.resource, apps.singularName, apps.openapiModel], ['apps', 'v1', 'daemonsets', 'daemonset', 'V1DaemonSet']);
});

test('every built-in resource names an OpenAPI model that exists and a lowercase singular', () => {
  for (const def of builtinResources()) {
    assert.ok(def.openapiModel && def.openapiModel in models, `${def.resource}.${def.group}/${def.version}: ${def.openapiModel}`);
    assert.equal(def.singularName, def.kind.toLowerCase(), def.kind);
  }
});
