// The scheduling queue with a fake clock (priority order, backoff 1 s → 10 s, retry on cluster
// events, the 5-minute flush, scheduling gates), the cache's assumed pods, and preemption's choice
// of victims.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { SchedulerCache } from '../../src/scheduler/cache.ts';
import { CycleState, Framework } from '../../src/scheduler/framework.ts';
import { defaultProfile } from '../../src/scheduler/plugins/index.ts';
import { MSG_NO_VICTIMS, MSG_NOT_HELPFUL, MSG_POLICY_NEVER, pickCandidate, preempt } from '../../src/scheduler/preemption.ts';
import { SchedulingQueue } from '../../src/scheduler/queue.ts';
import { unresolvable, unschedulable, type Status } from '../../src/scheduler/status.ts';
import { cluster, mkNode, mkPod, newPodInfo } from './scheduler-fixtures.ts';

const popNow = async (q: SchedulingQueue) => (await q.pop())!;

describe('SchedulingQueue', () => {
  test('pops by priority, then by arrival', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(mkPod('low1', { priority: 1 }));
    clock.step(1);
    q.add(mkPod('high', { priority: 10 }));
    clock.step(1);
    q.add(mkPod('low2', { priority: 1 }));
    const order = [];
    for (let i = 0; i < 3; i++) order.push((await popNow(q)).pi.pod.metadata.name);
    assert.deepEqual(order, ['high', 'low1', 'low2']);
  });

  test('unschedulable pods wait for a relevant event, then back off 1 s, 2 s, … up to 10 s', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(mkPod('p'));
    let qp = await popNow(q);
    assert.equal(q.backoffDuration(qp), 1000);
    qp.unschedulablePlugins = new Set(['NodeResourcesFit']);
    q.addUnschedulableIfNotPresent(qp, q.cycle);
    assert.deepEqual(q.stats(), { active: 0, backoff: 0, unschedulable: 1 });
    q.moveAllToActiveOrBackoffQueue('AssignedPodAdd');
    assert.equal(q.stats().unschedulable, 1, 'a pod being added does not help a resource shortage');
    q.moveAllToActiveOrBackoffQueue('AssignedPodDelete');
    assert.deepEqual(q.stats(), { active: 0, backoff: 1, unschedulable: 0 }, 'still backing off');
    clock.step(999);
    assert.equal(q.stats().active, 0);
    clock.step(1);
    assert.equal(q.stats().active, 1);
    qp = await popNow(q);
    assert.equal(q.backoffDuration(qp), 2000);
    for (let i = 0; i < 5; i++) qp.attempts++;
    assert.equal(q.backoffDuration(qp), 10_000);
  });

  test('an event during the pod\'s scheduling cycle sends it to backoff, not to wait', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add(mkPod('p'));
    const qp = await popNow(q);
    const cycle = q.cycle;
    q.moveAllToActiveOrBackoffQueue('NodeAdd');
    q.addUnschedulableIfNotPresent(qp, cycle);
    assert.equal(q.stats().backoff, 1);
  });

  test('pods left unschedulable for 5 minutes are retried anyway', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.run();
    q.add(mkPod('p'));
    const qp = await popNow(q);
    q.addUnschedulableIfNotPresent(qp, q.cycle);
    clock.step(4 * 60_000);
    assert.equal(q.stats().unschedulable, 1);
    clock.step(90_000);
    assert.equal(q.stats().active, 1);
    q.close();
  });

  test('scheduling gates hold a pod until removed; deletes and spec changes are followed', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    const gated = mkPod('g', { spec: { schedulingGates: [{ name: 'wait' }] } });
    q.add(gated);
    q.moveAllToActiveOrBackoffQueue('NodeAdd');
    assert.equal(q.stats().active, 0);
    q.update(gated, { ...gated, spec: { ...gated.spec, schedulingGates: [] } });
    assert.equal(q.stats().active, 1);
    q.delete(gated);
    assert.equal(q.stats().active, 0);
  });
});

