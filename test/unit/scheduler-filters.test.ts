// The filter plugins, table-driven: which nodes a pod fits and the exact reason texts upstream
// prints for the others.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interPodAffinityFilter, interPodAffinityPreFilter } from '../../src/scheduler/plugins/inter-pod-affinity.ts';
import { nodeAffinityFilter } from '../../src/scheduler/plugins/node-affinity.ts';
import { nodeName } from '../../src/scheduler/plugins/node-name.ts';
import { nodePorts } from '../../src/scheduler/plugins/node-ports.ts';
import { nodeResourcesFitFilter } from '../../src/scheduler/plugins/node-resources-fit.ts';
import { nodeUnschedulable } from '../../src/scheduler/plugins/node-unschedulable.ts';
import { podTopologySpreadFilter, podTopologySpreadPreFilter } from '../../src/scheduler/plugins/pod-topology-spread.ts';
import { taintTolerationFilter } from '../../src/scheduler/plugins/taint-toleration.ts';
import type { Profile } from '../../src/scheduler/framework.ts';
import type { Pod } from '../../src/scheduler/types.ts';
import { cluster, filterAll, mkNode, mkPod, newPodInfo } from './scheduler-fixtures.ts';

const only = (...filter: Profile['filter']): Profile => ({ preFilter: [], filter, preScore: [], score: [] });

