// The arithmetic and ordering behind the Deployment and ReplicaSet controllers, table-driven with
// upstream's cases: fenceposts, proportions, revision annotations, pod-template-hash, which pods a
// shrinking ReplicaSet deletes, slow-start batches and ReplicaSet status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../src/controllers/deployment/types.ts';
import { setNewReplicaSetAnnotations } from '../../src/controllers/deployment/util/annotations.ts';
import { computeHash, safeEncodeString } from '../../src/controllers/deployment/util/hash.ts';
import { equalIgnoreHash, findActiveOrLatest } from '../../src/controllers/deployment/util/replica-sets.ts';
import { getProportion, maxSurge, maxUnavailable, newRSNewReplicas, resolveFenceposts } from '../../src/controllers/deployment/util/replicas.ts';
import { getPodsToDelete } from '../../src/controllers/replicaset/pods-to-delete.ts';
import { calculateStatus } from '../../src/controllers/replicaset/replica-set-status.ts';
import { slowStartBatch } from '../../src/controllers/replicaset/slow-start.ts';
import type { Pod } from '../../src/controllers/replicaset/types.ts';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

function deployment(replicas: number, strategy: Deployment['spec']['strategy'] = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, annotations?: Record<string, string>): Deployment {
  return { metadata: { name: 'web', annotations }, spec: { replicas, strategy, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
}

function rs(name: string, replicas: number, opts: { created?: number; annotations?: Record<string, string>; available?: number } = {}): ReplicaSet {
  return {
    metadata: { name, uid: name, creationTimestamp: iso(opts.created ?? NOW), annotations: opts.annotations },
    spec: { replicas }, status: { replicas, availableReplicas: opts.available ?? replicas },
  };
}

describe('rolling update arithmetic', () => {
  test('resolveFenceposts: surge rounds up, unavailable down, never both zero', () => {
    const cases: [string | number, string | number, number, [number, number]][] = [
      ['25%', '25%', 4, [1, 1]],
      ['25%', '25%', 3, [1, 0]],
      ['25%', '25%', 10, [3, 2]],
      [0, 0, 3, [0, 1]],
      [1, 0, 3, [1, 0]],
      ['0%', '0%', 5, [0, 1]],
      ['50%', 2, 5, [3, 2]],
    ];
    for (const [s, u, n, want] of cases) assert.deepEqual(resolveFenceposts(s, u, n), want, `${s}/${u}/${n}`);
  });

  test('maxSurge and maxUnavailable: none for Recreate; unavailable capped by replicas and zero at zero replicas', () => {
    assert.equal(maxSurge(deployment(4, { type: 'Recreate' })), 0);
    assert.equal(maxUnavailable(deployment(4, { type: 'Recreate' })), 0);
    assert.equal(maxUnavailable(deployment(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 5 } })), 2);
    assert.equal(maxUnavailable(deployment(0)), 0);
    assert.equal(maxSurge(deployment(10)), 3);
  });

  test('newRSNewReplicas: grows the new ReplicaSet up to replicas + maxSurge pods in total', () => {
    const d = deployment(4, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } });
    assert.equal(newRSNewReplicas(d, [rs('old', 4), rs('new', 0)], rs('new', 0)), 1);
    assert.equal(newRSNewReplicas(d, [rs('old', 3), rs('new', 1)], rs('new', 1)), 2);
    assert.equal(newRSNewReplicas(d, [rs('old', 4), rs('new', 1)], rs('new', 1)), 1, 'no room left');
    assert.equal(newRSNewReplicas(d, [rs('old', 0), rs('new', 3)], rs('new', 3)), 4, 'never above replicas');
    assert.equal(newRSNewReplicas(deployment(4, { type: 'Recreate' }), [rs('new', 0)], rs('new', 0)), 4);
  });

  test('getProportion: a ReplicaSet\'s share of a scale-up, by its max-replicas annotation, halves away from zero', () => {
    // Scaled from 8 (+2 surge = 10) to 20 (+5 = 25): a 5-replica ReplicaSet grows to round(12.5) = 13.
    const d = deployment(20);
    assert.equal(getProportion(rs('a', 5, { annotations: { 'deployment.kubernetes.io/max-replicas': '10' } }), d, 15, 0), 8);
    assert.equal(getProportion(rs('a', 5, { annotations: { 'deployment.kubernetes.io/max-replicas': '10' } }), d, 15, 10), 5, 'capped by what is left');
    assert.equal(getProportion(rs('a', 0), d, 15, 0), 0);
    assert.equal(getProportion(rs('a', 6), deployment(0), -6, 0), -6, 'scaling to zero takes all');
  });

  test('findActiveOrLatest: the only active ReplicaSet, or the newest when none is active', () => {
    const older = rs('older', 0, { created: NOW - 2000 });
    const newer = rs('newer', 0, { created: NOW - 1000 });
    assert.equal(findActiveOrLatest(undefined, [older, newer])?.metadata.name, 'newer');
    assert.equal(findActiveOrLatest(rs('new', 0), [older])?.metadata.name, 'new');
    assert.equal(findActiveOrLatest(rs('new', 2), [rs('old', 0)])?.metadata.name, 'new');
    assert.equal(findActiveOrLatest(rs('new', 2), [rs('old', 1)]), undefined);
  });
});

