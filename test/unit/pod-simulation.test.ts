// The simulated kubelet's pod lifecycle as a function of time: crash back-off steps, exits per
// restart policy, readiness delays and deletion, computed from the pod alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { crashBackoffMs, simulatePod } from '../../src/nodes/pod-simulation.ts';
import { PodIPPool, indexOfPodCIDR, podCIDRForIndex } from '../../src/nodes/addresses.ts';
import { semanticEqual } from '../../src/nodes/semantic-equal.ts';

type Obj = Record<string, any>;
const T0 = Date.UTC(2025, 0, 1);
const input = (now: number) => ({ now, podIP: '10.244.0.2', hostIP: '172.18.0.2', terminationMs: 1000 });

function pod(annotations: Record<string, string> = {}, spec: Obj = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', uid: 'u1', annotations },
    spec: { containers: [{ name: 'c', image: 'img' }], restartPolicy: 'Always', ...spec },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** Applies the simulation repeatedly as the queue would, up to `until`. */
function runUntil(p: KObject, until: number): { pod: KObject; writes: number } {
  let now = T0;
  let writes = 0;
  for (let i = 0; i < 100; i++) {
    const r = simulatePod(p, input(now));
    if (r.status) { p = { ...p, status: r.status }; writes++; }
    if (r.nextAt === undefined || r.nextAt > until) break;
    now = r.nextAt;
  }
  return { pod: p, writes };
}

test('crash back-off: the first restart at once, then 10 s doubling to 300 s', () => {
  assert.deepEqual([0, 1, 2, 3, 5, 6, 20].map(crashBackoffMs), [0, 10_000, 20_000, 40_000, 160_000, 300_000, 300_000]);
});

test('a plain pod runs and is ready at once; simulating again writes nothing', () => {
  const r = simulatePod(pod(), input(T0));
  const st = r.status!;
  assert.equal(st.phase, 'Running');
  assert.equal(st.containerStatuses[0].ready, true);
  assert.equal(st.podIP, '10.244.0.2');
  assert.equal(r.nextAt, undefined, 'no deadline: nothing will change by itself');
  const again = simulatePod({ ...pod(), status: st }, input(T0 + 60_000));
  assert.equal(again.status, undefined);
});

test('exit codes by restart policy', () => {
  const cases: [string, string, string, number][] = [
    ['Never', '0', 'Succeeded', 0], ['Never', '2', 'Failed', 0], ['OnFailure', '0', 'Succeeded', 0],
  ];
  for (const [policy, code, phase, restarts] of cases) {
    const { pod: p } = runUntil(pod({ 'k8ts.io/simulate-exit-code': code, 'k8ts.io/simulate-run-seconds': '5' }, { restartPolicy: policy }), T0 + 10_000);
    const st = p.status as Obj;
    assert.equal(st.phase, phase, `${policy} exit ${code}`);
    assert.equal(st.containerStatuses[0].restartCount, restarts);
    assert.equal(st.containerStatuses[0].state.terminated.exitCode, Number(code));
  }
});

test('OnFailure and Always restart a failing container with back-off', () => {
  for (const policy of ['OnFailure', 'Always']) {
    // Runs 1 s each time: exits at 1 s, restarts at once (1), exits at 2 s, waits 10 s, restarts at 12 s (2), exits at 13 s, waits 20 s.
    const { pod: p } = runUntil(pod({ 'k8ts.io/simulate-exit-code': '1', 'k8ts.io/simulate-run-seconds': '1' }, { restartPolicy: policy }), T0 + 20_000);
    const cs = (p.status as Obj).containerStatuses[0];
    assert.equal((p.status as Obj).phase, 'Running');
    assert.equal(cs.restartCount, 2, policy);
    assert.equal(cs.state.waiting.reason, 'CrashLoopBackOff');
    assert.equal(cs.lastState.terminated.finishedAt, new Date(T0 + 13_000).toISOString().replace('.000', ''));
  }
});

test('readiness waits for the readiness probe initial delay; never-ready never becomes ready', () => {
  const slow = pod({}, { containers: [{ name: 'c', image: 'img', readinessProbe: { initialDelaySeconds: 3 } }] });
  const first = simulatePod(slow, input(T0));
  assert.equal(first.status!.containerStatuses[0].ready, false);
  assert.equal(first.nextAt, T0 + 3000);
  const later = simulatePod({ ...slow, status: first.status }, input(T0 + 3000));
  assert.equal(later.status!.containerStatuses[0].ready, true);
  const never = simulatePod(pod({ 'k8ts.io/simulate-never-ready': 'true' }), input(T0));
  assert.equal(never.status!.containerStatuses[0].ready, false);
  assert.equal(never.nextAt, undefined);
});

test('deletion: containers stop after min(grace, termination time), then the pod is deleted', () => {
  const running = { ...pod(), status: simulatePod(pod(), input(T0)).status };
  const deleting: KObject = { ...running, metadata: { ...running.metadata, deletionTimestamp: new Date(T0 + 30_000).toISOString(), deletionGracePeriodSeconds: 30 } };
  const early = simulatePod(deleting, input(T0 + 100));
  assert.deepEqual([early.delete, early.nextAt], [undefined, T0 + 1000]);
  const done = simulatePod(deleting, input(T0 + 1000));
  assert.equal(done.delete, true);
  assert.equal(done.status!.phase, 'Succeeded');
  assert.equal(done.status!.containerStatuses[0].state.terminated.exitCode, 0);
  const neverStarted: KObject = { ...pod(), metadata: { ...pod().metadata, deletionTimestamp: new Date(T0).toISOString(), deletionGracePeriodSeconds: 30 } };
  assert.deepEqual(simulatePod(neverStarted, input(T0)), { delete: true });
});

test('pod CIDRs and addresses', () => {
  assert.equal(podCIDRForIndex(0), '10.244.0.0/24');
  assert.equal(podCIDRForIndex(257), '10.245.1.0/24');
  assert.equal(indexOfPodCIDR('10.245.1.0/24'), 257);
  assert.equal(indexOfPodCIDR('192.168.0.0/24'), undefined);
  const pool = new PodIPPool('10.244.3.0/24');
  assert.equal(pool.claim('10.244.3.2'), true);
  assert.equal(pool.allocate(), '10.244.3.3');
  pool.release('10.244.3.2');
  assert.equal(pool.allocate(), '10.244.3.2');
  assert.equal(pool.claim('10.244.4.9'), false);
});

test('semanticEqual ignores key order and empty values the server drops', () => {
  assert.ok(semanticEqual({ a: 1, b: { c: null, d: [] }, e: {} }, { b: {}, a: 1 }));
  assert.ok(!semanticEqual({ a: [1, 2] }, { a: [2, 1] }));
  assert.ok(!semanticEqual({ a: false }, {}));
});
