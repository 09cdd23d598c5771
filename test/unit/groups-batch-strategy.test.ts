// batch/v1: Job defaults and generated selector, CronJob defaults and schedule validation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage } from '../../src/apimachinery/errors.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import type { RequestContext } from '../../src/registry/types.ts';
import { jobs } from '../../src/registry/groups/batch/job.ts';
import { cronjobs } from '../../src/registry/groups/batch/cronjob.ts';
import { parseStandard } from '../../src/registry/groups/batch/cron-schedule.ts';

const ctx: RequestContext = { namespace: 'default', dryRun: false, now: () => new Date('2024-01-01T00:00:00Z') };
const UID = '0b7c5e1a-2f4e-4c53-9a8e-1f0c3b2d4e5f';

function job(spec: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: UID },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } }, ...spec },
  };
}

function createJob(obj: KObject): string[] {
  jobs.strategy.defaults!(obj);
  jobs.strategy.prepareForCreate!(obj, ctx);
  return jobs.strategy.validate!(obj, ctx).map(fieldErrorMessage);
}

describe('Job', () => {
  test('defaults as SetDefaults_Job', () => {
    const obj = job();
    jobs.strategy.defaults!(obj);
    const s = obj.spec as any;
    assert.deepEqual(
      { completions: s.completions, parallelism: s.parallelism, backoffLimit: s.backoffLimit, completionMode: s.completionMode, suspend: s.suspend, manualSelector: s.manualSelector, podReplacementPolicy: s.podReplacementPolicy },
      { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, manualSelector: false, podReplacementPolicy: 'TerminatingOrFailed' },
    );
  });

  test('parallelism alone leaves completions unset', () => {
    const obj = job({ parallelism: 3 });
    jobs.strategy.defaults!(obj);
    assert.equal((obj.spec as any).completions, undefined);
    assert.equal((obj.spec as any).parallelism, 3);
  });

  test('create generates the controller-uid selector and pod labels', () => {
    const obj = job();
    assert.deepEqual(createJob(obj), []);
    const s = obj.spec as any;
    assert.deepEqual(s.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
    assert.deepEqual(s.template.metadata.labels, {
      'batch.kubernetes.io/controller-uid': UID, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'job-name': 'pi',
    });
    assert.deepEqual(obj.metadata.labels, s.template.metadata.labels);
    assert.deepEqual(obj.status, {});
  });

  test('a Job may not restart its pods Always', () => {
    const obj = job({ template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } });
    assert.deepEqual(createJob(obj), ['spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"']);
  });

  test('a manual selector must match the template', () => {
    const obj = job({ manualSelector: true, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'b' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } });
    assert.deepEqual(createJob(obj), ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`']);
  });

  test('negative backoffLimit is rejected', () => {
    assert.deepEqual(createJob(job({ backoffLimit: -1 })), ['spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0']);
  });

  test('completions are immutable for NonIndexed jobs', () => {
    const old = job();
    createJob(old);
    const obj = structuredClone(old);
    (obj.spec as any).completions = 3;
    assert.deepEqual(jobs.strategy.validateUpdate!(obj, old, ctx).map(fieldErrorMessage), ['spec.completions: Invalid value: 3: field is immutable']);
  });

  test('batch/v1 orphans the pods of a deleted Job by default', () => {
    assert.equal(jobs.strategy.defaultDeletePropagation, 'Orphan');
  });
});

function cronjob(spec: Record<string, unknown>): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'hello', namespace: 'default' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } }, ...spec },
  };
}

describe('CronJob', () => {
  test('defaults as SetDefaults_CronJob, without Job defaults in the template', () => {
    const obj = cronjob({});
    cronjobs.strategy.defaults!(obj);
    const s = obj.spec as any;
    assert.deepEqual(
      { c: s.concurrencyPolicy, s: s.suspend, ok: s.successfulJobsHistoryLimit, failed: s.failedJobsHistoryLimit, backoff: s.jobTemplate.spec.backoffLimit },
      { c: 'Allow', s: false, ok: 3, failed: 1, backoff: undefined },
    );
  });

  const cases: { schedule: string; timeZone?: string; want: string[] }[] = [
    { schedule: '*/5 * * * *', want: [] },
    { schedule: '@hourly', want: [] },
    { schedule: '0 0 * * MON-FRI', want: [] },
    { schedule: '@every 1h30m', want: [] },
    { schedule: '* * * *', want: ['spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]'] },
    { schedule: '61 * * * *', want: ['spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61'] },
    { schedule: 'x * * * *', want: ['spec.schedule: Invalid value: "x * * * *": failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'] },
    { schedule: '@sometimes', want: ['spec.schedule: Invalid value: "@sometimes": unrecognized descriptor: @sometimes'] },
    { schedule: '5-1 * * * *', want: ['spec.schedule: Invalid value: "5-1 * * * *": beginning of range (5) beyond end of range (1): 5-1'] },
    { schedule: 'TZ=UTC 0 * * * *', want: ['spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead'] },
    { schedule: '0 * * * *', timeZone: 'Mars/Olympus', want: ['spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus'] },
    { schedule: '0 * * * *', timeZone: 'Europe/Paris', want: [] },
  ];
  for (const c of cases) {
    test(`schedule ${JSON.stringify(c.schedule)}${c.timeZone ? ` in ${c.timeZone}` : ''}`, () => {
      const obj = cronjob({ schedule: c.schedule, timeZone: c.timeZone });
      cronjobs.strategy.defaults!(obj);
      assert.deepEqual(cronjobs.strategy.validate!(obj, ctx).map(fieldErrorMessage), c.want);
    });
  }

  test('names longer than 52 characters are rejected', () => {
    const obj = cronjob({});
    obj.metadata.name = 'a'.repeat(53);
    cronjobs.strategy.defaults!(obj);
    assert.deepEqual(cronjobs.strategy.validate!(obj, ctx).map(fieldErrorMessage), [`metadata.name: Invalid value: "${'a'.repeat(53)}": must be no more than 52 characters`]);
  });

  test('parsed fields expose the allowed values', () => {
    const r = parseStandard('0,30 9-17/4 * jan,dec sun');
    assert.ok(r.ok && r.fields);
    assert.deepEqual([...r.fields.minute], [0, 30]);
    assert.deepEqual([...r.fields.hour], [9, 13, 17]);
    assert.deepEqual([...r.fields.month], [1, 12]);
    assert.deepEqual([...r.fields.dayOfWeek], [0]);
    assert.equal(r.fields.dayOfMonthStar, true);
  });
});