describe('ReplicaSet annotations and pod-template-hash', () => {
  test('a new ReplicaSet gets the revision, the replicas annotations and the Deployment\'s own annotations', () => {
    const d = deployment(3, undefined, { 'kubernetes.io/change-cause': 'kubectl set image', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '4' });
    const r = rs('web-1', 0);
    assert.equal(setNewReplicaSetAnnotations(d, r, '5', false), true);
    assert.deepEqual(r.metadata.annotations, {
      'kubernetes.io/change-cause': 'kubectl set image', 'deployment.kubernetes.io/revision': '5',
      'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
    });
  });

  test('a rollback to an old ReplicaSet raises its revision and keeps the old one in revision-history', () => {
    const r = rs('web-1', 0, { annotations: { 'deployment.kubernetes.io/revision': '1' } });
    setNewReplicaSetAnnotations(deployment(3), r, '3', true);
    assert.equal(r.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(r.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    setNewReplicaSetAnnotations(deployment(3), r, '5', true);
    assert.equal(r.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,3');
    assert.equal(setNewReplicaSetAnnotations(deployment(3), r, '4', true), false, 'never lowered');
  });

  test('the hash: upstream\'s alphabet, stable under key order, changed by the collision count', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    const t1 = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const t2 = { spec: { containers: [{ image: 'nginx', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } };
    const h = computeHash(t1);
    assert.match(h, /^[456789bcdf]{1,10}$/);
    assert.equal(computeHash(t2), h);
    assert.notEqual(computeHash(t1, 1), h);
    assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
    assert.notEqual(computeHash({ ...t1, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } }), h);
  });

  test('equalIgnoreHash: only the pod-template-hash label and empty values are ignored', () => {
    const a = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [] } };
    const b = { metadata: { labels: { app: 'web' }, annotations: {} }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    assert.equal(equalIgnoreHash(a, b), true);
    assert.equal(equalIgnoreHash(a, { ...b, metadata: { labels: { app: 'api' } } }), false);
  });
});

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readySince?: number; created?: number; restarts?: number; cost?: string; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: {
      name, uid: name, creationTimestamp: iso(o.created ?? NOW - 3_600_000), labels: o.labels,
      ...(o.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True', lastTransitionTime: iso(o.readySince ?? NOW - 3_600_000) }],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('which pods a ReplicaSet deletes first', () => {
  test('unscheduled < pending < not ready < lower deletion cost < doubled up < ready shorter < more restarts < newer', () => {
    const pods = [
      pod('old', { node: 'n1', created: NOW - 86_400_000 }),
      pod('young', { node: 'n2', created: NOW - 60_000 }),
      pod('restarts', { node: 'n3', restarts: 5 }),
      pod('just-ready', { node: 'n4', readySince: NOW - 10_000 }),
      pod('crowded', { node: 'n5' }),
      pod('cheap', { node: 'n6', cost: '-10' }),
      pod('not-ready', { node: 'n7', ready: false }),
      pod('pending', { node: 'n8', phase: 'Pending', ready: false }),
      pod('unscheduled', { phase: 'Pending', ready: false }),
    ];
    const related = [...pods, pod('sibling', { node: 'n5' })];
    const order = getPodsToDelete(pods, related, pods.length - 1, NOW).map((p) => p.metadata.name);
    assert.deepEqual(order, ['unscheduled', 'pending', 'not-ready', 'cheap', 'crowded', 'just-ready', 'restarts', 'young']);
  });

  test('deleting at least as many as there are takes them all', () => {
    assert.equal(getPodsToDelete([pod('a'), pod('b')], [], 5, NOW).length, 2);
  });
});

describe('slowStartBatch', () => {
  test('batches of 1, 2, 4, … until done', async () => {
    const batches: number[] = [];
    let inBatch = 0;
    const r = await slowStartBatch(10, 1, async () => {
      inBatch++;
      await Promise.resolve();
      if (inBatch) { batches.push(inBatch); inBatch = 0; }
    });
    assert.deepEqual(r, { successes: 10 });
    assert.deepEqual(batches, [1, 2, 4, 3]);
  });

  test('stops after the first batch with a failure', async () => {
    let calls = 0;
    const r = await slowStartBatch(100, 1, async () => {
      calls++;
      if (calls === 3) throw new Error('quota exceeded');
    });
    assert.equal(calls, 3);
    assert.equal(r.successes, 2);
    assert.equal((r.error as Error).message, 'quota exceeded');
  });
});

describe('ReplicaSet status', () => {
  const set: ReplicaSet = { metadata: { name: 'rs', generation: 2 }, spec: { replicas: 3, minReadySeconds: 10, template: { metadata: { labels: { app: 'a', v: '1' } } } }, status: { replicas: 0 } };

  test('counts fully labelled, ready and available (after minReadySeconds) pods', () => {
    const pods = [
      pod('a', { readySince: NOW - 60_000, labels: { app: 'a', v: '1' } }),
      pod('b', { readySince: NOW - 5_000, labels: { app: 'a', v: '1' } }),
      pod('c', { ready: false, labels: { app: 'a' } }),
    ];
    const s = calculateStatus(set, pods, undefined, NOW);
    assert.deepEqual([s.replicas, s.fullyLabeledReplicas, s.readyReplicas, s.availableReplicas], [3, 2, 2, 1]);
    assert.deepEqual(s.conditions, []);
  });

  test('a failed create sets ReplicaFailure FailedCreate with the error; success removes it', () => {
    const s = calculateStatus(set, [], new Error('pods "rs-x" is forbidden: exceeded quota'), NOW);
    assert.deepEqual(s.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2025-01-01T12:00:00Z', reason: 'FailedCreate', message: 'pods "rs-x" is forbidden: exceeded quota' }]);
    assert.deepEqual(calculateStatus({ ...set, status: s }, [], undefined, NOW).conditions, []);
  });
});
