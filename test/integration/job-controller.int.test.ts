// The Job and TTL-after-finished controllers against the real server, run by the controller manager
// on a fake clock that the tests step (back-off, deadlines and TTLs without waiting). The tests play
// the kubelet: they move pods to Running/Succeeded/Failed through pods/status.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { FakeClock, GVR, KubeClient } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { jobControllerDescriptor } from '../../src/controllers/job/job-controller.ts';
import type { Job, Pod } from '../../src/controllers/job/types.ts';
import { ttlAfterFinishedControllerDescriptor } from '../../src/controllers/ttlafterfinished/ttl-after-finished-controller.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';
import { setPodPhase } from '../helpers/pod-status.ts';

let server: TestServer;
let client: KubeClient;
let clock: FakeClock;
let manager: RunningComponent;

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  clock = new FakeClock(Date.now());
  manager = startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    controllers: [jobControllerDescriptor, ttlAfterFinishedControllerDescriptor], clock, log: () => {},
  });
});
after(async () => {
  await manager?.stop();
  client?.close();
  await server?.close();
});

/** Polls fn, stepping the fake clock by stepMs between polls (the controllers' time moves on). */
function waitStepping<T>(fn: () => T | Promise<T>, message: string, stepMs = 1000, timeoutMs = 60_000) {
  return waitFor(async () => {
    const v = await fn();
    if (!v) clock.step(stepMs);
    return v;
  }, { message, timeoutMs, intervalMs: 25 });
}

function jobManifest(name: string, spec: Record<string, unknown>): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: {
      template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34', command: ['perl', '-e', 'print 1'] }] } },
      ...spec,
    },
  } as Job;
}

