// The kubelet's pod conditions (upstream generate.go): reasons and messages as kubectl shows them,
// readiness gates, sidecars, and lastTransitionTime kept while a status does not change; and the
// status manager's merge keeping other owners' conditions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  containersReadyCondition, podConditions, podInitializedCondition, podReadyCondition,
} from '../../src/kubelet/pod-conditions.ts';
import { mergePodStatus } from '../../src/kubelet/status-manager.ts';

type Obj = Record<string, any>;

const spec = (containers: string[], inits: Obj[] = [], readinessGates: string[] = []): Obj => ({
  containers: containers.map((name) => ({ name })), initContainers: inits, readinessGates: readinessGates.map((conditionType) => ({ conditionType })),
});

const cases: Array<[string, () => Obj, Obj]> = [
  ['ContainersReady with unknown statuses', () => containersReadyCondition(spec(['a']), undefined, 'Pending'), { type: 'ContainersReady', status: 'False', reason: 'UnknownContainerStatuses' }],
  ['ContainersReady lists unready containers in spec order', () => containersReadyCondition(spec(['a', 'b', 'c']), [{ name: 'c', ready: false }, { name: 'a', ready: false }, { name: 'b', ready: true }], 'Running'),
    { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a c]' }],
  ['ContainersReady with unknown and unready', () => containersReadyCondition(spec(['a', 'b']), [{ name: 'b', ready: false }], 'Pending'),
    { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unknown status: [a], containers with unready status: [b]' }],
  ['ContainersReady of a succeeded pod', () => containersReadyCondition(spec(['a']), [{ name: 'a', ready: false }], 'Succeeded'), { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }],
  ['ContainersReady counts sidecars', () => containersReadyCondition(spec(['a'], [{ name: 's', restartPolicy: 'Always' }]), [{ name: 'a', ready: true }, { name: 's', ready: false }], 'Running'),
    { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [s]' }],
  ['Ready follows ContainersReady', () => podReadyCondition(spec(['a']), [], [{ name: 'a', ready: false }], 'Running'),
    { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [a]' }],
  ['Ready waits for a missing readiness gate', () => podReadyCondition(spec(['a'], [], ['example.com/lb']), [], [{ name: 'a', ready: true }], 'Running'),
    { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.' }],
  ['Ready with a False readiness gate', () => podReadyCondition(spec(['a'], [], ['example.com/lb']), [{ type: 'example.com/lb', status: 'False' }], [{ name: 'a', ready: true }], 'Running'),
    { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: 'the status of pod readiness gate "example.com/lb" is not "True", but False' }],
  ['Ready', () => podReadyCondition(spec(['a'], [], ['example.com/lb']), [{ type: 'example.com/lb', status: 'True' }], [{ name: 'a', ready: true }], 'Running'), { type: 'Ready', status: 'True' }],
  ['Initialized without init containers', () => podInitializedCondition(spec(['a']), [], 'Pending'), { type: 'Initialized', status: 'True' }],
  ['Initialized while an init container runs', () => podInitializedCondition(spec(['a'], [{ name: 'i' }, { name: 'j' }]), [{ name: 'i', ready: false, state: { running: {} } }], 'Pending'),
    { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message: 'containers with unknown status: [j], containers with incomplete status: [i]' }],
  ['Initialized once a regular container started', () => podInitializedCondition(spec(['a'], [{ name: 'i' }]), [{ name: 'a', state: { running: {} } }], 'Running'), { type: 'Initialized', status: 'True' }],
  ['Initialized: a sidecar counts once started', () => podInitializedCondition(spec(['a'], [{ name: 's', restartPolicy: 'Always' }]), [{ name: 's', started: true, state: { running: {} } }], 'Pending'),
    { type: 'Initialized', status: 'True' }],
];

for (const [name, fn, want] of cases) {
  test(`condition: ${name}`, () => assert.deepEqual(fn(), want));
}

test('podConditions: kubelet conditions in upstream order after others; transition times kept while unchanged', () => {
  const old = [
    { type: 'Ready', status: 'False', lastTransitionTime: '2025-01-01T00:00:00Z' },
    { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-12-31T23:59:59Z' },
  ];
  const api = [...old, { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' }];
  const now = Date.UTC(2025, 0, 1, 0, 5);
  const conds = podConditions({ spec: spec(['a']), apiConditions: api, oldConditions: old, statuses: [{ name: 'a', ready: true, state: { running: {} } }], phase: 'Running', sandboxReady: true, now });
  assert.deepEqual(conds.map((c) => c.type), ['DisruptionTarget', 'PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  const by = Object.fromEntries(conds.map((c) => [c.type, c]));
  assert.equal(by.Ready.lastTransitionTime, '2025-01-01T00:05:00Z');
  assert.equal(by.PodScheduled.lastTransitionTime, '2024-12-31T23:59:59Z');
  assert.equal(by.Ready.lastProbeTime, null);
  assert.equal(by.PodReadyToStartContainers.status, 'True');
});

test('mergePodStatus keeps conditions other components own from the API and the kubelet\'s own from its status', () => {
  const api = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }, { type: 'example.com/lb', status: 'True' }] };
  const ours = { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] };
  assert.deepEqual(mergePodStatus(api, ours).conditions, [{ type: 'example.com/lb', status: 'True' }, { type: 'Ready', status: 'False' }]);
});
