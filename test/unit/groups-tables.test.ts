// Table cells the server returns for `kubectl get` of the non-core kinds (printers.go behaviour).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import type { ResourceDefinition } from '../../src/registry/types.ts';
import { resources as apps } from '../../src/registry/apps/index.ts';
import { resources as groups } from '../../src/registry/groups/index.ts';

const NOW = new Date('2024-01-01T01:00:00Z');
const CREATED = '2024-01-01T00:55:00Z'; // 5m before NOW
const all = [...apps, ...groups];

function def(group: string, resource: string, version = group === 'autoscaling' ? 'v2' : 'v1'): ResourceDefinition {
  const d = all.find((x) => x.group === group && x.resource === resource && x.version === version);
  assert.ok(d, `${resource}.${group}/${version}`);
  return d;
}

function obj(fields: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return { metadata: { name: 'x', namespace: 'default', creationTimestamp: CREATED, ...meta }, ...fields };
}

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'redis:7' }] } };

describe('column headers', () => {
  const cases: { group: string; resource: string; want: string; wide: string }[] = [
    { group: 'apps', resource: 'deployments', want: 'Name Ready Up-to-date Available Age', wide: 'Containers Images Selector' },
    { group: 'apps', resource: 'replicasets', want: 'Name Desired Current Ready Age', wide: 'Containers Images Selector' },
    { group: 'apps', resource: 'statefulsets', want: 'Name Ready Age', wide: 'Containers Images' },
    { group: 'apps', resource: 'daemonsets', want: 'Name Desired Current Ready Up-to-date Available Node Selector Age', wide: 'Containers Images Selector' },
    { group: 'apps', resource: 'controllerrevisions', want: 'Name Controller Revision Age', wide: '' },
    { group: 'batch', resource: 'jobs', want: 'Name Status Completions Duration Age', wide: 'Containers Images Selector' },
    { group: 'batch', resource: 'cronjobs', want: 'Name Schedule Timezone Suspend Active Last Schedule Age', wide: 'Containers Images Selector' },
    { group: 'storage.k8s.io', resource: 'storageclasses', want: 'Name Provisioner ReclaimPolicy VolumeBindingMode AllowVolumeExpansion Age', wide: '' },
    { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', want: 'Name Role Age', wide: 'Users Groups ServiceAccounts' },
    { group: 'rbac.authorization.k8s.io', resource: 'roles', want: 'Name Created At', wide: '' },
    { group: 'events.k8s.io', resource: 'events', want: 'Last Seen Type Reason Object Message', wide: 'Subobject Source First Seen Count Name' },
    { group: 'autoscaling', resource: 'horizontalpodautoscalers', want: 'Name Reference Targets MinPods MaxPods Replicas Age', wide: '' },
  ];
  for (const c of cases) {
    test(`${c.resource}.${c.group}`, () => {
      const cols = def(c.group, c.resource).table!.columns;
      assert.equal(cols.filter((x) => x.priority === 0).map((x) => x.name).join(' '), c.want);
      assert.equal(cols.filter((x) => x.priority > 0).map((x) => x.name).join(' '), c.wide);
      assert.equal(cols.find((x) => x.format === 'name')?.name, 'Name');
    });
  }
});

describe('cells', () => {
  const cases: { name: string; group: string; resource: string; obj: KObject; want: unknown[] }[] = [
    {
      name: 'deployment', group: 'apps', resource: 'deployments',
      obj: obj({ spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }),
      want: ['x', '2/3', 3, 2, '5m', 'a,b', 'nginx,redis:7', 'app=web'],
    },
    {
      name: 'replicaset without status', group: 'apps', resource: 'replicasets',
      obj: obj({ spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template } }),
      want: ['x', 1, 0, 0, '5m', 'a,b', 'nginx,redis:7', 'app=web'],
    },
    {
      name: 'statefulset', group: 'apps', resource: 'statefulsets',
      obj: obj({ spec: { replicas: 2, template }, status: { readyReplicas: 1 } }),
      want: ['x', '1/2', '5m', 'a,b', 'nginx,redis:7'],
    },
    {
      name: 'daemonset without node selector', group: 'apps', resource: 'daemonsets',
      obj: obj({ spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] }, template }, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1 } }),
      want: ['x', 2, 2, 1, 0, 0, '<none>', '5m', 'a,b', 'nginx,redis:7', 'app in (api,web)'],
    },
    {
      name: 'controllerrevision of a statefulset', group: 'apps', resource: 'controllerrevisions',
      obj: obj({ revision: 2, data: {} }, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] }),
      want: ['x', 'statefulset.apps/web', 2, '5m'],
    },
    {
      name: 'running job', group: 'batch', resource: 'jobs',
      obj: obj({ spec: { completions: 3, parallelism: 1, template, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } } }, status: { succeeded: 1, startTime: '2024-01-01T00:58:00Z' } }),
      want: ['x', 'Running', '1/3', '2m', '5m', 'a,b', 'nginx,redis:7', 'batch.kubernetes.io/controller-uid=u1'],
    },
    {
      name: 'complete job', group: 'batch', resource: 'jobs',
      obj: obj({ spec: { parallelism: 2, template }, status: { succeeded: 1, startTime: '2024-01-01T00:56:00Z', completionTime: '2024-01-01T00:56:42Z', conditions: [{ type: 'Complete', status: 'True' }] } }),
      want: ['x', 'Complete', '1/1 of 2', '42s', '5m', 'a,b', 'nginx,redis:7', '<none>'],
    },
    {
      name: 'cronjob never scheduled', group: 'batch', resource: 'cronjobs',
      obj: obj({ spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template } } } }),
      want: ['x', '*/1 * * * *', '<none>', 'False', 0, '<none>', '5m', 'a,b', 'nginx,redis:7', '<none>'],
    },
    {
      name: 'default storageclass', group: 'storage.k8s.io', resource: 'storageclasses',
      obj: obj({ provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' }, { namespace: undefined, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }),
      want: ['x (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '5m'],
    },
    {
      name: 'rolebinding', group: 'rbac.authorization.k8s.io', resource: 'rolebindings',
      obj: obj({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'sa', namespace: 'ns' }, { kind: 'Group', name: 'devs' }] }),
      want: ['x', 'ClusterRole/view', '5m', 'jane', 'devs', 'ns/sa'],
    },
    {
      name: 'role', group: 'rbac.authorization.k8s.io', resource: 'roles',
      obj: obj({ rules: [] }),
      want: ['x', CREATED],
    },
    {
      name: 'pdb', group: 'policy', resource: 'poddisruptionbudgets',
      obj: obj({ spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }),
      want: ['x', '50%', 'N/A', 1, '5m'],
    },
    {
      name: 'ingress', group: 'networking.k8s.io', resource: 'ingresses',
      obj: obj({ spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, {}], tls: [{ hosts: ['a.example.com'] }] }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } }),
      want: ['x', 'nginx', 'a.example.com', '10.0.0.1', '80, 443', '5m'],
    },
    {
      name: 'networkpolicy selecting all pods', group: 'networking.k8s.io', resource: 'networkpolicies',
      obj: obj({ spec: { podSelector: {} } }),
      want: ['x', '<none>', '5m'],
    },
    {
      name: 'lease', group: 'coordination.k8s.io', resource: 'leases',
      obj: obj({ spec: { holderIdentity: 'node-1' } }),
      want: ['x', 'node-1', '5m'],
    },
    {
      name: 'endpointslice', group: 'discovery.k8s.io', resource: 'endpointslices',
      obj: obj({ addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }, { addresses: ['10.0.0.3'] }, { addresses: ['10.0.0.4'] }] }),
      want: ['x', 'IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '5m'],
    },
    {
      name: 'hpa', group: 'autoscaling', resource: 'horizontalpodautoscalers',
      obj: obj({ spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] }, status: { currentReplicas: 2 } }),
      want: ['x', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 2, '5m'],
    },
    {
      name: 'priorityclass', group: 'scheduling.k8s.io', resource: 'priorityclasses',
      obj: obj({ value: 1000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' }),
      want: ['x', 1000, false, '5m', 'PreemptLowerPriority'],
    },
    {
      name: 'events.k8s.io event', group: 'events.k8s.io', resource: 'events',
      obj: obj({ eventTime: '2024-01-01T00:59:00.000000Z', type: 'Normal', reason: 'Scheduled', note: 'Successfully assigned ', regarding: { kind: 'Pod', name: 'web-1' }, reportingController: 'default-scheduler' }),
      want: ['60s', 'Normal', 'Scheduled', 'pod/web-1', '', 'default-scheduler', 'Successfully assigned', '60s', 1, 'x'],
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const d = def(c.group, c.resource);
      const cells = d.table!.cells(c.obj, NOW);
      assert.equal(cells.length, d.table!.columns.length);
      assert.deepEqual(cells, c.want);
    });
  }
});
