// When a CronJob should run (upstream's cronjob/utils.go): the most recent missed schedule time
// since the last run (or creation), whether many were missed, when to look again, and the Job a
// scheduled time becomes — named "<cronjob>-<minutes since the epoch>" so that a time is never
// run twice.
import type { KObject } from '../../apimachinery/types.ts';
import { newControllerRef } from '../framework/controller-ref.ts';
import { parseTime } from '../job/job-util.ts';
import type { Job, JobSpec } from '../job/types.ts';
import type { Schedule } from './cron-schedule.ts';

export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** nextScheduleDelta: requeue a little after the schedule time, against clock skew. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this are reported as TooManyMissedTimes. */
export const MANY_MISSED_THRESHOLD = 100;

export interface CronJob extends KObject {
  spec: {
    schedule: string;
    timeZone?: string | null;
    startingDeadlineSeconds?: number | null;
    concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
    suspend?: boolean;
    jobTemplate: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: JobSpec };
    successfulJobsHistoryLimit?: number | null;
    failedJobsHistoryLimit?: number | null;
  };
  status?: {
    active?: { kind?: string; namespace?: string; name?: string; uid?: string; apiVersion?: string; resourceVersion?: string }[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
}

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  /** The last schedule time, else the creation time (raised to now − startingDeadlineSeconds when asked). */
  earliestMs: number;
  /** The latest schedule time ≤ now that has not run, if any. */
  mostRecentMs?: number;
  missed: MissedSchedules;
  /** The schedule's activations are less than a second apart (e.g. "0 0 31 2 *" never fires). */
  error?: string;
}

/** mostRecentScheduleTime. */
export function mostRecentScheduleTime(cj: CronJob, nowMs: number, schedule: Schedule, includeStartingDeadlineSeconds: boolean): MostRecent {
  let earliestMs = parseTime(cj.status?.lastScheduleTime) ?? parseTime(cj.metadata.creationTimestamp) ?? nowMs;
  const deadline = cj.spec.startingDeadlineSeconds;
  if (includeStartingDeadlineSeconds && deadline != null) {
    // Nothing older than the deadline will be started anyway.
    earliestMs = Math.max(earliestMs, nowMs - deadline * 1000);
  }
  const t1 = schedule.next(earliestMs);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && nowMs < t1) return { earliestMs, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && nowMs < t2) return { earliestMs, mostRecentMs: t1, missed: 'none' };
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliestMs, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  // Estimate how many intervals fit since t1, then walk the last stretch exactly (irregular schedules).
  const missedCount = Math.floor(Math.floor((nowMs - t1!) / 1000) / between) + 1;
  const potentialEarliest = t1! + (missedCount - 2) * between * 1000;
  let mostRecentMs: number | undefined;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= nowMs; t = schedule.next(t)) mostRecentMs = t;
  const missed: MissedSchedules = missedCount > MANY_MISSED_THRESHOLD ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliestMs, mostRecentMs, missed };
}

/** nextScheduleTimeDuration: ms from now until the controller should look at the CronJob again. */
export function nextScheduleTimeDuration(cj: CronJob, nowMs: number, schedule: Schedule): number {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  let from: number;
  if (r.error) from = nowMs;
  else if (r.mostRecentMs !== undefined) from = r.mostRecentMs;
  else from = r.missed === 'none' ? r.earliestMs : nowMs;
  const next = schedule.next(from);
  // A schedule that never fires again: look again in a day in case the spec changes meanwhile.
  return next === undefined ? 24 * 3600_000 : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** nextScheduleTime: the unmet schedule time to run now, if any. */
export function nextScheduleTime(cj: CronJob, nowMs: number, schedule: Schedule): { scheduledMs?: number; many: boolean; error?: string } {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, true);
  if (r.mostRecentMs === undefined || r.mostRecentMs > nowMs) return { many: false, error: r.error };
  return { scheduledMs: r.mostRecentMs, many: r.missed === 'many', error: r.error };
}

/** getJobName: the scheduled time in minutes since the epoch makes the name unique per run. */
export function getJobName(cj: CronJob, scheduledMs: number): string {
  return `${cj.metadata.name}-${Math.floor(scheduledMs / 60_000)}`;
}

/** getJobFromTemplate2: the Job for one scheduled run. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const template = cj.spec.jobTemplate;
  const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
  annotations[CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION] = formatRFC3339InZone(scheduledMs, cj.spec.timeZone ?? undefined);
  const labels = { ...(template.metadata?.labels ?? {}) };
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: getJobName(cj, scheduledMs), namespace: cj.metadata.namespace,
      ...(Object.keys(labels).length ? { labels } : {}),
      annotations,
      ownerReferences: [newControllerRef(cj, { group: 'batch', version: 'v1', kind: 'CronJob' })],
    },
    spec: structuredClone(template.spec),
  };
}

/**
 * time.Format(RFC3339) of an instant in an IANA zone (the controller's local zone when none):
 * "2025-01-01T09:00:00+01:00", or "…Z" at offset zero.
 */
export function formatRFC3339InZone(ms: number, timeZone?: string): string {
  const zone = timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  const offsetMin = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  const date = `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}`;
  if (offsetMin === 0) return `${date}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${date}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
