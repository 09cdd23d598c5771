import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { podResource } from '../../src/registry/core/pod.ts';

const now = new Date('2024-01-01T01:00:00Z');
const created = '2024-01-01T00:55:00Z';

function pod(spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}): KObject {
  return { metadata: { name: 'web', creationTimestamp: created, ...meta }, spec, status };
}

const oneContainer = { containers: [{ name: 'c', image: 'nginx' }] };
const running = { running: { startedAt: created } };

test('pod table columns match kubectl get pods (-o wide)', () => {
  assert.deepEqual(podResource.table!.columns.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0],
    ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
});

test('pod STATUS, READY and RESTARTS cells', () => {
  const cases: [string, KObject, [string, string, string]][] = [
    ['pending', pod(oneContainer, { phase: 'Pending' }), ['0/1', 'Pending', '0']],
    ['running ready', pod(oneContainer, { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }] }), ['1/1', 'Running', '0']],
    ['container creating', pod(oneContainer, { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }), ['0/1', 'ContainerCreating', '0']],
    ['crash loop with restart age', pod(oneContainer, {
      phase: 'Running',
      containerStatuses: [{
        name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2024-01-01T00:58:00Z' } },
      }],
    }), ['0/1', 'CrashLoopBackOff', '3 (2m ago)']],
    ['completed', pod(oneContainer, { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), ['0/1', 'Completed', '0']],
    ['exit code without reason', pod(oneContainer, { phase: 'Failed', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }), ['0/1', 'ExitCode:2', '0']],
    ['init waiting', pod({ ...oneContainer, initContainers: [{ name: 'i1', image: 'busybox' }, { name: 'i2', image: 'busybox' }] }, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', ready: true, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'i2', ready: false, restartCount: 0, state: { running: {} } },
      ],
    }), ['0/1', 'Init:1/2', '0']],
    ['init crash', pod({ ...oneContainer, initContainers: [{ name: 'i1', image: 'busybox' }] }, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    }), ['0/1', 'Init:CrashLoopBackOff', '4']],
    ['init error', pod({ ...oneContainer, initContainers: [{ name: 'i1', image: 'busybox' }] }, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error' } } }],
    }), ['0/1', 'Init:Error', '0']],
    ['sidecar counts in READY', pod({ ...oneContainer, initContainers: [{ name: 's', image: 'envoy', restartPolicy: 'Always' }] }, {
      phase: 'Running',
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 's', ready: true, started: true, restartCount: 0, state: running }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }],
    }), ['2/2', 'Running', '0']],
    ['terminating', pod(oneContainer, { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }] }, { deletionTimestamp: '2024-01-01T00:59:00Z' }), ['1/1', 'Terminating', '0']],
    ['evicted reason', pod(oneContainer, { phase: 'Failed', reason: 'Evicted' }), ['0/1', 'Evicted', '0']],
    ['scheduling gated', pod(oneContainer, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), ['0/1', 'SchedulingGated', '0']],
  ];
  for (const [name, p, [ready, status, restarts]] of cases) {
    const cells = podResource.table!.cells(p, now);
    assert.deepEqual(cells.slice(1, 4), [ready, status, restarts], name);
    assert.equal(cells[4], '5m', name);
  }
});

test('wide cells show <none> when unset and readiness gates as n/m', () => {
  const p = pod({ ...oneContainer, readinessGates: [{ conditionType: 'x/ready' }] }, { phase: 'Pending', conditions: [{ type: 'x/ready', status: 'True' }] });
  assert.deepEqual(podResource.table!.cells(p, now).slice(5), ['<none>', '<none>', '<none>', '1/1']);
  const scheduled = pod({ ...oneContainer, nodeName: 'node-1' }, { phase: 'Running', podIPs: [{ ip: '10.244.0.5' }] });
  assert.deepEqual(podResource.table!.cells(scheduled, now).slice(5), ['10.244.0.5', 'node-1', '<none>', '<none>']);
});

test('pod field selectors', () => {
  const p = pod({ ...oneContainer, nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' }, { phase: 'Running', podIPs: [{ ip: '10.0.0.1' }] });
  assert.deepEqual(podResource.selectableFields!(p), {
    'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default', 'spec.hostNetwork': 'false', 'status.phase': 'Running',
    'status.podIP': '10.0.0.1', 'status.nominatedNodeName': '',
  });
});
