import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { resources } from '../../src/registry/core/index.ts';
import { endpointsResource } from '../../src/registry/core/endpoints.ts';
import { eventResource } from '../../src/registry/core/event.ts';
import { namespaceFinalizeStrategy, namespaceResource } from '../../src/registry/core/namespace.ts';
import { nodeResource } from '../../src/registry/core/node.ts';
import { persistentVolumeClaimResource } from '../../src/registry/core/persistentvolumeclaim.ts';
import { persistentVolumeResource } from '../../src/registry/core/persistentvolume.ts';
import { replicationControllerResource } from '../../src/registry/core/replicationcontroller.ts';
import { resourceQuotaResource } from '../../src/registry/core/resourcequota.ts';
import type { RequestContext } from '../../src/registry/types.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };
const now = new Date('2024-01-03T04:00:00Z');
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, creationTimestamp: '2024-01-01T00:00:00Z', ...extra });

test('discovery names of the core resources', () => {
  const byName = new Map(resources.map((r) => [r.resource, r]));
  const cases: [string, string, boolean, string[] | undefined, string[] | undefined][] = [
    ['pods', 'Pod', true, ['po'], ['all']],
    ['services', 'Service', true, ['svc'], ['all']],
    ['namespaces', 'Namespace', false, ['ns'], undefined],
    ['nodes', 'Node', false, ['no'], undefined],
    ['configmaps', 'ConfigMap', true, ['cm'], undefined],
    ['endpoints', 'Endpoints', true, ['ep'], undefined],
    ['events', 'Event', true, ['ev'], undefined],
    ['persistentvolumes', 'PersistentVolume', false, ['pv'], undefined],
    ['persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], undefined],
    ['replicationcontrollers', 'ReplicationController', true, ['rc'], ['all']],
    ['resourcequotas', 'ResourceQuota', true, ['quota'], undefined],
    ['limitranges', 'LimitRange', true, ['limits'], undefined],
    ['serviceaccounts', 'ServiceAccount', true, ['sa'], undefined],
    ['secrets', 'Secret', true, undefined, undefined],
    ['podtemplates', 'PodTemplate', true, undefined, undefined],
    ['bindings', 'Binding', true, undefined, undefined],
  ];
  for (const [resource, kind, namespaced, shortNames, categories] of cases) {
    const def = byName.get(resource);
    assert.ok(def, resource);
    assert.equal(def.kind, kind);
    assert.equal(def.namespaced, namespaced, resource);
    assert.deepEqual(def.shortNames, shortNames, resource);
    assert.deepEqual(def.categories, categories, resource);
    assert.equal(def.group, '');
    assert.equal(def.version, 'v1');
  }
  assert.deepEqual(byName.get('bindings')!.verbs, ['create']);
});

test('namespaces: Active, kubernetes finalizer and name label on create; finalizers change only via /finalize', () => {
  const ns: KObject = { metadata: meta('team-a'), spec: {} };
  namespaceResource.strategy.defaults!(ns);
  namespaceResource.strategy.prepareForCreate!(ns, ctx);
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual((ns.spec as any).finalizers, ['kubernetes']);
  assert.equal(ns.metadata.labels!['kubernetes.io/metadata.name'], 'team-a');
  assert.deepEqual(namespaceResource.table!.cells(ns, now), ['team-a', 'Active', '2d4h']);

  const cleared: KObject = structuredClone(ns);
  (cleared.spec as any).finalizers = [];
  namespaceResource.strategy.prepareForUpdate!(cleared, ns, ctx);
  assert.deepEqual((cleared.spec as any).finalizers, ['kubernetes']);
  const finalized: KObject = structuredClone(ns);
  (finalized.spec as any).finalizers = [];
  namespaceFinalizeStrategy.prepareForUpdate!(finalized, ns, ctx);
  assert.deepEqual((finalized.spec as any).finalizers, []);

  const bad: KObject = { metadata: meta('a.b'), spec: {} };
  assert.match(namespaceResource.strategy.validate!(bad, ctx).map(fieldErrorMessage)[0]!, /^metadata\.name: Invalid value: "a\.b": a lowercase RFC 1123 label/);
});

test('node STATUS, ROLES and wide cells', () => {
  const node: KObject = {
    metadata: meta('node-1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } }),
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'node-1' }],
      nodeInfo: { kubeletVersion: 'v1.31.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
    },
  };
  assert.deepEqual(nodeResource.table!.cells(node, now), [
    'node-1', 'Ready,SchedulingDisabled', 'control-plane,worker', '2d4h', 'v1.31.0',
    '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0',
  ]);
  const bare: KObject = { metadata: meta('n2'), spec: {} };
  assert.deepEqual(nodeResource.table!.cells(bare, now).slice(1, 3), ['Unknown', '<none>']);
  assert.deepEqual(nodeResource.selectableFields!(node), { 'spec.unschedulable': 'true' });
});