describe('scheduler filters', () => {
  test('NodeResourcesFit: requests against allocatable minus what bound pods request', () => {
    const nodes = [mkNode('small', { cpu: '1', memory: '1Gi', pods: '2' }), mkNode('big', { cpu: '8', memory: '16Gi' })];
    const bound = [mkPod('b1', { cpu: '600m', memory: '512Mi', node: 'small' })];
    const { handle } = cluster(nodes, bound);
    const cases: [string, Pod, Record<string, string>][] = [
      ['fits both', mkPod('p', { cpu: '300m' }), { small: '', big: '' }],
      ['cpu short on small', mkPod('p', { cpu: '500m' }), { small: 'Insufficient cpu', big: '' }],
      ['cpu and memory short', mkPod('p', { cpu: '2', memory: '1Gi' }), { small: 'Insufficient cpu, Insufficient memory', big: '' }],
      ['too big for any', mkPod('p', { cpu: '9' }), { small: 'Insufficient cpu', big: 'Insufficient cpu' }],
      ['best-effort always fits', mkPod('p'), { small: '', big: '' }],
      ['extended resource', { ...mkPod('p'), spec: { containers: [{ name: 'c', resources: { requests: { 'example.com/gpu': '1' } } }] } }, { small: 'Insufficient example.com/gpu', big: 'Insufficient example.com/gpu' }],
    ];
    for (const [name, pod, want] of cases) assert.deepEqual(filterAll(only(nodeResourcesFitFilter), handle, newPodInfo(pod)), want, name);
    const full = cluster([mkNode('one', { pods: '1' })], [mkPod('x', { node: 'one' })]);
    assert.deepEqual(filterAll(only(nodeResourcesFitFilter), full.handle, newPodInfo(mkPod('p', { cpu: '1' }))), { one: 'Too many pods' });
  });

  test('init containers count by their maximum, overhead adds', () => {
    const { handle } = cluster([mkNode('n', { cpu: '1' })]);
    const pod = mkPod('p', { cpu: '200m', spec: { initContainers: [{ name: 'i', resources: { requests: { cpu: '1100m' } } }] } });
    assert.deepEqual(filterAll(only(nodeResourcesFitFilter), handle, newPodInfo(pod)), { n: 'Insufficient cpu' });
    const withOverhead = mkPod('p', { cpu: '900m', spec: { overhead: { cpu: '200m' } } });
    assert.deepEqual(filterAll(only(nodeResourcesFitFilter), handle, newPodInfo(withOverhead)), { n: 'Insufficient cpu' });
  });

  test('TaintToleration: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule is not enforced', () => {
    const nodes = [
      mkNode('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }] }),
      mkNode('gone', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }),
      mkNode('soft', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }),
    ];
    const { handle } = cluster(nodes);
    const cases: [string, Pod['spec']['tolerations'], Record<string, string>][] = [
      ['no tolerations', [], { gpu: 'node(s) had untolerated taint {gpu: true}', gone: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }', soft: '' }],
      ['Equal with value', [{ key: 'gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }], { gpu: '', gone: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }', soft: '' }],
      ['wrong value', [{ key: 'gpu', value: 'false' }], { gpu: 'node(s) had untolerated taint {gpu: true}', gone: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }', soft: '' }],
      ['Exists without key tolerates all', [{ operator: 'Exists' }], { gpu: '', gone: '', soft: '' }],
      ['effect must match', [{ key: 'gpu', operator: 'Exists', effect: 'NoExecute' }], { gpu: 'node(s) had untolerated taint {gpu: true}', gone: 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }', soft: '' }],
    ];
    for (const [name, tolerations, want] of cases) {
      assert.deepEqual(filterAll(only(taintTolerationFilter), handle, newPodInfo(mkPod('p', { spec: { tolerations } }))), want, name);
    }
  });

  test('NodeAffinity: nodeSelector and required terms (ORed terms, ANDed expressions, Gt/Lt, matchFields)', () => {
    const nodes = [mkNode('a', { labels: { zone: 'a', size: '4' } }), mkNode('b', { labels: { zone: 'b', size: '16' } }), mkNode('c', { labels: {} })];
    const { handle } = cluster(nodes);
    const R = "node(s) didn't match Pod's node affinity/selector";
    const req = (...nodeSelectorTerms: unknown[]) => ({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms } } } }) as Pod['spec'];
    const cases: [string, Partial<Pod['spec']>, Record<string, string>][] = [
      ['nodeSelector', { nodeSelector: { zone: 'a' } }, { a: '', b: R, c: R }],
      ['In', req({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a', 'b'] }] }), { a: '', b: '', c: R }],
      ['NotIn matches missing labels', req({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), { a: R, b: '', c: '' }],
      ['DoesNotExist', req({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }), { a: R, b: R, c: '' }],
      ['Gt', req({ matchExpressions: [{ key: 'size', operator: 'Gt', values: ['8'] }] }), { a: R, b: '', c: R }],
      ['ORed terms', req({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, { matchFields: [{ key: 'metadata.name', operator: 'In', values: ['c'] }] }), { a: '', b: R, c: '' }],
      ['empty term matches nothing', req({}), { a: R, b: R, c: R }],
      ['selector and affinity both apply', { nodeSelector: { zone: 'a' }, ...req({ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }) }, { a: R, b: R, c: R }],
    ];
    for (const [name, spec, want] of cases) assert.deepEqual(filterAll(only(nodeAffinityFilter), handle, newPodInfo(mkPod('p', { spec }))), want, name);
  });

  test('NodeUnschedulable and NodeName', () => {
    const { handle } = cluster([mkNode('cordoned', { unschedulable: true }), mkNode('open')]);
    assert.deepEqual(filterAll(only(nodeUnschedulable), handle, newPodInfo(mkPod('p'))), { cordoned: 'node(s) were unschedulable', open: '' });
    const tolerant = mkPod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    assert.deepEqual(filterAll(only(nodeUnschedulable), handle, newPodInfo(tolerant)), { cordoned: '', open: '' });
    assert.deepEqual(filterAll(only(nodeName), handle, newPodInfo(mkPod('p', { spec: { nodeName: 'open' } }))), { cordoned: "node(s) didn't match the requested node name", open: '' });
  });

  test('NodePorts: 0.0.0.0 clashes with any address; other addresses and protocols do not clash', () => {
    const withPort = (name: string, hostPort: number, hostIP?: string, protocol?: string, node?: string) => mkPod(name, {
      node, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, hostIP, protocol }] }] },
    });
    const nodes = [mkNode('any'), mkNode('ip'), mkNode('free')];
    const { handle } = cluster(nodes, [withPort('x', 8080, undefined, undefined, 'any'), withPort('y', 8080, '10.0.0.1', undefined, 'ip')]);
    const R = "node(s) didn't have free ports for the requested pod ports";
    const cases: [string, Pod, Record<string, string>][] = [
      ['0.0.0.0', withPort('p', 8080), { any: R, ip: R, free: '' }],
      ['other ip', withPort('p', 8080, '10.0.0.2'), { any: R, ip: '', free: '' }],
      ['same ip', withPort('p', 8080, '10.0.0.1'), { any: R, ip: R, free: '' }],
      ['UDP', withPort('p', 8080, undefined, 'UDP'), { any: '', ip: '', free: '' }],
      ['other port', withPort('p', 9090), { any: '', ip: '', free: '' }],
    ];
    for (const [name, pod, want] of cases) assert.deepEqual(filterAll(only(nodePorts), handle, newPodInfo(pod)), want, name);
  });

  test('InterPodAffinity: required affinity, anti-affinity, and existing pods\' anti-affinity', () => {
    const nodes = [mkNode('a1', { labels: { zone: 'a' } }), mkNode('a2', { labels: { zone: 'a' } }), mkNode('b1', { labels: { zone: 'b' } })];
    const anti = (app: string, topologyKey: string) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey }] } });
    const aff = (app: string, topologyKey: string) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey }] } });
    const bound = [
      mkPod('db', { labels: { app: 'db' }, node: 'a1' }),
      mkPod('loner', { labels: { app: 'loner' }, node: 'b1', spec: { affinity: anti('web', 'kubernetes.io/hostname') } }),
      mkPod('other-ns', { ns: 'other', labels: { app: 'cache' }, node: 'b1' }),
    ];
    const { handle } = cluster(nodes, bound);
    const profile: Profile = { preFilter: [interPodAffinityPreFilter], filter: [interPodAffinityFilter], preScore: [], score: [] };
    const A = "node(s) didn't match pod affinity rules";
    const AA = "node(s) didn't match pod anti-affinity rules";
    const EA = "node(s) didn't satisfy existing pods anti-affinity rules";
    const cases: [string, Pod, Record<string, string>][] = [
      ['affinity to db by zone', mkPod('p', { spec: { affinity: aff('db', 'zone') } }), { a1: '', a2: '', b1: A }],
      ['affinity to db by host', mkPod('p', { spec: { affinity: aff('db', 'kubernetes.io/hostname') } }), { a1: '', a2: A, b1: A }],
      ['anti-affinity to db by zone', mkPod('p', { spec: { affinity: anti('db', 'zone') } }), { a1: AA, a2: AA, b1: '' }],
      ['existing anti-affinity repels web', mkPod('p', { labels: { app: 'web' } }), { a1: '', a2: '', b1: EA }],
      ['namespaces default to the pod\'s own', mkPod('p', { spec: { affinity: aff('cache', 'zone') } }), { a1: A, a2: A, b1: A }],
      ['first of a self-affine group goes anywhere', mkPod('p', { labels: { app: 'new' }, spec: { affinity: aff('new', 'zone') } }), { a1: '', a2: '', b1: '' }],
    ];
    for (const [name, pod, want] of cases) assert.deepEqual(filterAll(profile, handle, newPodInfo(pod)), want, name);
  });

  test('PodTopologySpread: skew within maxSkew, minDomains, and nodes missing the key', () => {
    const nodes = [mkNode('a1', { labels: { zone: 'a' } }), mkNode('b1', { labels: { zone: 'b' } }), mkNode('b2', { labels: { zone: 'b' } }), mkNode('x')];
    const bound = [mkPod('w1', { labels: { app: 'w' }, node: 'a1' }), mkPod('w2', { labels: { app: 'w' }, node: 'a1' }), mkPod('w3', { labels: { app: 'w' }, node: 'b1' })];
    const { handle } = cluster(nodes, bound);
    const profile: Profile = { preFilter: [podTopologySpreadPreFilter], filter: [podTopologySpreadFilter], preScore: [], score: [] };
    const C = "node(s) didn't match pod topology spread constraints";
    const L = `${C} (missing required label)`;
    const spread = (maxSkew: number, extra = {}) => mkPod('p', { labels: { app: 'w' }, spec: { topologySpreadConstraints: [{ maxSkew, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'w' } }, ...extra }] } });
    const cases: [string, Pod, Record<string, string>][] = [
      ['maxSkew 1: zone a (2) is full, b (1) takes one', spread(1), { a1: C, b1: '', b2: '', x: L }],
      ['maxSkew 2 allows a', spread(2), { a1: '', b1: '', b2: '', x: L }],
      ['minDomains 3 counts the global minimum as 0', spread(2, { minDomains: 3 }), { a1: C, b1: '', b2: '', x: L }],
      ['ScheduleAnyway is not a filter', mkPod('p', { spec: { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'w' } } }] } }), { a1: '', b1: '', b2: '', x: '' }],
    ];
    for (const [name, pod, want] of cases) assert.deepEqual(filterAll(profile, handle, newPodInfo(pod)), want, name);
  });
});
