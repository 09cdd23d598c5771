// Score plugins, the message of a pod that fits nowhere, and the whole decision for small clusters.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CycleState, Framework, defaultNormalizeScore } from '../../src/scheduler/framework.ts';
import { fitErrorMessage, reasonHistogram } from '../../src/scheduler/fit-error.ts';
import { balancedAllocationScore } from '../../src/scheduler/plugins/balanced-allocation.ts';
import { defaultProfile } from '../../src/scheduler/plugins/index.ts';
import { interPodAffinityPreScore, interPodAffinityScore } from '../../src/scheduler/plugins/inter-pod-affinity.ts';
import { nodeAffinityScore } from '../../src/scheduler/plugins/node-affinity.ts';
import { leastAllocatedScore } from '../../src/scheduler/plugins/node-resources-fit.ts';
import { podTopologySpreadPreScore, podTopologySpreadScore } from '../../src/scheduler/plugins/pod-topology-spread.ts';
import { taintTolerationScore } from '../../src/scheduler/plugins/taint-toleration.ts';
import { imageLocality, imageLocalityPreScore, normalizedImageName } from '../../src/scheduler/plugins/image-locality.ts';
import { PodScheduler, numFeasibleNodesToFind } from '../../src/scheduler/schedule-pod.ts';
import { unresolvable, unschedulable } from '../../src/scheduler/status.ts';
import type { PreScorePlugin, ScorePlugin } from '../../src/scheduler/framework.ts';
import type { Pod } from '../../src/scheduler/types.ts';
import { cluster, mkNode, mkPod, newPodInfo } from './scheduler-fixtures.ts';

function scores(pre: PreScorePlugin[], plugin: ScorePlugin, nodes: ReturnType<typeof mkNode>[], bound: Pod[], pod: Pod): Record<string, number> {
  const { handle, infos } = cluster(nodes, bound);
  const fwk = new Framework({ preFilter: [], filter: [], preScore: pre, score: [{ ...plugin, weight: 1 }] }, handle);
  const totals = fwk.runScore(new CycleState(), newPodInfo(pod), infos);
  return Object.fromEntries(infos.map((n, i) => [n.name, totals[i]!]));
}

describe('scheduler scores', () => {
  test('LeastAllocated: free share of cpu and memory, request-less containers count 100m/200Mi', () => {
    const { infos } = cluster([mkNode('n', { cpu: '4', memory: '8Gi' })], [mkPod('b', { cpu: '1', memory: '2Gi', node: 'n' })]);
    const cases: [string, Pod, number][] = [
      ['1 cpu + 2Gi more', mkPod('p', { cpu: '1', memory: '2Gi' }), 50],
      ['defaults', mkPod('p'), Math.trunc((Math.trunc((4000 - 1100) * 100 / 4000) + Math.trunc((8192 - 2048 - 200) * 100 / 8192)) / 2)],
      ['over capacity scores 0 for that resource', mkPod('p', { cpu: '8', memory: '1Gi' }), Math.trunc((0 + Math.trunc((8 - 3) * 100 / 8)) / 2)],
    ];
    for (const [name, pod, want] of cases) assert.equal(leastAllocatedScore(newPodInfo(pod), infos[0]!), want, name);
  });

  test('BalancedAllocation: equal cpu and memory fractions score 100', () => {
    const { infos } = cluster([mkNode('n', { cpu: '4', memory: '8Gi' })]);
    assert.equal(balancedAllocationScore(newPodInfo(mkPod('p', { cpu: '2', memory: '4Gi' })), infos[0]!), 100);
    assert.equal(balancedAllocationScore(newPodInfo(mkPod('p', { cpu: '4', memory: '0' })), infos[0]!), 50);
  });

  test('TaintToleration prefers fewer untolerated PreferNoSchedule taints', () => {
    const nodes = [mkNode('clean'), mkNode('one', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }), mkNode('two', { taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'b', effect: 'PreferNoSchedule' }] })];
    assert.deepEqual(scores([], taintTolerationScore, nodes, [], mkPod('p')), { clean: 100, one: 50, two: 0 });
    assert.deepEqual(scores([], taintTolerationScore, nodes, [], mkPod('p', { spec: { tolerations: [{ operator: 'Exists' }] } })), { clean: 100, one: 100, two: 100 });
  });

  test('NodeAffinity score: preferred term weights, normalised', () => {
    const nodes = [mkNode('ssd', { labels: { disk: 'ssd' } }), mkNode('hdd', { labels: { disk: 'hdd' } })];
    const pod = mkPod('p', { spec: { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 20, preference: { matchExpressions: [{ key: 'disk', operator: 'Exists' }] } },
    ] } } } });
    assert.deepEqual(scores([], nodeAffinityScore, nodes, [], pod), { ssd: 100, hdd: 20 });
  });

  test('InterPodAffinity score: preferred affinity attracts, preferred anti-affinity repels', () => {
    const nodes = [mkNode('a1', { labels: { zone: 'a' } }), mkNode('b1', { labels: { zone: 'b' } })];
    const bound = [mkPod('cache', { labels: { app: 'cache' }, node: 'a1' })];
    const pref = (kind: 'podAffinity' | 'podAntiAffinity') => mkPod('p', { spec: { affinity: { [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'zone' } }] } } } });
    assert.deepEqual(scores([interPodAffinityPreScore], interPodAffinityScore, nodes, bound, pref('podAffinity')), { a1: 100, b1: 0 });
    assert.deepEqual(scores([interPodAffinityPreScore], interPodAffinityScore, nodes, bound, pref('podAntiAffinity')), { a1: 0, b1: 100 });
  });

  test('PodTopologySpread score: ScheduleAnyway prefers the emptier domain', () => {
    const nodes = [mkNode('a1', { labels: { zone: 'a' } }), mkNode('b1', { labels: { zone: 'b' } })];
    const bound = [mkPod('w1', { labels: { app: 'w' }, node: 'a1' }), mkPod('w2', { labels: { app: 'w' }, node: 'a1' })];
    const pod = mkPod('p', { labels: { app: 'w' }, spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'w' } } }] } });
    const s = scores([podTopologySpreadPreScore], podTopologySpreadScore, nodes, bound, pod);
    assert.ok(s.b1! > s.a1!, JSON.stringify(s));
    assert.equal(s.b1, 100);
  });

  test('ImageLocality prefers nodes that have the image, by its size', () => {
    assert.equal(normalizedImageName('nginx'), 'docker.io/library/nginx:latest');
    assert.equal(normalizedImageName('registry.k8s.io/pause:3.10'), 'registry.k8s.io/pause:3.10');
    const withImage = mkNode('has');
    withImage.status!.images = [{ names: ['docker.io/library/nginx:latest'], sizeBytes: 500 * 1024 * 1024 }];
    const s = scores([imageLocalityPreScore], imageLocality, [withImage, mkNode('none')], [], mkPod('p'));
    assert.ok(s.has! > 0 && s.none === 0, JSON.stringify(s));
  });

  test('defaultNormalizeScore scales to 0…100, reversed when lower is better', () => {
    const s = [0, 5, 10];
    defaultNormalizeScore(s, false);
    assert.deepEqual(s, [0, 50, 100]);
    const r = [0, 5, 10];
    defaultNormalizeScore(r, true);
    assert.deepEqual(r, [100, 50, 0]);
  });
});