test('event cells and field selectors', () => {
  const ev: KObject = {
    metadata: meta('web.17a', { namespace: 'default' }),
    involvedObject: { kind: 'Pod', name: 'web', namespace: 'default', fieldPath: 'spec.containers{web}' },
    reason: 'Pulled', message: 'Container image "nginx" already present on machine\n', type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' }, count: 3,
    firstTimestamp: '2024-01-03T03:50:00Z', lastTimestamp: '2024-01-03T03:59:00Z',
  };
  assert.deepEqual(eventResource.table!.cells(ev, now), [
    '60s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{web}', 'kubelet, node-1',
    'Container image "nginx" already present on machine', '10m', 3, 'web.17a',
  ]);
  assert.equal(eventResource.selectableFields!(ev)['involvedObject.name'], 'web');
  assert.equal(eventResource.selectableFields!(ev).source, 'kubelet');
  const other: KObject = { ...ev, involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } };
  assert.deepEqual(eventResource.strategy.validate!(other, ctx).map(fieldErrorMessage), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
});

test('endpoints cell lists up to three addresses', () => {
  const ep: KObject = {
    metadata: meta('web'),
    subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80, protocol: 'TCP' }] }],
  };
  assert.deepEqual(endpointsResource.table!.cells(ep, now), ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...', '2d4h']);
  assert.deepEqual(endpointsResource.table!.cells({ metadata: meta('none') }, now), ['none', '<none>', '2d4h']);
});

test('persistent volumes and claims: defaults and table cells', () => {
  const pv: KObject = { metadata: meta('pv1'), spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'], hostPath: { path: '/data' } } };
  persistentVolumeResource.strategy.defaults!(pv);
  persistentVolumeResource.strategy.prepareForCreate!(pv, ctx);
  assert.equal((pv.spec as any).persistentVolumeReclaimPolicy, 'Retain');
  assert.equal((pv.spec as any).volumeMode, 'Filesystem');
  assert.equal((pv.status as any).phase, 'Pending');
  assert.deepEqual(persistentVolumeResource.strategy.validate!(pv, ctx), []);
  assert.deepEqual(persistentVolumeResource.table!.cells(pv, now), [
    'pv1', '1Gi', 'RWO,RWX', 'Retain', 'Pending', '', '', '<unset>', '', '2d4h', 'Filesystem',
  ]);

  const pvc: KObject = { metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'standard' } };
  persistentVolumeClaimResource.strategy.defaults!(pvc);
  persistentVolumeClaimResource.strategy.prepareForCreate!(pvc, ctx);
  assert.deepEqual(persistentVolumeClaimResource.table!.cells(pvc, now), ['data', 'Pending', '', '', '', 'standard', '<unset>', '2d4h', 'Filesystem']);
  const bound: KObject = structuredClone(pvc);
  (bound.spec as any).volumeName = 'pv1';
  bound.status = { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } };
  assert.deepEqual(persistentVolumeClaimResource.table!.cells(bound, now).slice(1, 5), ['Bound', 'pv1', '1Gi', 'RWO']);
  assert.deepEqual(persistentVolumeClaimResource.strategy.validateUpdate!(bound, pvc, ctx), []);
  const changed: KObject = structuredClone(pvc);
  (changed.spec as any).accessModes = ['ReadWriteMany'];
  assert.match(persistentVolumeClaimResource.strategy.validateUpdate!(changed, pvc, ctx).map(fieldErrorMessage)[0]!, /^spec: Forbidden: spec is immutable after creation/);
  const empty: KObject = { metadata: meta('x'), spec: {} };
  assert.deepEqual(persistentVolumeClaimResource.strategy.validate!(empty, ctx).map(fieldErrorMessage), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
});

test('replication controllers: selector and replicas default from the template; selector must match', () => {
  const rc: KObject = {
    metadata: meta('web'),
    spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } },
  };
  replicationControllerResource.strategy.defaults!(rc);
  replicationControllerResource.strategy.prepareForCreate!(rc, ctx);
  assert.deepEqual((rc.spec as any).selector, { app: 'web' });
  assert.deepEqual(rc.metadata.labels, { app: 'web' });
  assert.equal((rc.spec as any).replicas, 1);
  assert.deepEqual(replicationControllerResource.strategy.validate!(rc, ctx), []);
  assert.deepEqual(replicationControllerResource.table!.cells(rc, now), ['web', 1, 0, 0, '2d4h', 'web', 'nginx:1.25', 'app=web']);

  const mismatch: KObject = structuredClone(rc);
  (mismatch.spec as any).selector = { app: 'other' };
  (mismatch.spec as any).template.spec.restartPolicy = 'OnFailure';
  assert.deepEqual(replicationControllerResource.strategy.validate!(mismatch, ctx).map(fieldErrorMessage), [
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
  ]);
  assert.deepEqual(replicationControllerResource.subresources!.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' });
});

test('resource quota REQUEST and LIMIT cells', () => {
  const rq: KObject = {
    metadata: meta('q'),
    spec: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi' } },
    status: { hard: { pods: '10', 'requests.cpu': '1', 'limits.memory': '2Gi' }, used: { pods: '2', 'requests.cpu': '500m' } },
  };
  assert.deepEqual(resourceQuotaResource.table!.cells(rq, now), ['q', 'pods: 2/10, requests.cpu: 500m/1', 'limits.memory: 0/2Gi', '2d4h']);
});
