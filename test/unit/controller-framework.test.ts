// The controller runner, expectations and the event correlator, on a fake clock.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { Controller } from '../../src/controllers/framework/controller.ts';
import { getControllerOf, isControlledBy, newControllerRef } from '../../src/controllers/framework/controller-ref.ts';
import { ControllerExpectations, UIDTrackingControllerExpectations } from '../../src/controllers/framework/expectations.ts';
import { EventCorrelator } from '../../src/controllers/framework/events/event-correlator.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('Controller runner', () => {
  test('a failing key is retried with back-off and forgotten once it succeeds', async () => {
    const clock = new FakeClock();
    let failuresLeft = 3;
    const calls: number[] = [];
    const c = new Controller({
      name: 'test', clock,
      reconcile: async (key) => {
        assert.equal(key, 'ns/a');
        calls.push(clock.now());
        if (failuresLeft-- > 0) throw new Error('boom');
      },
    });
    const running = c.run();
    c.enqueue('ns/a');
    for (let i = 0; i < 200 && calls.length < 4; i++) {
      await tick();
      clock.step(1);
    }
    const start = calls[0]!;
    assert.deepEqual(calls.map((t) => t - start), [0, 5, 15, 35], 'retries after 5, 10, 20 ms');
    await tick();
    assert.equal(c.queue.numRequeues('ns/a'), 0, 'success forgets the back-off');
    await c.stop();
    await running;
  });

  test('after maxRetries the key is dropped until the next event', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const logs: string[] = [];
    const c = new Controller({ name: 'test', clock, maxRetries: 2, log: (m) => logs.push(m), reconcile: async () => { calls++; throw new Error('always'); } });
    void c.run();
    c.enqueue('k');
    for (let i = 0; i < 100; i++) { await tick(); clock.step(10); }
    assert.equal(calls, 3, 'first try and two retries');
    assert.ok(logs.some((l) => l.includes('dropping "k" out of the queue after 2 retries: always')), logs.join('\n'));
    c.enqueue('k');
    await tick();
    assert.equal(calls, 4, 'a new event brings it back');
    await c.stop();
  });

  test('N workers run distinct keys concurrently but never one key twice at a time', async () => {
    let active = 0;
    let maxActive = 0;
    const activeKeys = new Set<string>();
    let overlap = false;
    const releases: Array<() => void> = [];
    const c = new Controller({
      name: 'test', workers: 3,
      reconcile: async (key) => {
        if (activeKeys.has(key)) overlap = true;
        activeKeys.add(key);
        maxActive = Math.max(maxActive, ++active);
        await new Promise<void>((r) => releases.push(r));
        activeKeys.delete(key);
        active--;
      },
    });
    void c.run();
    for (const k of ['a', 'b', 'c', 'd', 'a', 'a']) c.enqueue(k);
    await tick();
    assert.equal(active, 3);
    c.enqueue('a'); // a is being processed: deferred, not run in parallel
    while (releases.length) { releases.shift()!(); await tick(); await tick(); }
    assert.equal(maxActive, 3);
    assert.equal(overlap, false);
    await c.stop();
  });

  test('workers wait for the caches to sync', async () => {
    let resolveSync!: (v: boolean) => void;
    const synced = new Promise<boolean>((r) => { resolveSync = r; });
    const seen: string[] = [];
    const c = new Controller({ name: 'test', caches: [{ whenSynced: () => synced }], reconcile: async (k) => { seen.push(k); } });
    void c.run();
    c.enqueue('early');
    await tick();
    assert.deepEqual(seen, []);
    resolveSync(true);
    await tick(); await tick();
    assert.deepEqual(seen, ['early']);
    await c.stop();
  });
});

