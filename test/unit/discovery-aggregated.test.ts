import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { aggregatedDiscovery, negotiateDiscovery } from '../../src/apiserver/discovery/index.ts';

const defs: ResourceDefinition[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', singularName: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: { status: true, custom: ['eviction'] }, strategy: {} },
  { group: '', version: 'v1', kind: 'Node', resource: 'nodes', singularName: 'node', namespaced: false, shortNames: ['no'], strategy: {} },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', singularName: 'deployment', namespaced: true,
    subresources: { scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } }, strategy: {} },
  { group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, strategy: {} },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, strategy: {} },
];

describe('aggregated discovery (apidiscovery.k8s.io/v2)', () => {
  test('/api: one unnamed item with v1 and every core resource', () => {
    const list = aggregatedDiscovery(defs, 'core', 'v2');
    assert.equal(list.kind, 'APIGroupDiscoveryList');
    assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.deepEqual(list.metadata, {});
    assert.equal(list.items.length, 1);
    assert.deepEqual(list.items[0]!.metadata, { creationTimestamp: null });
    const v1 = list.items[0]!.versions[0]!;
    assert.equal(v1.version, 'v1');
    assert.equal(v1.freshness, 'Current');
    assert.deepEqual(v1.resources.map((r) => [r.resource, r.scope]), [['nodes', 'Cluster'], ['pods', 'Namespaced']]);
  });

  test('a resource has responseKind (empty group/version), singularResource, verbs, names and subresources', () => {
    const pods = aggregatedDiscovery(defs, 'core').items[0]!.versions[0]!.resources.find((r) => r.resource === 'pods');
    assert.deepEqual(pods, {
      resource: 'pods',
      responseKind: { group: '', version: '', kind: 'Pod' },
      scope: 'Namespaced',
      singularResource: 'pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
        { subresource: 'status', responseKind: { group: '', version: '', kind: 'Pod' }, verbs: ['get', 'patch', 'update'] },
      ],
    });
  });

  test('/apis: named groups with versions preferred-first; scale answers autoscaling/v1 Scale', () => {
    const list = aggregatedDiscovery(defs, 'apis', 'v2');
    assert.deepEqual(list.items.map((i) => [i.metadata.name, i.versions.map((v) => v.version)]), [
      ['apps', ['v1']],
      ['autoscaling', ['v2', 'v1']],
    ]);
    const deploy = list.items[0]!.versions[0]!.resources[0]!;
    assert.deepEqual(deploy.subresources, [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    ]);
  });

  test('v2beta1 (kubectl 1.27–1.29) has the same body under its own apiVersion', () => {
    const beta = aggregatedDiscovery(defs, 'apis', 'v2beta1');
    assert.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    assert.deepEqual(beta.items, aggregatedDiscovery(defs, 'apis', 'v2').items);
  });
});

describe('discovery content negotiation', () => {
  const kubectl132 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['kubectl 1.30+', kubectl132, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'],
    ['kubectl 1.27 (v2beta1 only)', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'],
    ['parameters in another order', 'application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'],
    ['protobuf aggregated first, JSON legacy fallback', 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json', 'application/json'],
    ['plain JSON', 'application/json', 'application/json'],
    ['no Accept', undefined, 'application/json'],
    ['*/*', '*/*', 'application/json'],
    ['unknown discovery version', 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList', undefined],
    ['protobuf only', 'application/vnd.kubernetes.protobuf', undefined],
  ];
  for (const [name, accept, want] of cases) {
    test(`${name} → ${want ?? '406'}`, () => {
      assert.equal(negotiateDiscovery(accept)?.contentType, want);
    });
  }
});
