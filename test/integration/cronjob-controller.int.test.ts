// The CronJob controller against the real server on a fake clock moved minute by minute: Jobs named
// "<cronjob>-<minutes since the epoch>", history limits, concurrency policies and starting deadlines.
// No Job controller runs here: the tests finish Jobs through jobs/status, as the Job controller would.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, GVR, KubeClient, isConflict, isNotFound } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { cronJobControllerDescriptor } from '../../src/controllers/cronjob/cronjob-controller.ts';
import type { CronJob } from '../../src/controllers/cronjob/schedule-times.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import type { Job } from '../../src/controllers/job/types.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

let server: TestServer;
let client: KubeClient;
let clock: FakeClock;
let manager: RunningComponent | undefined;

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
});
afterEach(async () => {
  await manager?.stop();
  manager = undefined;
});
after(async () => {
  client?.close();
  await server?.close();
});

/** A controller manager running only the CronJob controller, on a fresh fake clock at the real time. */
function startCronJobController(): void {
  clock = new FakeClock(Date.now());
  manager = startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    controllers: [cronJobControllerDescriptor], clock, log: () => {},
  });
}

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function cronJobManifest(name: string, spec: Partial<CronJob['spec']> = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
    spec: {
      schedule: '*/1 * * * *',
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'hello', image: 'busybox', command: ['date'] }] } } },
      },
      ...spec,
    },
  };
}

const cronJobs = (ns: string) => client.resource<CronJob>(GVR.cronjobs).namespace(ns);
const jobsIn = (ns: string) => client.resource<Job>(GVR.jobs).namespace(ns);
const jobNames = async (ns: string) => (await jobsIn(ns).list()).items.map((j) => j.metadata.name!).sort();

/** The first minute boundary after the CronJob was created: its first schedule time. */
async function firstMinute(ns: string, name: string): Promise<number> {
  const created = Date.parse((await cronJobs(ns).get(name)).metadata.creationTimestamp!);
  return (Math.floor(created / MINUTE) + 1) * MINUTE;
}

const jobName = (cj: string, minuteMs: number) => `${cj}-${minuteMs / MINUTE}`;

async function waitForJob(ns: string, name: string): Promise<Job> {
  return waitFor(async () => {
    try { return await jobsIn(ns).get(name); } catch (err) { if (isNotFound(err)) return undefined; throw err; }
  }, { message: `Job ${name}`, timeoutMs: 20_000 });
}

