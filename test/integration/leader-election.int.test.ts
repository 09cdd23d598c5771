// Leader election through a coordination.k8s.io/v1 Lease on the real server: one leader at a time,
// take-over only after the holder stopped renewing for leaseDuration (on the candidate's own clock),
// leaseTransitions counted, resourceVersion preconditions deciding races, release on stop.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, GVR, KubeClient } from '../../src/client/index.ts';
import { LeaderElector, type LeaderElectionConfig } from '../../src/controllers/framework/leader-election.ts';
import type { Lease } from '../../src/controllers/framework/lease-lock.ts';
import { createNamespace, waitFor, type TestServer } from '../helpers/index.ts';
import { closeServerWithClient, startServerWithClient } from '../helpers/server-with-client.ts';

let server: TestServer;
let client: KubeClient;
before(async () => ({ server, client } = await startServerWithClient()));
after(() => closeServerWithClient({ server, client }));

const noop = { onStartedLeading: () => {}, onStoppedLeading: () => {} };

function elector(ns: string, identity: string, extra: Partial<LeaderElectionConfig> = {}): LeaderElector {
  return new LeaderElector({ client, namespace: ns, name: 'lock', identity, callbacks: noop, ...extra });
}

async function lease(ns: string): Promise<NonNullable<Lease['spec']>> {
  return (await client.resource<Lease>(GVR.leases).namespace(ns).get('lock')).spec!;
}

