// The CronJob controller's time logic on fixed instants: next run times of standard schedules (ranges,
// steps, lists, @descriptors, time zones across DST), missed start times since the last run, when to
// look again, and the Job a scheduled time becomes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedule, type Schedule } from '../../src/controllers/cronjob/cron-schedule.ts';
import { formatRFC1123Z } from '../../src/controllers/cronjob/cronjob-controller.ts';
import {
  CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, getJobName, jobFromTemplate, mostRecentScheduleTime, nextScheduleTime, nextScheduleTimeDuration,
  type CronJob,
} from '../../src/controllers/cronjob/schedule-times.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function schedule(text: string, tz?: string): Schedule {
  const p = parseSchedule(text, tz);
  if (!p.ok) throw new Error(p.error);
  return p.schedule;
}

function nextTimes(text: string, fromIso: string, n: number, tz?: string): string[] {
  const s = schedule(text, tz);
  const out: string[] = [];
  for (let t: number | undefined = at(fromIso); out.length < n;) {
    t = s.next(t!);
    if (t === undefined) break;
    out.push(iso(t)!);
  }
  return out;
}

function cronJob(spec: Partial<CronJob['spec']>, created: string, status: CronJob['status'] = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'ns', uid: 'cj-uid', creationTimestamp: created },
    spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [] } } } }, ...spec },
    status,
  };
}

describe('cron schedules', () => {
  const cases: [string, string, string[], string?][] = [
    ['*/1 * * * *', '2025-01-01T10:00:00Z', ['2025-01-01T10:01:00.000Z', '2025-01-01T10:02:00.000Z']],
    ['*/1 * * * *', '2025-01-01T10:00:59.999Z', ['2025-01-01T10:01:00.000Z']],
    ['0,30 * * * *', '2025-01-01T10:10:00Z', ['2025-01-01T10:30:00.000Z', '2025-01-01T11:00:00.000Z']],
    ['*/20 9-10 * * *', '2025-01-01T10:30:00Z', ['2025-01-01T10:40:00.000Z', '2025-01-02T09:00:00.000Z']],
    // Monday to Friday only: Friday 17:00 → Monday 09:00.
    ['0 9,17 * * 1-5', '2025-01-03T17:00:00Z', ['2025-01-06T09:00:00.000Z']],
    ['0 0 1 jan,jul *', '2025-02-01T00:00:00Z', ['2025-07-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']],
    ['@hourly', '2025-01-01T10:15:00Z', ['2025-01-01T11:00:00.000Z', '2025-01-01T12:00:00.000Z'], 'UTC'],
    ['@daily', '2025-01-01T10:15:00Z', ['2025-01-01T15:00:00.000Z'], 'Asia/Tokyo'],
    ['@weekly', '2025-01-01T00:00:00Z', ['2025-01-05T00:00:00.000Z'], 'UTC'],
    ['@monthly', '2025-01-15T00:00:00Z', ['2025-02-01T00:00:00.000Z'], 'UTC'],
    ['@yearly', '2025-01-15T00:00:00Z', ['2026-01-01T00:00:00.000Z'], 'UTC'],
    // 09:00 in Berlin is 08:00Z in winter and 07:00Z once summer time starts (30 March 2025).
    ['0 9 * * *', '2025-03-28T12:00:00Z', ['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z'], 'Europe/Berlin'],
    ['@every 90s', '2025-01-01T10:00:00.500Z', ['2025-01-01T10:01:30.000Z', '2025-01-01T10:03:00.000Z']],
  ];
  for (const [text, from, expected, tz] of cases) {
    test(`${text}${tz ? ` in ${tz}` : ''} after ${from}`, () => {
      assert.deepEqual(nextTimes(text, from, expected.length, tz), expected);
    });
  }

  test('a TZ= prefix in the schedule picks the zone', () => {
    assert.deepEqual(nextTimes('TZ=America/New_York 0 0 * * *', '2025-01-01T00:00:00Z', 1), ['2025-01-01T05:00:00.000Z']);
  });

  test('schedules the API server rejects are rejected with robfig\'s texts', () => {
    assert.deepEqual(parseSchedule('* * * *'), { ok: false, error: 'expected exactly 5 fields, found 4: [* * * *]' });
    assert.deepEqual(parseSchedule('61 * * * *'), { ok: false, error: 'end of range (61) above maximum (59): 61' });
    assert.deepEqual(parseSchedule('@fortnightly'), { ok: false, error: 'unrecognized descriptor: @fortnightly' });
  });

  test('a schedule that can never fire has no next time', () => {
    assert.equal(schedule('0 0 31 2 *', 'UTC').next(at('2025-01-01T00:00:00Z')), undefined);
  });
});