/** Finish a Job as the Job controller would. */
async function finishJob(ns: string, name: string, type: 'Complete' | 'Failed', startMs: number, endMs: number): Promise<void> {
  for (;;) {
    const job = await jobsIn(ns).get(name);
    const cond = (t: string, reason: string) => ({ type: t, status: 'True' as const, reason, message: '', lastProbeTime: iso(endMs), lastTransitionTime: iso(endMs) });
    const status = type === 'Complete'
      ? { startTime: iso(startMs), completionTime: iso(endMs), succeeded: 1, conditions: [cond('SuccessCriteriaMet', 'CompletionsReached'), cond('Complete', 'CompletionsReached')] }
      : { startTime: iso(startMs), failed: 7, conditions: [cond('FailureTarget', 'BackoffLimitExceeded'), cond('Failed', 'BackoffLimitExceeded')] };
    try {
      await jobsIn(ns).updateStatus({ ...job, status });
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

async function events(ns: string, name: string): Promise<CoreEvent[]> {
  return (await client.resource<CoreEvent>(GVR.events).namespace(ns).list({ fieldSelector: `involvedObject.name=${name}` })).items;
}

async function waitForEvent(ns: string, name: string, reason: string, message?: string): Promise<CoreEvent> {
  return waitFor(async () => (await events(ns, name)).find((e) => e.reason === reason && (message === undefined || e.message === message)),
    { message: `event ${reason} ${message ?? ''}`, timeoutMs: 20_000 });
}

describe('CronJob controller', { timeout: 180_000 }, () => {
  test('"*/1 * * * *": a Job per minute named after the scheduled minute, keeping only the history limits', async () => {
    startCronJobController();
    const ns = await createNamespace(server);
    const cj = await cronJobs(ns).create(cronJobManifest('hello', { successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }));
    const m0 = await firstMinute(ns, 'hello');
    const outcome: ('Complete' | 'Failed')[] = ['Complete', 'Complete', 'Failed', 'Complete', 'Complete', 'Failed'];
    for (let i = 0; i < outcome.length; i++) {
      const minute = m0 + i * MINUTE;
      clock.setTime(minute + 1000);
      const job = await waitForJob(ns, jobName('hello', minute));
      if (i === 0) {
        assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: cj.metadata.uid, controller: true, blockOwnerDeletion: true }]);
        assert.equal(job.metadata.labels?.app, 'hello');
        // RFC 3339 in the controller's local zone (no spec.timeZone): the scheduled instant.
        const scheduled = job.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'];
        assert.match(scheduled ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00(Z|[+-]\d{2}:\d{2})$/);
        assert.equal(Date.parse(scheduled!), minute);
        const st = await waitFor(async () => {
          const s = (await cronJobs(ns).get('hello')).status;
          return s?.active?.length === 1 ? s : undefined;
        }, { message: 'active list' });
        assert.deepEqual([st.active![0]!.kind, st.active![0]!.name, st.active![0]!.uid], ['Job', job.metadata.name, job.metadata.uid]);
        assert.equal(st.lastScheduleTime, iso(minute));
      }
      await finishJob(ns, job.metadata.name!, outcome[i]!, minute + 1000, minute + 20_000);
      await waitForEvent(ns, 'hello', 'SawCompletedJob', `Saw completed job: ${job.metadata.name}, condition: ${outcome[i]}`);
    }
    const names = (ms: number[]) => ms.map((m) => jobName('hello', m)).sort();
    await waitFor(async () => JSON.stringify(await jobNames(ns)) === JSON.stringify(names([m0 + 3 * MINUTE, m0 + 4 * MINUTE, m0 + 5 * MINUTE])),
      { message: 'two successful and one failed Job kept', timeoutMs: 20_000 });

    const status = await waitFor(async () => {
      const st = (await cronJobs(ns).get('hello')).status!;
      return (st.active ?? []).length === 0 ? st : undefined;
    }, { message: 'no active Job' });
    assert.equal(status.lastScheduleTime, iso(m0 + 5 * MINUTE));
    assert.equal(status.lastSuccessfulTime, iso(m0 + 4 * MINUTE + 20_000));

    const all = await events(ns, 'hello');
    const messages = (reason: string) => all.filter((e) => e.reason === reason).map((e) => e.message).sort();
    assert.deepEqual(messages('SuccessfulCreate'), names(outcome.map((_, i) => m0 + i * MINUTE)).map((n) => `Created job ${n}`).sort());
    assert.deepEqual(messages('SuccessfulDelete'), names([m0, m0 + MINUTE, m0 + 2 * MINUTE]).map((n) => `Deleted job ${n}`).sort());
    assert.ok(all.every((e) => e.source.component === 'cronjob-controller'));

    const out = await kubectlOk(['get', 'cronjob', 'hello', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(out, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE/m);
    assert.match(out, /^hello\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+\S+\s+\S+/m);
  });

  test('Forbid: no new Job while one runs; the missed time starts once it finishes', async () => {
    startCronJobController();
    const ns = await createNamespace(server);
    await cronJobs(ns).create(cronJobManifest('forbid', { concurrencyPolicy: 'Forbid' }));
    const m0 = await firstMinute(ns, 'forbid');
    clock.setTime(m0 + 1000);
    await waitForJob(ns, jobName('forbid', m0));
    clock.setTime(m0 + MINUTE + 1000);
    const skipped = await waitForEvent(ns, 'forbid', 'JobAlreadyActive');
    assert.equal(skipped.message, 'Not starting job because prior execution is running and concurrency policy is Forbid');
    assert.deepEqual(await jobNames(ns), [jobName('forbid', m0)]);

    await finishJob(ns, jobName('forbid', m0), 'Complete', m0 + 1000, m0 + 90_000);
    await waitForJob(ns, jobName('forbid', m0 + MINUTE));
    await waitFor(async () => (await cronJobs(ns).get('forbid')).status?.lastScheduleTime === iso(m0 + MINUTE), { message: 'lastScheduleTime' });
  });

  test('Replace: the running Job is deleted and the next one created', async () => {
    startCronJobController();
    const ns = await createNamespace(server);
    await cronJobs(ns).create(cronJobManifest('replace', { concurrencyPolicy: 'Replace' }));
    const m0 = await firstMinute(ns, 'replace');
    clock.setTime(m0 + 1000);
    await waitForJob(ns, jobName('replace', m0));
    clock.setTime(m0 + MINUTE + 1000);
    const second = await waitForJob(ns, jobName('replace', m0 + MINUTE));
    await waitFor(async () => JSON.stringify(await jobNames(ns)) === JSON.stringify([second.metadata.name]), { message: 'first Job replaced' });
    await waitForEvent(ns, 'replace', 'SuccessfulDelete', `Deleted job ${jobName('replace', m0)}`);
    const active = await waitFor(async () => {
      const a = (await cronJobs(ns).get('replace')).status?.active;
      return a?.length === 1 && a[0]!.name === second.metadata.name ? a : undefined;
    }, { message: 'active is the new Job' });
    assert.equal(active[0]!.uid, second.metadata.uid);
  });

  test('late starts: a missed time runs at once, unless it is older than startingDeadlineSeconds', async () => {
    startCronJobController();
    const ns = await createNamespace(server);
    await cronJobs(ns).create(cronJobManifest('late', { startingDeadlineSeconds: 10, suspend: true }));
    await cronJobs(ns).create(cronJobManifest('eager', { suspend: true }));
    const m0 = Math.max(await firstMinute(ns, 'late'), await firstMinute(ns, 'eager'));
    // Resumed 30 s after a schedule time: too late for "late", still fine for "eager".
    clock.setTime(m0 + 30_000);
    await cronJobs(ns).patch('late', { spec: { suspend: false } });
    await cronJobs(ns).patch('eager', { spec: { suspend: false } });
    await waitForJob(ns, jobName('eager', m0));
    clock.setTime(m0 + MINUTE + 2000);
    await waitForJob(ns, jobName('late', m0 + MINUTE));
    assert.deepEqual((await jobNames(ns)).filter((n) => n.startsWith('late-')), [jobName('late', m0 + MINUTE)], 'the missed time was skipped');
    await waitFor(async () => (await cronJobs(ns).get('late')).status?.lastScheduleTime === iso(m0 + MINUTE), { message: 'lastScheduleTime' });
  });
});
