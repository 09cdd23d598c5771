// The work queue as client-go's: de-duplication, one worker per key, deferred re-adds, delays on an
// injected clock, and the default controller back-off (5 ms doubling to 1000 s, overall 10 qps burst 100).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import {
  BucketRateLimiter, DelayingQueue, ItemExponentialFailureRateLimiter, ItemFastSlowRateLimiter, MaxOfRateLimiter,
  RateLimitingQueue, WorkQueue, defaultControllerRateLimiter,
} from '../../src/controllers/framework/workqueue/index.ts';

/** Takes what get() would hand out right now, without waiting. */
async function drain<T>(q: WorkQueue<T>): Promise<T[]> {
  const out: T[] = [];
  while (q.len() > 0) {
    const r = await q.get();
    assert.equal(r.shutdown, false);
    out.push(r.item as T);
  }
  return out;
}

type Step = ['add', string] | ['get', string] | ['done', string] | ['len', number];

describe('WorkQueue', () => {
  const cases: { name: string; steps: Step[] }[] = [
    { name: 'FIFO order', steps: [['add', 'a'], ['add', 'b'], ['add', 'c'], ['get', 'a'], ['get', 'b'], ['get', 'c']] },
    { name: 'an item added twice while waiting is queued once', steps: [['add', 'a'], ['add', 'b'], ['add', 'a'], ['len', 2], ['get', 'a'], ['get', 'b'], ['len', 0]] },
    { name: 'an item re-added while processing is not handed out until done', steps: [
      ['add', 'a'], ['get', 'a'], ['add', 'a'], ['len', 0], ['add', 'b'], ['get', 'b'], ['done', 'a'], ['len', 1], ['get', 'a'],
    ] },
    { name: 'done without a re-add does not queue again', steps: [['add', 'a'], ['get', 'a'], ['done', 'a'], ['len', 0]] },
    { name: 'several re-adds while processing become one', steps: [['add', 'a'], ['get', 'a'], ['add', 'a'], ['add', 'a'], ['done', 'a'], ['len', 1], ['get', 'a'], ['done', 'a'], ['len', 0]] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const q = new WorkQueue<string>();
      for (const [i, step] of c.steps.entries()) {
        const where = `step ${i} ${step.join(' ')}`;
        if (step[0] === 'add') q.add(step[1]);
        else if (step[0] === 'done') q.done(step[1]);
        else if (step[0] === 'len') assert.equal(q.len(), step[1], where);
        else {
          assert.ok(q.len() > 0, `${where}: queue empty`);
          assert.deepEqual(await q.get(), { item: step[1], shutdown: false }, where);
        }
      }
    });
  }

  test('get waits for an add, and two waiting workers get different items', async () => {
    const q = new WorkQueue<string>();
    const w1 = q.get();
    const w2 = q.get();
    q.add('x');
    q.add('x');
    q.add('y');
    assert.deepEqual(await w1, { item: 'x', shutdown: false });
    assert.deepEqual(await w2, { item: 'y', shutdown: false });
  });

  test('shutDown: waiting workers are released, queued items still drain, new adds are ignored', async () => {
    const q = new WorkQueue<string>();
    const waiting = q.get();
    q.shutDown();
    assert.deepEqual(await waiting, { item: undefined, shutdown: true });

    const q2 = new WorkQueue<string>();
    q2.add('a');
    q2.shutDown();
    q2.add('b');
    assert.deepEqual(await q2.get(), { item: 'a', shutdown: false });
    assert.deepEqual(await q2.get(), { item: undefined, shutdown: true });
    assert.equal(q2.shuttingDown(), true);
  });

  test('shutDownWithDrain waits for items in processing', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    await q.get();
    let drained = false;
    const d = q.shutDownWithDrain().then(() => { drained = true; });
    await new Promise((r) => setImmediate(r));
    assert.equal(drained, false);
    q.done('a');
    await d;
    assert.equal(drained, true);
  });
});

