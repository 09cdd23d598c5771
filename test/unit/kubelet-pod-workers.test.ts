// Per-pod workers: syncs of one pod never overlap and coalesce to the newest spec; a pod moves
// syncing → terminating → terminated once, a finished pod deleted later still gets its final clean-up,
// back-off ends bring a sync at the right time; status-only updates do not cause syncs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { PodWorkers, podChangedSemantically, type PodSyncHandlers, type SyncPodResult } from '../../src/kubelet/pod-workers.ts';

type Obj = Record<string, any>;

const pod = (extra: Obj = {}): Obj => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u', ...extra.metadata }, spec: { containers: [{ name: 'c', image: 'a' }], ...extra.spec }, status: extra.status ?? {} });
const tick = () => new Promise((r) => setImmediate(r));
async function settle(): Promise<void> { for (let i = 0; i < 20; i++) await tick(); }

function recorder(result: () => SyncPodResult = () => ({})) {
  const log: string[] = [];
  let inflight = 0;
  let maxInflight = 0;
  const h: PodSyncHandlers = {
    async syncPod(p) {
      inflight++; maxInflight = Math.max(maxInflight, inflight);
      log.push(`sync ${p.spec.containers[0].image}`);
      await tick();
      inflight--;
      return result();
    },
    async syncTerminatingPod() { log.push('terminating'); },
    async syncTerminatedPod(_p, how) { log.push(`terminated deleted=${how.deleted} apiGone=${how.apiGone}`); },
  };
  return { h, log, max: () => maxInflight };
}

test('updates while a sync runs fold into one more sync with the newest spec', async () => {
  const clock = new FakeClock(0);
  const r = recorder();
  const w = new PodWorkers(r.h, clock, () => {});
  w.updatePod(pod());
  w.updatePod(pod({ spec: { containers: [{ name: 'c', image: 'b' }] } }));
  w.updatePod(pod({ spec: { containers: [{ name: 'c', image: 'c' }] } }));
  await settle();
  assert.deepEqual(r.log, ['sync a', 'sync c']);
  assert.equal(r.max(), 1);
  await w.stop();
});

test('deletion: terminating, then terminated with the final clean-up, once', async () => {
  const clock = new FakeClock(0);
  const r = recorder();
  const w = new PodWorkers(r.h, clock, () => {});
  w.updatePod(pod());
  await settle();
  w.updatePod(pod({ metadata: { deletionTimestamp: 't', deletionGracePeriodSeconds: 30 } }));
  await settle();
  w.updatePod(pod({ metadata: { deletionTimestamp: 't', deletionGracePeriodSeconds: 30 }, status: { phase: 'Failed' } }));
  await settle();
  assert.deepEqual(r.log, ['sync a', 'terminating', 'terminated deleted=true apiGone=false']);
  assert.equal(w.shouldPodContentBeRemoved('u'), true);
  w.removePod(pod());
  await settle();
  assert.equal(w.has('u'), false);
  await w.stop();
});

test('a pod that finished stays; deleted later it gets its final clean-up', async () => {
  const clock = new FakeClock(0);
  const r = recorder(() => ({ terminal: true }));
  const w = new PodWorkers(r.h, clock, () => {});
  w.updatePod(pod());
  await settle();
  assert.deepEqual(r.log, ['sync a', 'terminating', 'terminated deleted=false apiGone=false']);
  assert.equal(w.shouldPodContentBeRemoved('u'), false);
  assert.deepEqual(w.activePods(), []);
  w.updatePod(pod({ metadata: { deletionTimestamp: 't' } }));
  await settle();
  assert.deepEqual(r.log.slice(3), ['terminated deleted=true apiGone=false']);
  await w.stop();
});

test('a back-off end brings the next sync at that time; otherwise the resync interval', async () => {
  const clock = new FakeClock(0);
  let n = 0;
  const r = recorder(() => (++n === 1 ? { retryAt: 20_000 } : {}));
  const w = new PodWorkers(r.h, clock, () => {}, 60_000);
  w.updatePod(pod());
  await settle();
  clock.step(19_999);
  await settle();
  assert.equal(r.log.length, 1);
  clock.step(1);
  await settle();
  assert.equal(r.log.length, 2);
  clock.step(59_999);
  await settle();
  assert.equal(r.log.length, 2);
  clock.step(1);
  await settle();
  assert.equal(r.log.length, 3);
  await w.stop();
});

const changes: Array<[string, Obj, boolean]> = [
  ['status only', pod({ status: { phase: 'Running' } }), false],
  ['a new image', pod({ spec: { containers: [{ name: 'c', image: 'b' }] } }), true],
  ['labels', pod({ metadata: { labels: { a: 'b' } } }), true],
  ['deletion', pod({ metadata: { deletionTimestamp: 't' } }), true],
  ['the kubelet\'s own condition', pod({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }), false],
  ['a readiness gate condition', pod({ status: { conditions: [{ type: 'example.com/lb', status: 'True' }] } }), true],
];
for (const [name, next, want] of changes) {
  test(`podChangedSemantically: ${name} → ${want}`, () => assert.equal(podChangedSemantically(pod(), next), want));
}
