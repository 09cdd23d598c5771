// The CronJob controller ("cronjob-controller", upstream's ControllerV2): each CronJob's key is
// queued for its next schedule time on the injected clock; a sync reaps finished Jobs beyond the
// history limits, tracks the active list and lastSuccessfulTime, and creates the Job for the most
// recent unmet schedule time — honouring suspend, startingDeadlineSeconds and concurrencyPolicy.
import { isAlreadyExists, isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { objectOf } from '../../client/cache/keys.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { getControllerOf } from '../framework/controller-ref.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import { finishedCondition, isJobFinished, isJobSucceeded, parseTime, toRFC3339 } from '../job/job-util.ts';
import { errorText } from '../job/pod-control.ts';
import type { Job } from '../job/types.ts';
import { isKnownTimeZone } from '../../registry/groups/batch/cron-schedule.ts';
import { parseSchedule } from './cron-schedule.ts';
import { getJobName, jobFromTemplate, nextScheduleTime, nextScheduleTimeDuration, type CronJob } from './schedule-times.ts';

const WORKERS = 5;

export interface CronJobControllerOptions {
  client: KubeClient;
  informers: ControllerContext['informers'];
  recorder: EventRecorder;
  clock: Clock;
  log?: (message: string) => void;
  workers?: number;
}

type ActiveRef = NonNullable<NonNullable<CronJob['status']>['active']>[number];

interface SyncResult {
  /** ms until the next schedule time, when the key should be synced again. */
  requeueAfter?: number;
  updateStatus: boolean;
  cronJob: CronJob;
  error?: unknown;
}

export class CronJobController {
  readonly controller: Controller;
  private readonly cronJobs: Lister<CronJob>;
  private readonly jobs: Lister<Job>;
  private readonly recorder: EventRecorder;
  private readonly clock: Clock;

  constructor(private readonly o: CronJobControllerOptions) {
    this.recorder = o.recorder;
    this.clock = o.clock;
    const jobInformer = o.informers.forResource<Job>(GVR.jobs);
    const cjInformer = o.informers.forResource<CronJob>(GVR.cronjobs);
    this.jobs = jobInformer.lister();
    this.cronJobs = cjInformer.lister();
    this.controller = new Controller({
      name: 'cronjob', reconcile: (key) => this.sync(key), workers: o.workers ?? WORKERS, maxRetries: Infinity,
      caches: [jobInformer, cjInformer], clock: o.clock, log: o.log,
    });
    const enqueueOwner = (job: Job) => {
      const cj = this.resolveControllerRef(job);
      if (cj) this.controller.enqueue(cj);
    };
    jobInformer.addEventHandler({
      onAdd: enqueueOwner,
      onUpdate: (old, cur) => {
        if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
        if (JSON.stringify(getControllerOf(old)) !== JSON.stringify(getControllerOf(cur))) enqueueOwner(old);
        enqueueOwner(cur);
      },
      onDelete: (obj) => enqueueOwner(objectOf(obj)),
    });
    cjInformer.addEventHandler({
      onAdd: (cj) => this.controller.enqueue(cj),
      onUpdate: (old, cur) => this.updateCronJob(old, cur),
      onDelete: (obj) => this.controller.enqueue(obj),
    });
  }

  run(): Promise<void> { return this.controller.run(); }

  stop(): Promise<void> { return this.controller.stop(); }

  private resolveControllerRef(job: Job): CronJob | undefined {
    const ref = getControllerOf(job);
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.cronJobs.get(`${job.metadata.namespace}/${ref.name}`);
    return cj?.metadata.uid === ref.uid ? cj : undefined;
  }

  /** A new schedule or zone: look again at the new next time; anything else: now. */
  private updateCronJob(old: CronJob, cur: CronJob): void {
    if (old.spec.schedule === cur.spec.schedule && (old.spec.timeZone ?? null) === (cur.spec.timeZone ?? null)) {
      this.controller.enqueue(cur);
      return;
    }
    const parsed = parseSchedule(cur.spec.schedule, cur.spec.timeZone);
    if (!parsed.ok) {
      this.recorder.eventf(cur, 'Warning', 'UnParseableCronJobSchedule', 'unparseable schedule for cronjob: %s', cur.spec.schedule);
      return;
    }
    this.controller.enqueueAfter(cur, nextScheduleTimeDuration(cur, this.clock.now(), parsed.schedule));
  }

  private async sync(key: string): Promise<void> {
    const cached = this.cronJobs.get(key);
    if (!cached) return;
    // Jobs still pointing at this CronJob by name, even if their labels no longer match the template.
    const jobs = this.jobs.namespace(cached.metadata.namespace!).list().filter((j) => getControllerOf(j)?.name === cached.metadata.name);
    const cj = structuredClone(cached) as CronJob;
    const cleanedUp = await this.cleanupFinishedJobs(cj, jobs);
    let requeueAfter: number | undefined;
    let updateStatus = cleanedUp;
    const r = await this.syncCronJob(cj, jobs);
    requeueAfter = r.requeueAfter;
    updateStatus ||= r.updateStatus;
    const syncErr = r.error;
    if (updateStatus) await this.cronJobsClient(cj).updateStatus(r.cronJob);
    if (requeueAfter !== undefined) {
      this.controller.enqueueAfter(key, requeueAfter);
      return;
    }
    if (syncErr) throw syncErr;
  }

  /**
   * syncCronJob: works on a copy of the CronJob (returned, maybe a fresher one) and says when to
   * look again, whether its status changed, and what went wrong.
   */
  private async syncCronJob(cjIn: CronJob, jobs: readonly Job[]): Promise<SyncResult> {
    let cj = cjIn;
    const now = this.clock.now();
    let updateStatus = false;
    const fail = (error: unknown): SyncResult => ({ updateStatus, cronJob: cj, error });
    cj.status ??= {};
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata.uid!);
      const found = inActiveList(cj, j.metadata.uid!);
      if (!found && !isJobFinished(j)) {
        // Maybe our own status write is not in the cache yet: ask the API server.
        let fresh: CronJob;
        try { fresh = await this.cronJobsClient(cj).get(cj.metadata.name!); } catch (err) { return fail(err); }
        if (inActiveList(fresh, j.metadata.uid!)) {
          cj = fresh;
          cj.status ??= {};
          continue;
        }
        this.recorder.eventf(cj, 'Warning', 'UnexpectedJob', 'Saw a job that the controller did not create or forgot: %s', j.metadata.name);
      } else if (isJobFinished(j)) {
        if (found) {
          deleteFromActiveList(cj, j.metadata.uid!);
          this.recorder.eventf(cj, 'Normal', 'SawCompletedJob', 'Saw completed job: %s, condition: %s', j.metadata.name, finishedCondition(j)!.type);
          updateStatus = true;
        }
        if (isJobSucceeded(j)) {
          const completed = parseTime(j.status?.completionTime);
          const last = parseTime(cj.status!.lastSuccessfulTime);
          if (completed !== undefined && (last === undefined || completed > last)) {
            cj.status!.lastSuccessfulTime = j.status!.completionTime;
            updateStatus = true;
          }
        }
      }
    }
    // Active Jobs that are gone (checked with the API server, not just the cache).
    for (const ref of [...(cj.status!.active ?? [])]) {
      if (children.has(ref.uid!)) continue;
      try {
        await this.o.client.resource<Job>(GVR.jobs).namespace(ref.namespace ?? cj.metadata.namespace!).get(ref.name!);
      } catch (err) {
        if (!isNotFound(err)) return fail(err);
        this.recorder.eventf(cj, 'Normal', 'MissingJob', 'Active job went missing: %s', ref.name);
        deleteFromActiveList(cj, ref.uid!);
        updateStatus = true;
      }
    }

    if (cj.metadata.deletionTimestamp) return { updateStatus, cronJob: cj };
    const tz = cj.spec.timeZone;
    if (tz != null && !isKnownTimeZone(tz)) {
      this.recorder.eventf(cj, 'Warning', 'UnknownTimeZone', 'invalid timeZone: %s: unknown time zone %s', JSON.stringify(tz), tz);
      return { updateStatus, cronJob: cj };
    }
    if (cj.spec.suspend) return { updateStatus, cronJob: cj };
    if (cj.spec.schedule.includes('TZ')) {
      this.recorder.eventf(cj, 'Warning', 'UnsupportedSchedule', 'CRON_TZ or TZ used in schedule %s is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details', JSON.stringify(cj.spec.schedule));
    }
    const parsed = parseSchedule(cj.spec.schedule, cj.spec.schedule.includes('TZ') ? undefined : tz);
    if (!parsed.ok) {
      this.recorder.eventf(cj, 'Warning', 'UnparseableSchedule', 'unparseable schedule: %s : %s', JSON.stringify(cj.spec.schedule), parsed.error);
      return { updateStatus, cronJob: cj };
    }
    const schedule = parsed.schedule;
    const next = nextScheduleTime(cj, now, schedule);
    if (next.error) {
      this.recorder.eventf(cj, 'Warning', 'InvalidSchedule', 'invalid schedule: %s : %s', cj.spec.schedule, next.error);
      return { updateStatus, cronJob: cj };
    }
    const requeueAfter = () => nextScheduleTimeDuration(cj, now, schedule);
    if (next.scheduledMs === undefined) return { requeueAfter: requeueAfter(), updateStatus, cronJob: cj };
    if (next.many) {
      this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      this.o.log?.(`too many missed times for cronjob ${cj.metadata.namespace}/${cj.metadata.name}`);
    }
    const scheduled = next.scheduledMs;
    const deadline = cj.spec.startingDeadlineSeconds;
    if (deadline != null && scheduled + deadline * 1000 < now) {
      this.recorder.eventf(cj, 'Warning', 'MissSchedule', 'Missed scheduled time to start a job: %s', formatRFC1123Z(scheduled));
      return { requeueAfter: requeueAfter(), updateStatus, cronJob: cj };
    }
    const jobName = getJobName(cj, scheduled);
    if ((cj.status!.active ?? []).some((r) => r.name === jobName && r.namespace === cj.metadata.namespace) || parseTime(cj.status!.lastScheduleTime) === scheduled) {
      return { requeueAfter: requeueAfter(), updateStatus, cronJob: cj };
    }
    if (cj.spec.concurrencyPolicy === 'Forbid' && (cj.status!.active ?? []).length > 0) {
      // Some risk of concurrency remains (a Job this controller has not seen yet), as upstream says.
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: requeueAfter(), updateStatus, cronJob: cj };
    }
    if (cj.spec.concurrencyPolicy === 'Replace') {
      for (const ref of [...(cj.status!.active ?? [])]) {
        let job: Job;
        try {
          job = await this.o.client.resource<Job>(GVR.jobs).namespace(ref.namespace ?? cj.metadata.namespace!).get(ref.name!);
        } catch (err) {
          this.recorder.eventf(cj, 'Warning', 'FailedGet', 'Get job: %s', errorText(err));
          return fail(err);
        }
        if (!await this.deleteJob(cj, job)) return fail(new Error(`could not replace job ${job.metadata.namespace}/${job.metadata.name}`));
        updateStatus = true;
      }
    }

    const request = jobFromTemplate(cj, scheduled);
    const jobs_ = this.o.client.resource<Job>(GVR.jobs).namespace(cj.metadata.namespace!);
    let created: Job;
    try {
      created = await jobs_.create(request);
      this.recorder.eventf(cj, 'Normal', 'SuccessfulCreate', 'Created job %s', created.metadata.name);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        if (!isNamespaceTerminating(err)) this.recorder.eventf(cj, 'Warning', 'FailedCreate', 'Error creating job: %s', errorText(err));
        return fail(err);
      }
      // Made earlier (maybe by us before a crash, before the status write): adopt it into the active list.
      try { created = await jobs_.get(request.metadata.name!); } catch (e) { return fail(e); }
      if (getControllerOf(created)?.uid !== cj.metadata.uid || inActiveList(cj, created.metadata.uid!)) return { updateStatus, cronJob: cj };
      this.o.log?.(`Job already exists: ${cj.metadata.namespace}/${request.metadata.name}`);
    }
    (cj.status!.active ??= []).push(jobReference(created));
    cj.status!.lastScheduleTime = toRFC3339(scheduled);
    return { requeueAfter: requeueAfter(), updateStatus: true, cronJob: cj };
  }

  /** cleanupFinishedJobs: keep only the newest successful/failed Jobs the history limits allow. */
  private async cleanupFinishedJobs(cj: CronJob, jobs: readonly Job[]): Promise<boolean> {
    const successLimit = cj.spec.successfulJobsHistoryLimit;
    const failedLimit = cj.spec.failedJobsHistoryLimit;
    if (successLimit == null && failedLimit == null) return false;
    const succeeded = jobs.filter((j) => finishedCondition(j)?.type === 'Complete');
    const failed = jobs.filter((j) => finishedCondition(j)?.type === 'Failed');
    let updated = false;
    if (successLimit != null && await this.removeOldestJobs(cj, succeeded, successLimit)) updated = true;
    if (failedLimit != null && await this.removeOldestJobs(cj, failed, failedLimit)) updated = true;
    return updated;
  }

  private async removeOldestJobs(cj: CronJob, jobs: readonly Job[], max: number): Promise<boolean> {
    const toDelete = jobs.length - max;
    if (toDelete <= 0) return false;
    let updated = false;
    for (const job of [...jobs].sort(byJobStartTime).slice(0, toDelete)) {
      if (await this.deleteJob(cj, job)) updated = true;
    }
    return updated;
  }

  /** deleteJob: the Job (its pods in the background) and its entry in the active list. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.o.client.resource<Job>(GVR.jobs).namespace(job.metadata.namespace!).delete(job.metadata.name!, { propagationPolicy: 'Background' });
    } catch (err) {
      this.recorder.eventf(cj, 'Warning', 'FailedDelete', 'Deleted job: %s', errorText(err));
      return false;
    }
    deleteFromActiveList(cj, job.metadata.uid!);
    this.recorder.eventf(cj, 'Normal', 'SuccessfulDelete', 'Deleted job %s', job.metadata.name);
    return true;
  }

  private cronJobsClient(cj: CronJob) { return this.o.client.resource<CronJob>(GVR.cronjobs).namespace(cj.metadata.namespace!); }
}

function inActiveList(cj: CronJob, uid: string): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

function deleteFromActiveList(cj: CronJob, uid: string): void {
  if (!cj.status) return;
  cj.status.active = (cj.status.active ?? []).filter((r) => r.uid !== uid);
}

function jobReference(job: Job): ActiveRef {
  return {
    kind: 'Job', namespace: job.metadata.namespace, name: job.metadata.name, uid: job.metadata.uid,
    apiVersion: 'batch/v1', resourceVersion: job.metadata.resourceVersion,
  };
}

/** byJobStartTime: oldest start first, Jobs never started last, names break ties. */
function byJobStartTime(a: Job, b: Job): number {
  const sa = parseTime(a.status?.startTime);
  const sb = parseTime(b.status?.startTime);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
  return sa! - sb!;
}

function isNamespaceTerminating(err: unknown): boolean {
  const details = (err as { details?: { causes?: { type?: string }[] } }).details;
  return details?.causes?.some((c) => c.type === 'NamespaceTerminating') ?? false;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go's time.RFC1123Z in UTC: "Mon, 02 Jan 2006 15:04:05 +0000". */
export function formatRFC1123Z(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob-controller',
  start(ctx) {
    const c = new CronJobController({ client: ctx.client, informers: ctx.informers, recorder: ctx.recorder, clock: ctx.clock, log: ctx.log });
    void c.run();
    return { stop: () => c.stop() };
  },
};
