import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { apiResourceList } from '../../src/apiserver/discovery/index.ts';

const def = (d: Partial<ResourceDefinition> & Pick<ResourceDefinition, 'group' | 'version' | 'kind' | 'resource' | 'namespaced'>): ResourceDefinition => ({
  singularName: d.kind.toLowerCase(),
  strategy: {},
  ...d,
});

const defs: ResourceDefinition[] = [
  def({ group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: { status: true, custom: ['binding', 'eviction', 'log', 'exec', 'proxy'] } }),
  def({ group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false, shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: { status: true, custom: ['finalize'] } }),
  def({ group: '', version: 'v1', kind: 'Binding', resource: 'bindings', namespaced: true, verbs: ['create'] }),
  def({ group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true, shortNames: ['deploy'], categories: ['all'],
    subresources: { status: true, scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas' } } }),
];

describe('APIResourceList (/api/v1, /apis/{g}/{v})', () => {
  test('core list has no apiVersion, named groups have "v1" (as kube-apiserver serves them)', () => {
    const core = apiResourceList(defs, '', 'v1');
    assert.equal(core.kind, 'APIResourceList');
    assert.equal(core.groupVersion, 'v1');
    assert.equal('apiVersion' in core, false);
    const apps = apiResourceList(defs, 'apps', 'v1');
    assert.equal(apps.apiVersion, 'v1');
    assert.equal(apps.groupVersion, 'apps/v1');
  });

  test('resources are sorted by name with subresources right after their parent', () => {
    assert.deepEqual(apiResourceList(defs, '', 'v1').resources.map((r) => r.name), [
      'bindings', 'namespaces', 'namespaces/finalize', 'namespaces/status',
      'pods', 'pods/binding', 'pods/eviction', 'pods/exec', 'pods/log', 'pods/proxy', 'pods/status',
    ]);
  });

  test('a resource entry carries names, scope, sorted verbs and the storage version hash', () => {
    const pods = apiResourceList(defs, '', 'v1').resources.find((r) => r.name === 'pods');
    assert.deepEqual(pods, {
      name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'], categories: ['all'], storageVersionHash: 'xPOwRZ+Yhw8=',
    });
    const deploy = apiResourceList(defs, 'apps', 'v1').resources.find((r) => r.name === 'deployments');
    assert.equal(deploy?.storageVersionHash, '8aSe+NMegvE=');
  });

  test('bindings (create only, no storage) has no storageVersionHash, shortNames or categories', () => {
    const b = apiResourceList(defs, '', 'v1').resources.find((r) => r.name === 'bindings');
    assert.deepEqual(b, { name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create'] });
  });

  const subresourceCases: Array<[string, string, string, { group?: string; version?: string; kind: string; verbs: string[] }]> = [
    ['', 'v1', 'pods/status', { kind: 'Pod', verbs: ['get', 'patch', 'update'] }],
    ['', 'v1', 'pods/binding', { kind: 'Binding', verbs: ['create'] }],
    ['', 'v1', 'pods/eviction', { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }],
    ['', 'v1', 'pods/log', { kind: 'Pod', verbs: ['get'] }],
    ['', 'v1', 'pods/exec', { kind: 'PodExecOptions', verbs: ['create', 'get'] }],
    ['', 'v1', 'pods/proxy', { kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
    ['', 'v1', 'namespaces/finalize', { kind: 'Namespace', verbs: ['update'] }],
    ['apps', 'v1', 'deployments/scale', { group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }],
  ];
  for (const [group, version, name, want] of subresourceCases) {
    test(`${name}: kind ${want.kind}, verbs ${want.verbs.join(',')}`, () => {
      const r = apiResourceList(defs, group, version).resources.find((x) => x.name === name);
      assert.deepEqual(r, { name, singularName: '', namespaced: name.startsWith('namespaces') ? false : true, ...want });
    });
  }

  test('a group version without resources is empty', () => {
    assert.deepEqual(apiResourceList(defs, 'batch', 'v1').resources, []);
  });
});