describe('leader election', { timeout: 60_000 }, () => {
  test('tryAcquireOrRenew on a fake clock: the other candidate waits a full leaseDuration after the last renewal it saw', async () => {
    const ns = await createNamespace(server);
    const clockA = new FakeClock();
    const clockB = new FakeClock(clockA.now() + 3_600_000); // skewed by an hour: only local durations count
    const a = elector(ns, 'a', { clock: clockA });
    const b = elector(ns, 'b', { clock: clockB });

    assert.equal(await a.tryAcquireOrRenew(), true, 'a creates the Lease');
    assert.deepEqual(await lease(ns).then((s) => [s.holderIdentity, s.leaseDurationSeconds, s.leaseTransitions]), ['a', 15, 0]);
    assert.equal(await b.tryAcquireOrRenew(), false, 'held by a');
    assert.equal(b.getLeader(), 'a');

    clockA.step(10_000);
    clockB.step(10_000);
    assert.equal(await a.tryAcquireOrRenew(), true, 'a renews');
    const renewed = await lease(ns);
    assert.notEqual(renewed.renewTime, renewed.acquireTime, 'renewTime moves, acquireTime stays');
    assert.equal(await b.tryAcquireOrRenew(), false, 'b saw a new record: its 15 s start again');

    // a stops renewing (crashed). b must wait 15 s from when it saw the last renewal.
    clockB.step(14_999);
    assert.equal(await b.tryAcquireOrRenew(), false);
    clockB.step(2);
    assert.equal(await b.tryAcquireOrRenew(), true, 'lease expired on b\'s clock: b takes over');
    const taken = await lease(ns);
    assert.equal(taken.holderIdentity, 'b');
    assert.equal(taken.leaseTransitions, 1);
    assert.equal(b.isLeader(), true);

    assert.equal(await a.tryAcquireOrRenew(), false, 'a comes back and finds b holding the lease');
    assert.equal(a.isLeader(), false);
    assert.equal(a.getLeader(), 'b');
  });

  test('two candidates racing for an expired lease: the resourceVersion precondition lets exactly one win', async () => {
    const ns = await createNamespace(server);
    const clock = new FakeClock();
    const holder = elector(ns, 'old', { clock });
    assert.equal(await holder.tryAcquireOrRenew(), true);
    const c = elector(ns, 'c', { clock });
    const d = elector(ns, 'd', { clock });
    assert.equal(await c.tryAcquireOrRenew(), false);
    assert.equal(await d.tryAcquireOrRenew(), false);
    clock.step(16_000);
    const results = await Promise.all([c.tryAcquireOrRenew(), d.tryAcquireOrRenew()]);
    assert.equal(results.filter(Boolean).length, 1, `exactly one winner (${results})`);
    const spec = await lease(ns);
    assert.equal(spec.holderIdentity, results[0] ? 'c' : 'd');
    assert.equal(spec.leaseTransitions, 1);
  });

  test('running electors: one leads; when it stops renewing the other takes over; a released lease is taken at once', async () => {
    const ns = await createNamespace(server);
    const durations = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
    const leading = new Set<string>();
    const log: string[] = [];
    let bothLed = false;
    const make = (id: string, releaseOnCancel: boolean) => elector(ns, id, {
      ...durations, releaseOnCancel,
      callbacks: {
        onStartedLeading: (signal) => {
          leading.add(id);
          if (leading.size > 1) bothLed = true;
          log.push(`${id} started`);
          signal.addEventListener('abort', () => leading.delete(id));
        },
        onStoppedLeading: () => log.push(`${id} stopped`),
      },
    });
    const a = make('a', false);
    const b = make('b', true);
    const runA = a.run();
    await waitFor(() => leading.has('a'), { message: 'a leads' });
    const runB = b.run();
    // b campaigns for a while (several retry periods) without leading.
    await waitFor(() => b.getLeader() === 'a', { message: 'b observes a' });
    assert.equal(leading.has('b'), false);

    // a stops without releasing: as if it crashed. b takes over after the lease duration.
    const stoppedAt = Date.now();
    await a.stop();
    await runA;
    await waitFor(() => leading.has('b'), { message: 'b takes over', timeoutMs: 10_000 });
    assert.ok(Date.now() - stoppedAt >= 1000, 'not before the lease could have expired');
    assert.equal(bothLed, false, 'never two leaders at once');
    const spec = await lease(ns);
    assert.equal(spec.holderIdentity, 'b');
    assert.equal(spec.leaseTransitions, 1);

    // b stops with releaseOnCancel: the holder is cleared for the next candidate.
    await b.stop();
    await runB;
    assert.equal((await lease(ns)).holderIdentity, '');
    assert.deepEqual(log, ['a started', 'a stopped', 'b started', 'b stopped']);
    const c = make('c', true);
    const runC = c.run();
    await waitFor(() => leading.has('c'), { message: 'c takes the released lease', timeoutMs: 1000 });
    assert.equal((await lease(ns)).leaseTransitions, 2);
    await c.stop();
    await runC;
  });

  test('a leader that cannot renew within renewDeadline stops leading (its signal aborts)', async () => {
    const ns = await createNamespace(server);
    let signal: AbortSignal | undefined;
    let stopped = false;
    const a = elector(ns, 'a', {
      leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200,
      callbacks: { onStartedLeading: (s) => { signal = s; }, onStoppedLeading: () => { stopped = true; } },
    });
    const run = a.run();
    await waitFor(() => signal, { message: 'a leads' });
    // Someone else takes the Lease by force (as `kubectl edit` could): a's renewals now see another holder.
    // (Read-modify-write, again on 409: a's renewals race with it.)
    const leases = client.resource<Lease>(GVR.leases).namespace(ns);
    await waitFor(async () => {
      const current = await leases.get('lock');
      await leases.update({ ...current, spec: { ...current.spec, holderIdentity: 'intruder', renewTime: new Date().toISOString().replace('Z', '000Z') } });
      return true;
    }, { message: 'lease taken over', intervalMs: 0 });
    await run;
    assert.equal(signal!.aborted, true);
    assert.equal(stopped, true);
    assert.equal(a.isLeader(), false);
    assert.equal((await lease(ns)).holderIdentity, 'intruder');
  });

  test('invalid durations are refused with upstream\'s messages', () => {
    assert.throws(() => elector('x', 'a', { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }), /leaseDuration must be greater than renewDeadline/);
    assert.throws(() => elector('x', 'a', { retryPeriodMs: 9000 }), /renewDeadline must be greater than retryPeriod\*JitterFactor/);
  });
});