describe('missed start times', () => {
  const every = schedule('*/1 * * * *', 'UTC');

  test('none due yet: nothing to run, look again just after the first schedule time', () => {
    const cj = cronJob({}, '2025-01-01T10:00:30Z');
    const now = at('2025-01-01T10:00:40Z');
    assert.deepEqual(mostRecentScheduleTime(cj, now, every, true), { earliestMs: at('2025-01-01T10:00:30Z'), missed: 'none' });
    assert.deepEqual(nextScheduleTime(cj, now, every), { many: false, error: undefined });
    assert.equal(nextScheduleTimeDuration(cj, now, every), 20_100);
  });

  test('one due: it is the one to run', () => {
    const cj = cronJob({}, '2025-01-01T10:00:30Z');
    const r = mostRecentScheduleTime(cj, at('2025-01-01T10:01:05Z'), every, true);
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2025-01-01T10:01:00.000Z', 'none']);
  });

  test('a few missed since the last run: only the most recent is run', () => {
    const cj = cronJob({}, '2025-01-01T09:00:00Z', { lastScheduleTime: '2025-01-01T10:00:00Z' });
    const now = at('2025-01-01T10:05:10Z');
    const r = mostRecentScheduleTime(cj, now, every, true);
    assert.deepEqual([iso(r.mostRecentMs), r.missed], ['2025-01-01T10:05:00.000Z', 'few']);
    assert.equal(nextScheduleTimeDuration(cj, now, every), 50_100);
  });

  test('more than 100 missed: reported as many, and the most recent still runs', () => {
    const cj = cronJob({}, '2025-01-01T00:00:00Z');
    const now = at('2025-01-03T00:00:30Z');
    const next = nextScheduleTime(cj, now, every);
    assert.deepEqual([iso(next.scheduledMs), next.many], ['2025-01-03T00:00:00.000Z', true]);
  });

  test('startingDeadlineSeconds bounds how far back the controller looks', () => {
    const cj = cronJob({ startingDeadlineSeconds: 200 }, '2025-01-01T00:00:00Z');
    const now = at('2025-01-03T00:00:30Z');
    const r = mostRecentScheduleTime(cj, now, every, true);
    assert.equal(r.earliestMs, now - 200_000);
    assert.equal(r.missed, 'few', '3 missed within the last 200 s, not 2880');
    assert.equal(iso(nextScheduleTime(cj, now, every).scheduledMs), '2025-01-03T00:00:00.000Z');
  });

  test('a time older than startingDeadlineSeconds is not run; without a deadline it starts late', () => {
    const now = at('2025-01-01T10:01:30Z');
    assert.equal(nextScheduleTime(cronJob({ startingDeadlineSeconds: 10 }, '2025-01-01T10:00:30Z'), now, every).scheduledMs, undefined);
    assert.equal(iso(nextScheduleTime(cronJob({ startingDeadlineSeconds: 60 }, '2025-01-01T10:00:30Z'), now, every).scheduledMs), '2025-01-01T10:01:00.000Z');
    assert.equal(iso(nextScheduleTime(cronJob({}, '2025-01-01T10:00:30Z'), now, every).scheduledMs), '2025-01-01T10:01:00.000Z');
  });

  // Upstream's own table (utils_test.go), from Thursday 2016-05-19 10:30 (the last run).
  test('irregular schedules: the estimate then walks to the right most recent time, as upstream', () => {
    const cj = cronJob({}, '2016-05-19T10:00:00Z', { lastScheduleTime: '2016-05-19T10:30:00Z' });
    const complex = mostRecentScheduleTime(cj, at('2016-05-20T10:31:00Z'), schedule('30 6-16/4 * * 1-5', 'UTC'), false);
    assert.deepEqual([iso(complex.mostRecentMs), complex.missed], ['2016-05-20T10:30:00.000Z', 'few']);
    // Upstream's estimate overshoots here and finds nothing; the next sync is then taken from now.
    const other = mostRecentScheduleTime(cj, at('2016-05-20T16:30:00Z'), schedule('30 10,11,12 * * 1-5', 'UTC'), false);
    assert.equal(other.mostRecentMs, undefined);
    assert.equal(nextScheduleTimeDuration(cj, at('2016-05-20T16:30:00Z'), schedule('30 10,11,12 * * 1-5', 'UTC')), 66 * 3600_000 + 100);
  });

  test('a schedule that never fires is an error (InvalidSchedule)', () => {
    const cj = cronJob({}, '2025-01-01T00:00:00Z');
    const r = nextScheduleTime(cj, at('2025-03-01T00:00:00Z'), schedule('0 0 31 2 *', 'UTC'));
    assert.equal(r.error, 'time difference between two schedules is less than 1 second');
    assert.equal(r.scheduledMs, undefined);
  });
});

describe('the Job of a scheduled time', () => {
  test('is named after the minutes since the epoch and annotated with the time in the CronJob\'s zone', () => {
    const scheduled = at('2025-01-01T10:05:00Z');
    const cj = cronJob({ timeZone: 'Europe/Berlin', jobTemplate: { metadata: { labels: { app: 'x' }, annotations: { a: 'b' } }, spec: { template: { spec: { containers: [] } } } } }, '2025-01-01T00:00:00Z');
    assert.equal(getJobName(cj, scheduled), `hello-${scheduled / 60_000}`);
    const job = jobFromTemplate(cj, scheduled);
    assert.equal(job.metadata.name, 'hello-28928765');
    assert.deepEqual(job.metadata.labels, { app: 'x' });
    assert.deepEqual(job.metadata.annotations, { a: 'b', [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: '2025-01-01T11:05:00+01:00' });
    assert.deepEqual(job.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
    const utc = jobFromTemplate(cronJob({ timeZone: 'UTC' }, '2025-01-01T00:00:00Z'), scheduled);
    assert.equal(utc.metadata.annotations![CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], '2025-01-01T10:05:00Z');
    const ny = jobFromTemplate(cronJob({ timeZone: 'America/New_York' }, '2025-01-01T00:00:00Z'), scheduled);
    assert.equal(ny.metadata.annotations![CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION], '2025-01-01T05:05:00-05:00');
  });

  test('MissSchedule events print the time as Go\'s RFC1123Z', () => {
    assert.equal(formatRFC1123Z(at('2025-01-03T09:05:00Z')), 'Fri, 03 Jan 2025 09:05:00 +0000');
  });
});