describe('unschedulable message', () => {
  test('reasons counted over nodes, sorted as strings, preemption as its own sentence', () => {
    const m = new Map([
      ['n1', unschedulable('Insufficient cpu')],
      ['n2', unresolvable('node(s) had untolerated taint {node.kubernetes.io/unreachable: }')],
      ['n3', unresolvable('node(s) had untolerated taint {node.kubernetes.io/unreachable: }')],
      ['n4', unschedulable('Insufficient cpu', 'Insufficient memory')],
    ]);
    assert.deepEqual(reasonHistogram(m.values()), ['1 Insufficient memory', '2 Insufficient cpu', '2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }']);
    assert.equal(fitErrorMessage(4, { nodeToStatus: m }),
      '0/4 nodes are available: 1 Insufficient memory, 2 Insufficient cpu, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.');
    assert.equal(fitErrorMessage(4, { nodeToStatus: m, postFilterMsg: 'preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.' }),
      '0/4 nodes are available: 1 Insufficient memory, 2 Insufficient cpu, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/4 nodes are available: 2 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling..');
    assert.equal(fitErrorMessage(3, { nodeToStatus: new Map(), preFilterMsg: 'pod has unbound immediate PersistentVolumeClaims' }),
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
  });
});

describe('schedulePod', () => {
  test('every node is searched below 100 nodes; an adaptive share above', () => {
    assert.equal(numFeasibleNodesToFind(3), 3);
    assert.equal(numFeasibleNodesToFind(99), 99);
    assert.equal(numFeasibleNodesToFind(100), 100);
    assert.equal(numFeasibleNodesToFind(1000), 420);
    assert.equal(numFeasibleNodesToFind(5000), 500);
  });

  test('the least loaded feasible node wins; filters decide feasibility', () => {
    const nodes = [mkNode('busy', { cpu: '4' }), mkNode('idle', { cpu: '4' }), mkNode('tainted', { taints: [{ key: 'k', effect: 'NoSchedule' }] })];
    const { handle } = cluster(nodes, [mkPod('b', { cpu: '3', node: 'busy' })]);
    const r = new PodScheduler(new Framework(defaultProfile(), handle), () => 0).schedule(newPodInfo(mkPod('p', { cpu: '500m' })), () => []);
    assert.equal(r.kind, 'scheduled');
    assert.equal(r.kind === 'scheduled' && r.node, 'idle');
    const none = new PodScheduler(new Framework(defaultProfile(), handle)).schedule(newPodInfo(mkPod('p', { cpu: '5' })), () => []);
    assert.equal(none.kind, 'unschedulable');
    if (none.kind === 'unschedulable') {
      assert.equal(fitErrorMessage(none.numAllNodes, none.diagnosis), '0/3 nodes are available: 1 node(s) had untolerated taint {k: }, 2 Insufficient cpu.');
    }
  });

  test('pods nominated to a node keep their room from lower-priority pods', () => {
    const { handle } = cluster([mkNode('n', { cpu: '2' })]);
    const fwk = new Framework(defaultProfile(), handle);
    const nominee = newPodInfo(mkPod('nominee', { cpu: '1500m', priority: 100 }));
    const low = new PodScheduler(fwk).schedule(newPodInfo(mkPod('low', { cpu: '1' })), () => [nominee]);
    assert.equal(low.kind, 'unschedulable');
    const high = new PodScheduler(fwk).schedule(newPodInfo(mkPod('high', { cpu: '1', priority: 200 })), () => [nominee]);
    assert.equal(high.kind, 'scheduled');
  });
});