describe('SchedulerCache', () => {
  test('assumed pods count at once, are confirmed by the informer, and forgotten when the bind fails', () => {
    const c = new SchedulerCache();
    c.addNode(mkNode('n', { cpu: '2' }));
    const p = mkPod('p', { cpu: '1' });
    c.assumePod({ ...newPodInfo(p), pod: { ...p, spec: { ...p.spec, nodeName: 'n' } } }, 'n');
    assert.equal(c.getNodeInfo('n')!.requested.milliCPU, 1000);
    assert.ok(c.isAssumed('default/p'));
    c.forgetPod('default/p');
    assert.equal(c.getNodeInfo('n')!.requested.milliCPU, 0);
    c.assumePod(newPodInfo({ ...p, spec: { ...p.spec, nodeName: 'n' } }), 'n');
    c.addPod({ ...p, spec: { ...p.spec, nodeName: 'n' } });
    assert.equal(c.isAssumed('default/p'), false, 'confirmed');
    c.forgetPod('default/p');
    assert.equal(c.getNodeInfo('n')!.requested.milliCPU, 1000, 'a confirmed pod is not forgotten');
    c.removePod(p);
    assert.equal(c.getNodeInfo('n')!.pods.size, 0);
  });

  test('pods on a node not yet (or no longer) known are kept, the node is not listed', () => {
    const c = new SchedulerCache();
    c.addPod(mkPod('p', { cpu: '1', node: 'later' }));
    assert.equal(c.nodeInfos().length, 0);
    c.addNode(mkNode('later', { cpu: '2' }));
    assert.equal(c.getNodeInfo('later')!.requested.milliCPU, 1000);
    c.removeNode(mkNode('later'));
    assert.equal(c.nodeInfos().length, 0);
  });
});

describe('preemption', () => {
  const fwkFor = (nodes: ReturnType<typeof mkNode>[], pods: ReturnType<typeof mkPod>[]) => new Framework(defaultProfile(), cluster(nodes, pods).handle);
  const fail = (names: string[], s: Status) => new Map(names.map((n) => [n, s] as const));

  test('removes as few and as unimportant pods as possible', () => {
    const nodes = [mkNode('n1', { cpu: '4' }), mkNode('n2', { cpu: '4' })];
    const bound = [
      mkPod('a', { cpu: '2', priority: 50, node: 'n1' }), mkPod('b', { cpu: '2', priority: 10, node: 'n1' }),
      mkPod('c', { cpu: '2', priority: 60, node: 'n2' }), mkPod('d', { cpu: '2', priority: 70, node: 'n2' }),
    ];
    const fwk = fwkFor(nodes, bound);
    const r = preempt(fwk, new CycleState(), newPodInfo(mkPod('p', { cpu: '2', priority: 100 })), fail(['n1', 'n2'], unschedulable('Insufficient cpu')), () => []);
    assert.equal(r.nominatedNode, 'n1');
    assert.deepEqual(r.victims.map((v) => v.pod.metadata.name), ['b']);
  });

  test('explains why it cannot help, as upstream words it', () => {
    const nodes = [mkNode('n1', { cpu: '1' }), mkNode('n2', { cpu: '1' })];
    const fwk = fwkFor(nodes, [mkPod('x', { cpu: '500m', priority: 100, node: 'n1' })]);
    const pod = newPodInfo(mkPod('p', { cpu: '800m', priority: 100 }));
    const statuses = new Map<string, Status>([['n1', unschedulable('Insufficient cpu')], ['n2', unresolvable('node(s) had untolerated taint {k: }')]]);
    assert.equal(preempt(fwk, new CycleState(), pod, statuses, () => []).message,
      `0/2 nodes are available: 1 ${MSG_NO_VICTIMS}, 1 ${MSG_NOT_HELPFUL}.`);
    const never = newPodInfo(mkPod('p', { cpu: '800m', priority: 1000, spec: { preemptionPolicy: 'Never' } }));
    assert.equal(preempt(fwk, new CycleState(), never, statuses, () => []).message, MSG_POLICY_NEVER);
    const tooBig = newPodInfo(mkPod('p', { cpu: '2', priority: 1000 }));
    assert.equal(preempt(fwk, new CycleState(), tooBig, fail(['n1', 'n2'], unschedulable('Insufficient cpu')), () => []).message,
      `0/2 nodes are available: 1 Insufficient cpu, 1 ${MSG_NO_VICTIMS}.`);
  });

  test('pickCandidate: lowest top victim priority, then fewest victims', () => {
    const v = (n: string, priority: number) => newPodInfo(mkPod(n, { priority }));
    assert.equal(pickCandidate([{ node: 'a', victims: [v('1', 50)] }, { node: 'b', victims: [v('2', 10), v('3', 10)] }])!.node, 'b');
    assert.equal(pickCandidate([{ node: 'a', victims: [v('1', 10), v('2', 10)] }, { node: 'b', victims: [v('3', 10)] }])!.node, 'b');
  });
});