describe('ControllerExpectations', () => {
  test('unsatisfied until every expected create and delete was observed', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    assert.equal(e.satisfiedExpectations('ns/rs'), true, 'nothing recorded: may sync');
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfiedExpectations('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), true);
    e.expectDeletions('ns/rs', 1);
    e.raiseExpectations('ns/rs', 1, 0);
    e.deletionObserved('ns/rs');
    assert.equal(e.satisfiedExpectations('ns/rs'), false, 'the raised create is still pending');
    e.lowerExpectations('ns/rs', 1, 0);
    assert.equal(e.satisfiedExpectations('ns/rs'), true);
  });

  test('expectations expire after 5 minutes so a lost event cannot wedge the controller', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    e.expectCreations('k', 1);
    clock.step(5 * 60_000);
    assert.equal(e.satisfiedExpectations('k'), false);
    clock.step(1);
    assert.equal(e.satisfiedExpectations('k'), true);
    e.deleteExpectations('k');
    assert.equal(e.getExpectations('k'), undefined);
  });

  test('UID tracking: a deletion observed twice counts once', () => {
    const e = new UIDTrackingControllerExpectations(new FakeClock());
    e.expectDeletionsOf('ns/rs', ['ns/p1', 'ns/p2']);
    e.deletionObservedOf('ns/rs', 'ns/p1');
    e.deletionObservedOf('ns/rs', 'ns/p1');
    assert.equal(e.satisfiedExpectations('ns/rs'), false);
    assert.deepEqual([...e.getUIDs('ns/rs')!], ['ns/p2']);
    e.deletionObservedOf('ns/rs', 'ns/p2');
    assert.equal(e.satisfiedExpectations('ns/rs'), true);
  });
});

describe('owner references', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'ns', uid: 'u-1' } };
  test('newControllerRef is a blocking controller reference; getControllerOf/isControlledBy find it', () => {
    const ref = newControllerRef(owner, { group: 'apps', version: 'v1', kind: 'ReplicaSet' });
    assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u-1', controller: true, blockOwnerDeletion: true });
    const pod = { metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'other' }, ref] } };
    assert.equal(getControllerOf(pod)?.uid, 'u-1');
    assert.equal(isControlledBy(pod, owner), true);
    assert.equal(isControlledBy({ metadata: { name: 'q' } }, owner), false);
  });
});

function event(message: string, reason = 'FailedCreate'): CoreEvent {
  return {
    apiVersion: 'v1', kind: 'Event', metadata: { name: `web.${message}`, namespace: 'ns' },
    involvedObject: { kind: 'ReplicaSet', namespace: 'ns', name: 'web', uid: 'u-1', apiVersion: 'apps/v1' },
    reason, message, source: { component: 'replicaset-controller' },
    firstTimestamp: '2025-01-01T00:00:00Z', lastTimestamp: '2025-01-01T00:00:00Z', count: 1, type: 'Warning',
    eventTime: null, reportingComponent: 'replicaset-controller', reportingInstance: '',
  };
}

describe('EventCorrelator', () => {
  test('an identical event becomes a patch bumping count on the first one', () => {
    const c = new EventCorrelator({ clock: new FakeClock() });
    const first = c.correlate(event('quota exceeded'));
    assert.equal(first.patch, undefined);
    c.updateState({ ...first.event, metadata: { ...first.event.metadata, resourceVersion: '7' } });
    const second = c.correlate({ ...event('quota exceeded'), lastTimestamp: '2025-01-01T00:00:09Z' });
    assert.equal(second.event.metadata.name, first.event.metadata.name);
    assert.equal(second.event.count, 2);
    assert.deepEqual(second.patch, { count: 2, lastTimestamp: '2025-01-01T00:00:09Z', message: 'quota exceeded' });
    const third = c.correlate(event('quota exceeded'));
    assert.equal(third.event.count, 3);
  });

  test('the 10th similar event within 10 minutes is aggregated into "(combined from similar events)"', () => {
    const clock = new FakeClock();
    const c = new EventCorrelator({ clock });
    for (let i = 0; i < 9; i++) assert.ok(!c.correlate(event(`message ${i}`)).event.message.startsWith('(combined'));
    const tenth = c.correlate(event('message 9'));
    assert.equal(tenth.event.message, '(combined from similar events): message 9');
    const eleventh = c.correlate(event('message 10'));
    assert.equal(eleventh.event.count, 2, 'later similar events bump the aggregate');
    assert.equal(eleventh.event.metadata.name, tenth.event.metadata.name);
  });

  test('spam filter: 25 events about one object, then one per 5 minutes', () => {
    const clock = new FakeClock();
    const c = new EventCorrelator({ clock });
    const skipped = Array.from({ length: 27 }, (_, i) => c.correlate(event(`m${i}`, `Reason${i}`)).skip);
    assert.deepEqual(skipped.map((s, i) => (s ? i : -1)).filter((i) => i >= 0), [25, 26]);
    clock.step(300_000);
    assert.equal(c.correlate(event('later', 'Later')).skip, false);
    assert.equal(c.correlate(event('later2', 'Later2')).skip, true);
  });
});