const jobPods = async (ns: string, job: string) =>
  (await client.resource<Pod>(GVR.pods).namespace(ns).list({ labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
const getJob = (ns: string, name: string) => client.resource<Job>(GVR.jobs).namespace(ns).get(name);
const condition = (job: Job, type: string) => job.status?.conditions?.find((c) => c.type === type);
const isRunnable = (p: Pod) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

async function jobEvents(ns: string, name: string): Promise<CoreEvent[]> {
  const items = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list({ fieldSelector: `involvedObject.name=${name}` })).items;
  return items.sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
}

describe('Job controller', { timeout: 180_000 }, () => {
  test('completions=5, parallelism=2: never more than 2 pods run, the Job completes and kubectl shows 5/5', async () => {
    const ns = await createNamespace(server);
    const created = await client.resource<Job>(GVR.jobs).namespace(ns).create(jobManifest('pi', { completions: 5, parallelism: 2 }));
    let maxRunning = 0;
    const seen = new Set<string>();
    await waitStepping(async () => {
      const pods = await jobPods(ns, 'pi');
      const running = pods.filter(isRunnable);
      maxRunning = Math.max(maxRunning, running.length);
      for (const p of pods) seen.add(p.metadata.name!);
      // The kubelet finishes one pod per poll.
      const next = running[0];
      if (next) await setPodPhase(client, ns, next.metadata.name!, 'Succeeded', { atMs: clock.now() });
      const job = await getJob(ns, 'pi');
      return condition(job, 'Complete')?.status === 'True' ? job : undefined;
    }, 'Job complete');
    assert.ok(maxRunning <= 2, `at most 2 pods at once, saw ${maxRunning}`);
    assert.equal(seen.size, 5, 'exactly 5 pods were created');

    const job = await getJob(ns, 'pi');
    assert.equal(job.status?.succeeded, 5);
    assert.equal(job.status?.failed ?? 0, 0);
    assert.equal(job.status?.active ?? 0, 0);
    assert.ok(job.status?.startTime && job.status.completionTime, 'start and completion times');
    const uncounted = job.status?.uncountedTerminatedPods;
    assert.equal((uncounted?.succeeded ?? []).length + (uncounted?.failed ?? []).length, 0, 'every pod counted');
    assert.equal(condition(job, 'SuccessCriteriaMet')?.reason, 'CompletionsReached');
    assert.equal(condition(job, 'Complete')?.message, 'Reached expected number of succeeded pods');

    const pods = await jobPods(ns, 'pi');
    assert.equal(pods.length, 5);
    for (const p of pods) {
      const labels = p.metadata.labels!;
      assert.equal(labels['batch.kubernetes.io/job-name'], 'pi');
      assert.equal(labels['job-name'], 'pi');
      assert.equal(labels['controller-uid'], created.metadata.uid);
      assert.equal(labels['batch.kubernetes.io/controller-uid'], created.metadata.uid);
      assert.match(p.metadata.name!, /^pi-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.controller, r.blockOwnerDeletion]), [['Job', 'pi', true, true]]);
      assert.ok(!p.metadata.finalizers?.includes('batch.kubernetes.io/job-tracking'), 'the tracking finalizer is removed once counted');
    }

    const out = await kubectlOk(['get', 'job', 'pi', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(out, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE/m);
    assert.match(out, /^pi\s+Complete\s+5\/5\s+\d+s\s+\S+/m);

    const events = await waitFor(async () => {
      const e = await jobEvents(ns, 'pi');
      return e.filter((x) => x.reason === 'SuccessfulCreate').length === 5 && e.some((x) => x.reason === 'Completed') ? e : undefined;
    }, { message: 'events' });
    for (const e of events.filter((x) => x.reason === 'SuccessfulCreate')) assert.match(e.message, /^Created pod: pi-[a-z0-9]{5}$/);
    const completed = events.find((x) => x.reason === 'Completed')!;
    assert.equal(completed.message, 'Job completed');
    assert.equal(completed.source.component, 'job-controller');
  });

  test('failing pods are replaced after a doubling back-off until backoffLimit, then the Job fails with BackoffLimitExceeded', async () => {
    const ns = await createNamespace(server);
    await client.resource<Job>(GVR.jobs).namespace(ns).create(jobManifest('fails', { backoffLimit: 2 }));
    const failedAt: number[] = [];
    const appearedAt: number[] = [];
    await waitStepping(async () => {
      const pods = await jobPods(ns, 'fails');
      while (appearedAt.length < pods.length) appearedAt.push(clock.now());
      const running = pods.filter(isRunnable);
      if (running.length > 1) throw new Error(`parallelism 1, saw ${running.length} pods running`);
      if (running[0]) {
        failedAt.push(clock.now());
        await setPodPhase(client, ns, running[0].metadata.name!, 'Failed', { atMs: clock.now() });
      }
      const job = await getJob(ns, 'fails');
      return condition(job, 'Failed')?.status === 'True' ? job : undefined;
    }, 'Job failed', 1000);
    assert.equal(appearedAt.length, 3, 'backoffLimit 2 allows 3 pods');
    assert.ok(appearedAt[1]! - failedAt[0]! >= 10_000, `second pod after ≥10s back-off (${appearedAt[1]! - failedAt[0]!}ms)`);
    assert.ok(appearedAt[2]! - failedAt[1]! >= 20_000, `third pod after ≥20s back-off (${appearedAt[2]! - failedAt[1]!}ms)`);

    const job = await getJob(ns, 'fails');
    assert.equal(job.status?.failed, 3);
    assert.equal(job.status?.succeeded ?? 0, 0);
    assert.equal(condition(job, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
    const failed = condition(job, 'Failed')!;
    assert.deepEqual([failed.status, failed.reason, failed.message], ['True', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
    assert.equal(job.status?.completionTime, undefined, 'a failed Job has no completion time');

    const out = await kubectlOk(['get', 'job', 'fails', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(out, /^fails\s+Failed\s+0\/1\s+/m);
    const warning = await waitFor(async () => (await jobEvents(ns, 'fails')).find((e) => e.reason === 'BackoffLimitExceeded'), { message: 'event' });
    assert.equal(warning.type, 'Warning');
    assert.equal(warning.message, 'Job has reached the specified backoff limit');
  });

  test('activeDeadlineSeconds: running pods are stopped and the Job fails with DeadlineExceeded', async () => {
    const ns = await createNamespace(server);
    await client.resource<Job>(GVR.jobs).namespace(ns).create(jobManifest('slow', { parallelism: 2, completions: 4, activeDeadlineSeconds: 30 }));
    await waitFor(async () => {
      const pods = (await jobPods(ns, 'slow')).filter(isRunnable);
      for (const p of pods) if (p.status?.phase !== 'Running') await setPodPhase(client, ns, p.metadata.name!, 'Running', { atMs: clock.now() });
      return pods.length === 2 && pods.every((p) => p.status?.phase === 'Running');
    }, { message: 'two pods running' });
    const start = clock.now();
    await waitStepping(async () => (await getJob(ns, 'slow')).status?.ready === 2, 'ready 2');
    assert.ok(clock.now() - start < 30_000);
    assert.equal(condition(await getJob(ns, 'slow'), 'Failed'), undefined, 'not failed before the deadline');

    clock.setTime(start + 30_000);
    const job = await waitStepping(async () => {
      const j = await getJob(ns, 'slow');
      return condition(j, 'Failed')?.status === 'True' ? j : undefined;
    }, 'Job failed by deadline');
    assert.equal(condition(job, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(condition(job, 'Failed')?.message, 'Job was active longer than specified deadline');
    assert.equal(job.status?.failed, 2, 'the stopped pods count as failed');
    assert.equal(job.status?.active ?? 0, 0);
    assert.deepEqual(await jobPods(ns, 'slow'), [], 'the unscheduled pods are gone once counted');
    const reasons = (await waitFor(async () => {
      const e = await jobEvents(ns, 'slow');
      return e.some((x) => x.reason === 'DeadlineExceeded') ? e : undefined;
    }, { message: 'events' })).map((e) => e.reason);
    assert.equal(reasons.filter((r) => r === 'SuccessfulDelete').length, 2);
  });

  test('Indexed: pods carry their index, a failed index is retried, completedIndexes reads 0-2', async () => {
    const ns = await createNamespace(server);
    await client.resource<Job>(GVR.jobs).namespace(ns).create(jobManifest('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await waitFor(async () => {
      const p = (await jobPods(ns, 'idx')).filter(isRunnable);
      return p.length === 3 ? p : undefined;
    }, { message: 'three pods' });
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations!['batch.kubernetes.io/job-completion-index']!, p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [ix, p] of byIndex) {
      assert.equal(p.metadata.labels!['batch.kubernetes.io/job-completion-index'], ix);
      assert.equal(p.spec!.hostname, `idx-${ix}`);
      assert.match(p.metadata.name!, new RegExp(`^idx-${ix}-[a-z0-9]{5}$`));
      assert.deepEqual(p.spec!.containers![0]!.env, [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } }]);
    }
    await setPodPhase(client, ns, byIndex.get('1')!.metadata.name!, 'Succeeded', { atMs: clock.now() });
    await setPodPhase(client, ns, byIndex.get('0')!.metadata.name!, 'Failed', { atMs: clock.now() });
    const job = await waitStepping(async () => {
      const j = await getJob(ns, 'idx');
      return j.status?.completedIndexes === '1' && j.status.failed === 1 ? j : undefined;
    }, 'index 1 done, one failure');
    assert.equal(job.status?.succeeded, 1);
    const retry = await waitStepping(async () => (await jobPods(ns, 'idx')).find((p) => isRunnable(p) && p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === '0'), 'index 0 recreated');
    assert.notEqual(retry.metadata.uid, byIndex.get('0')!.metadata.uid);
    for (const p of [retry, byIndex.get('2')!]) await setPodPhase(client, ns, p.metadata.name!, 'Succeeded', { atMs: clock.now() });
    const done = await waitStepping(async () => {
      const j = await getJob(ns, 'idx');
      return condition(j, 'Complete')?.status === 'True' ? j : undefined;
    }, 'Indexed Job complete');
    assert.equal(done.status?.completedIndexes, '0-2');
    assert.equal(done.status?.succeeded, 3);
    assert.equal(done.status?.failed, 1);
  });

  test('ttlSecondsAfterFinished: the finished Job is deleted (foreground) once the TTL has passed', async () => {
    const ns = await createNamespace(server);
    await client.resource<Job>(GVR.jobs).namespace(ns).create(jobManifest('short', { ttlSecondsAfterFinished: 100 }));
    await waitStepping(async () => {
      const running = (await jobPods(ns, 'short')).filter(isRunnable);
      if (running[0]) await setPodPhase(client, ns, running[0].metadata.name!, 'Succeeded', { atMs: clock.now() });
      return condition(await getJob(ns, 'short'), 'Complete')?.status === 'True';
    }, 'Job complete');
    const finishedAt = Date.parse(condition(await getJob(ns, 'short'), 'Complete')!.lastTransitionTime!);
    clock.setTime(finishedAt + 90_000);
    // Give the controller a moment on the informer's side; the Job must still be there before the TTL.
    await waitFor(async () => (await jobEvents(ns, 'short')).some((e) => e.reason === 'Completed'), { message: 'completed event' });
    assert.equal((await getJob(ns, 'short')).metadata.deletionTimestamp, undefined, 'kept before the TTL');
    clock.setTime(finishedAt + 101_000);
    const deleted = await waitStepping(async () => {
      try {
        const j = await getJob(ns, 'short');
        return j.metadata.deletionTimestamp ? j : undefined;
      } catch {
        return { metadata: { finalizers: ['foregroundDeletion'] } } as KObject as Job; // already gone: the GC finished it
      }
    }, 'Job deleted after TTL', 1000);
    assert.ok(deleted.metadata.finalizers?.includes('foregroundDeletion'), 'foreground propagation, as upstream');
  });
});
