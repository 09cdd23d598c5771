// Pure helpers of the DaemonSet and StatefulSet controllers: which nodes a DaemonSet runs on,
// daemon pod tolerations, revision hashes and names, StatefulSet member identity.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { addOrUpdateDaemonPodTolerations, type DaemonSet } from '../../src/controllers/daemonset/daemon-pod.ts';
import { nodeShouldRunDaemonPod } from '../../src/controllers/daemonset/node-eligibility.ts';
import { fnv32, hashRevisionData, safeEncodeString } from '../../src/controllers/history/revision-hash.ts';
import { getParentNameAndOrdinal, newStatefulSetPod, type StatefulSet } from '../../src/controllers/statefulset/stateful-set-utils.ts';

type Obj = Record<string, any>;

const ds = (podSpec: Obj): DaemonSet => ({ metadata: { name: 'ds', namespace: 'ns', uid: 'u' }, spec: { template: { spec: podSpec } } });
const node = (labels: Obj, taints: Obj[] = [], name = 'n1') => ({ metadata: { name, labels }, spec: { taints } });

describe('nodeShouldRunDaemonPod', () => {
  const cases: [string, Obj, ReturnType<typeof node>, [boolean, boolean]][] = [
    ['plain node', {}, node({}), [true, true]],
    ['nodeSelector matches', { nodeSelector: { disk: 'ssd' } }, node({ disk: 'ssd' }), [true, true]],
    ['nodeSelector does not match', { nodeSelector: { disk: 'ssd' } }, node({ disk: 'hdd' }), [false, false]],
    ['required affinity NotIn', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } } }, node({ zone: 'a' }), [false, false]],
    ['nodeName elsewhere', { nodeName: 'other' }, node({}), [false, false]],
    ['untolerated NoSchedule: no new pod, an existing one stays', {}, node({}, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]), [false, true]],
    ['untolerated NoExecute: none', {}, node({}, [{ key: 'k', effect: 'NoExecute' }]), [false, false]],
    ['tolerated NoSchedule', { tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' }] }, node({}, [{ key: 'k', value: 'v', effect: 'NoSchedule' }]), [true, true]],
    ['PreferNoSchedule ignored', {}, node({}, [{ key: 'k', effect: 'PreferNoSchedule' }]), [true, true]],
    ['unschedulable taint tolerated by default', {}, node({}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]), [true, true]],
    ['not-ready NoExecute tolerated by default', {}, node({}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), [true, true]],
    ['network-unavailable only for hostNetwork', {}, node({}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), [false, true]],
    ['network-unavailable with hostNetwork', { hostNetwork: true }, node({}, [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }]), [true, true]],
  ];
  for (const [name, spec, n, [run, cont]] of cases) {
    test(name, () => assert.deepEqual(nodeShouldRunDaemonPod(n as never, ds(spec)), { shouldRun: run, shouldContinueRunning: cont }));
  }

  test('daemon tolerations replace an equal one and keep the pod\'s own', () => {
    const spec: Obj = { tolerations: [{ key: 'a', operator: 'Exists' }, { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] };
    addOrUpdateDaemonPodTolerations(spec);
    assert.deepEqual(spec.tolerations.map((t: Obj) => t.key), ['a', 'node.kubernetes.io/unschedulable', 'node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable', 'node.kubernetes.io/disk-pressure', 'node.kubernetes.io/memory-pressure', 'node.kubernetes.io/pid-pressure']);
    assert.equal(spec.tolerations[1].tolerationSeconds, undefined);
  });
});

describe('revision hashes', () => {
  test('FNV-1 32 and the safe alphabet', () => {
    assert.equal(fnv32(''), 0x811c9dc5);
    assert.equal(fnv32('a'), 0x050c5d7e); // FNV-1 (multiply, then xor)
    assert.equal(safeEncodeString('0123456789'), '456789bcdf'); // why upstream hashes look like 5d4f8c7b9
  });
  test('key order does not matter; the collision count does', () => {
    assert.equal(hashRevisionData({ a: 1, b: { c: 2, d: 3 } }), hashRevisionData({ b: { d: 3, c: 2 }, a: 1 }));
    assert.notEqual(hashRevisionData({ a: 1 }, 0), hashRevisionData({ a: 1 }, 1));
    assert.match(hashRevisionData({ a: 1 }), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
});

describe('StatefulSet identity', () => {
  test('ordinals parse from names', () => {
    assert.deepEqual(getParentNameAndOrdinal({ metadata: { name: 'web-12' } }), { parent: 'web', ordinal: 12 });
    assert.deepEqual(getParentNameAndOrdinal({ metadata: { name: 'my-web-0' } }), { parent: 'my-web', ordinal: 0 });
    assert.deepEqual(getParentNameAndOrdinal({ metadata: { name: 'web' } }), { parent: '', ordinal: -1 });
  });
  test('a member gets name, identity labels, hostname/subdomain and claim volumes', () => {
    const set: StatefulSet = {
      metadata: { name: 'db', namespace: 'ns', uid: 'u' },
      spec: {
        serviceName: 'db-svc', selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'i' }], volumes: [{ name: 'tmp', emptyDir: {} }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }],
      },
    };
    const pod = newStatefulSetPod(set, 2) as KObject & { spec: Obj };
    assert.equal(pod.metadata.name, 'db-2');
    assert.deepEqual(pod.metadata.labels, { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-2', 'apps.kubernetes.io/pod-index': '2' });
    assert.equal(pod.spec.hostname, 'db-2');
    assert.equal(pod.spec.subdomain, 'db-svc');
    assert.deepEqual(pod.spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-2' } }, { name: 'tmp', emptyDir: {} }]);
  });
});
