// Admission of pods bound to the node (the kubelet's GeneralPredicates), table-driven: reasons and
// messages as the rejected pod's status and event show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { canAdmitPod } from '../../src/kubelet/pod-admission.ts';

type Obj = Record<string, any>;

const node: KObject = {
  apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1', disk: 'ssd' } },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '3', 'ephemeral-storage': '10Gi' } },
};

let n = 0;
function pod(spec: Obj = {}, requests?: Obj, ports?: Obj[]): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${++n}`, namespace: 'ns', uid: `u${n}` },
    spec: { nodeName: 'n1', containers: [{ name: 'c', ...(requests ? { resources: { requests } } : {}), ...(ports ? { ports } : {}) }], ...spec },
  };
}

const cases: Array<[string, KObject, KObject[], Obj]> = [
  ['fits', pod({}, { cpu: '500m', memory: '1Gi' }), [pod({}, { cpu: '1' })], { admit: true }],
  ['too many pods', pod(), [pod(), pod(), pod()], { admit: false, reason: 'OutOfpods', message: "Node didn't have enough resource: pods, requested: 1, used: 3, capacity: 3" }],
  ['not enough cpu', pod({}, { cpu: '1500m' }), [pod({}, { cpu: '1' })], { admit: false, reason: 'OutOfcpu', message: "Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000" }],
  ['not enough memory', pod({}, { memory: '3Gi' }), [pod({}, { memory: '2Gi' })],
    { admit: false, reason: 'OutOfmemory', message: `Node didn't have enough resource: memory, requested: ${3 * 1024 ** 3}, used: ${2 * 1024 ** 3}, capacity: ${4 * 1024 ** 3}` }],
  ['node selector mismatch', pod({ nodeSelector: { disk: 'hdd' } }), [], { admit: false, reason: 'NodeAffinity', message: "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector" }],
  ['host port taken', pod({}, undefined, [{ containerPort: 80, hostPort: 8080 }]), [pod({}, undefined, [{ containerPort: 80, hostPort: 8080 }])],
    { admit: false, reason: 'NodePorts', message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports" }],
  ['requests without limits of the others do not count when zero', pod({}, { cpu: '2' }), [pod()], { admit: true }],
];

for (const [name, p, others, want] of cases) {
  test(`canAdmitPod: ${name}`, () => assert.deepEqual(canAdmitPod(p, node, others), want));
}