describe('DelayingQueue', () => {
  test('addAfter: ready exactly after the delay on the clock', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter('a', 50);
    q.addAfter('b', 10);
    assert.equal(q.len(), 0);
    clock.step(9);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.deepEqual(await drain(q), ['b']);
    clock.step(39);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.deepEqual(await drain(q), ['a']);
    assert.equal(clock.pendingTimers, 0);
  });

  test('adding an item that already waits keeps the earlier time', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter('a', 100);
    q.addAfter('a', 20);
    q.addAfter('a', 500);
    assert.equal(q.waitingCount(), 1);
    clock.step(20);
    assert.deepEqual(await drain(q), ['a']);
    clock.step(1000);
    assert.equal(q.len(), 0, 'the later, superseded times do not add it again');
  });

  test('a zero or negative delay adds at once; a waiting item already queued is de-duplicated', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter('a', 0);
    q.addAfter('b', 5);
    q.add('b');
    const first = await drain(q);
    assert.deepEqual(first, ['a', 'b']);
    for (const item of first) q.done(item);
    clock.step(5);
    assert.deepEqual(await drain(q), ['b'], 'the delayed add of b still happens after its delay');
  });

  test('shutDown cancels waiting items', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>(clock);
    q.addAfter('a', 5);
    q.shutDown();
    clock.step(10);
    assert.equal(q.len(), 0);
    assert.equal(clock.pendingTimers, 0);
  });
});

describe('rate limiters', () => {
  test('ItemExponentialFailureRateLimiter: 5 ms doubling per failure, capped at 1000 s, forget resets', () => {
    const rl = new ItemExponentialFailureRateLimiter<string>(5, 1000_000);
    const delays = Array.from({ length: 5 }, () => rl.when('a'));
    assert.deepEqual(delays, [5, 10, 20, 40, 80]);
    assert.equal(rl.when('b'), 5, 'per item');
    assert.equal(rl.numRequeues('a'), 5);
    for (let i = 0; i < 30; i++) rl.when('a');
    assert.equal(rl.when('a'), 1000_000);
    rl.forget('a');
    assert.equal(rl.numRequeues('a'), 0);
    assert.equal(rl.when('a'), 5);
  });

  test('ItemFastSlowRateLimiter: fast for the first attempts, then slow', () => {
    const rl = new ItemFastSlowRateLimiter<string>(5, 10_000, 3);
    assert.deepEqual([1, 2, 3, 4, 5].map(() => rl.when('a')), [5, 5, 5, 10_000, 10_000]);
  });

  test('BucketRateLimiter: burst 100 at once, then 10 per second', () => {
    const clock = new FakeClock();
    const rl = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) assert.equal(rl.when(`i${i}`), 0);
    assert.equal(rl.when('x'), 100);
    assert.equal(rl.when('y'), 200);
    clock.step(1000);
    // Ten tokens refilled, two of them already borrowed: eight at once, then waiting again.
    for (let i = 0; i < 8; i++) assert.equal(rl.when(`z${i}`), 0);
    assert.equal(rl.when('z8'), 100);
  });

  test('default controller limiter: the larger of the item back-off and the bucket', () => {
    const clock = new FakeClock();
    const rl = defaultControllerRateLimiter<string>(clock);
    assert.equal(rl.when('a'), 5);
    assert.equal(rl.when('a'), 10);
    for (let i = 0; i < 98; i++) rl.when(`other-${i}`);
    // Bucket now empty: the next one waits 100 ms even though its item back-off is 5 ms.
    assert.equal(rl.when('fresh'), 100);
    assert.equal(rl.numRequeues('a'), 2);
    const max = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(1, 10), new ItemExponentialFailureRateLimiter(3, 1000));
    assert.equal(max.when('k'), 3);
    assert.equal(max.when('k'), 6);
  });
});

describe('RateLimitingQueue', () => {
  test('addRateLimited re-queues after the per-item back-off; forget resets it', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    const timings: number[] = [];
    for (let i = 0; i < 4; i++) {
      const before = clock.now();
      q.addRateLimited('key');
      while (q.len() === 0) clock.step(1);
      timings.push(clock.now() - before);
      const r = await q.get();
      q.done(r.item!);
    }
    assert.deepEqual(timings, [5, 10, 20, 40]);
    assert.equal(q.numRequeues('key'), 4);
    q.forget('key');
    assert.equal(q.numRequeues('key'), 0);
    q.addRateLimited('key');
    clock.step(5);
    assert.equal(q.len(), 1);
  });
});
