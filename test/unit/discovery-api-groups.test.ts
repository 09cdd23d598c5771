import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { apiGroup, apiGroupList, coreApiVersions, versionInfo } from '../../src/apiserver/discovery/index.ts';

const def = (group: string, version: string, kind: string, resource: string): ResourceDefinition => ({
  group, version, kind, resource, singularName: kind.toLowerCase(), namespaced: true, strategy: {},
});

const defs = [
  def('', 'v1', 'Pod', 'pods'),
  def('batch', 'v1', 'Job', 'jobs'),
  def('autoscaling', 'v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  def('autoscaling', 'v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers'),
  def('apps', 'v1', 'Deployment', 'deployments'),
  def('rbac.authorization.k8s.io', 'v1', 'Role', 'roles'),
  def('example.com', 'v1beta1', 'Widget', 'widgets'),
  def('example.com', 'v1alpha1', 'Widget', 'widgets'),
];

describe('/api, /apis, /apis/{group}, /version', () => {
  test('/api lists v1 and the address clients should use', () => {
    assert.deepEqual(coreApiVersions('10.0.0.1:6443'), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  test('/apis lists named groups in kube-apiserver order, never the core group', () => {
    const list = apiGroupList(defs);
    assert.equal(list.kind, 'APIGroupList');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(list.groups.map((g) => g.name), ['apps', 'autoscaling', 'batch', 'rbac.authorization.k8s.io', 'example.com']);
  });

  test('versions are preferred-first: autoscaling prefers v2, beta before alpha', () => {
    const autoscaling = apiGroupList(defs).groups.find((g) => g.name === 'autoscaling');
    assert.deepEqual(autoscaling?.versions, [
      { groupVersion: 'autoscaling/v2', version: 'v2' },
      { groupVersion: 'autoscaling/v1', version: 'v1' },
    ]);
    assert.deepEqual(autoscaling?.preferredVersion, { groupVersion: 'autoscaling/v2', version: 'v2' });
    assert.equal(apiGroup(defs, 'example.com')?.preferredVersion.version, 'v1beta1');
  });

  test('/apis/{group} is an APIGroup; an unknown group is undefined (404)', () => {
    assert.deepEqual(apiGroup(defs, 'batch'), {
      kind: 'APIGroup', apiVersion: 'v1', name: 'batch',
      versions: [{ groupVersion: 'batch/v1', version: 'v1' }],
      preferredVersion: { groupVersion: 'batch/v1', version: 'v1' },
    });
    assert.equal(apiGroup(defs, 'nope.example.com'), undefined);
  });

  test('/version claims Kubernetes 1.32 with a semver gitVersion', () => {
    const v = versionInfo();
    assert.equal(v.major, '1');
    assert.equal(v.minor, '32');
    assert.match(v.gitVersion, /^v1\.32\.\d+(\+[0-9A-Za-z.-]+)?$/);
    for (const k of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform'] as const) assert.ok(v[k], k);
    assert.match(v.platform, /^[a-z0-9]+\/[a-z0-9]+$/);
  });
});
