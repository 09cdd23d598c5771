// syncJob (upstream's job_controller.go): one level-triggered pass over a Job. It counts finished
// pods through the tracking finalizer — a finished pod's uid goes into
// status.uncountedTerminatedPods, then its finalizer is removed, then it moves into the
// succeeded/failed counters — so a pod is counted exactly once even if it is deleted right away
// or the controller restarts in between. It keeps up to `parallelism` pods running, waits out the
// back-off after failures, and finishes the Job through the interim SuccessCriteriaMet /
// FailureTarget conditions, adding Complete / Failed once no pod is left running or uncounted.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import type { NamespaceLister } from '../../client/cache/lister.ts';
import { ControllerRefManager, recheckDeletionTimestamp } from '../framework/controller-ref.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import type { ControllerExpectations } from '../framework/expectations.ts';
import type { FinalizerExpectations } from './finalizer-expectations.ts';
import { OrderedIntervals, calculateSucceededIndexes, duplicatedIndexPodsForRemoval, firstPendingIndexes } from './indexed.ts';
import {
  JOB_CONTROLLER_NAME, JOB_TRACKING_FINALIZER, MESSAGE_BACKOFF_LIMIT_EXCEEDED, MESSAGE_COMPLETIONS_REACHED, MESSAGE_DEADLINE_EXCEEDED,
  REASON_BACKOFF_LIMIT_EXCEEDED, REASON_COMPLETIONS_REACHED, REASON_DEADLINE_EXCEEDED,
  compareActivePodsForDeletion, ensureJobConditionStatus, findCondition, getCompletionIndex, hasJobTrackingFinalizer,
  isIndexedJob, isPodActive, isPodFailed, isPodReady, isPodTerminating, jobSuspended, newCondition, parseTime, toRFC3339,
} from './job-util.ts';
import { remainingBackoffMs, type BackoffRecord, type PodBackoffStore } from './pod-backoff.ts';
import type { JobPodControl } from './pod-control.ts';
import { JOB_KIND, type Job, type JobCondition, type Pod } from './types.ts';

/** Upstream's MaxUncountedPods and MaxPodCreateDeletePerSync. */
const MAX_UNCOUNTED_PODS = 500;
const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Pod creations start with a batch of one and double while they succeed (SlowStartInitialBatchSize). */
const SLOW_START_INITIAL_BATCH_SIZE = 1;

export interface SyncJobDeps {
  client: KubeClient;
  clock: Clock;
  recorder: EventRecorder;
  podControl: JobPodControl;
  pods: (namespace: string) => NamespaceLister<Pod>;
  expectations: ControllerExpectations;
  finalizerExpectations: FinalizerExpectations;
  backoff: PodBackoffStore;
  /** queue.AddAfter for the Job's key (deadline re-checks and back-off waits). */
  enqueueAfter: (key: string, delayMs: number) => void;
}

interface SyncJobCtx {
  job: Job;
  pods: Pod[];
  activePods: Pod[];
  finishedCondition?: JobCondition;
  succeeded: number;
  failed: number;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  newBackoffRecord: BackoffRecord;
  expectedRmFinalizers: ReadonlySet<string>;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  terminating: number;
  ready: number;
}

export class JobSyncer {
  constructor(private readonly d: SyncJobDeps) {}

  private now(): number { return this.d.clock.now(); }

  async syncJob(key: string, cached: Job): Promise<void> {
    if (cached.spec.managedBy !== undefined && cached.spec.managedBy !== JOB_CONTROLLER_NAME) return;
    if (findCondition(cached.status?.conditions, 'Complete')?.status === 'True' || findCondition(cached.status?.conditions, 'Failed')?.status === 'True') {
      this.d.backoff.remove(key);
      return;
    }
    const mode = cached.spec.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.d.recorder.event(cached, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    const job = structuredClone(cached) as Job;
    const status = (job.status ??= {});
    status.uncountedTerminatedPods ??= {};

    // Expectations first: a pod created after this check is only seen by the next sync.
    const satisfiedExpectations = this.d.expectations.satisfiedExpectations(key);
    const pods = await this.getPodsForJob(job);
    const activePods = pods.filter(isPodActive);
    const uncounted = status.uncountedTerminatedPods;
    const ctx: SyncJobCtx = {
      job, pods, activePods,
      succeeded: 0, failed: 0,
      prevSucceededIndexes: new OrderedIntervals(), succeededIndexes: new OrderedIntervals(),
      newBackoffRecord: { key, failuresAfterLastSuccess: 0 },
      expectedRmFinalizers: this.d.finalizerExpectations.getExpectedUIDs(key),
      uncountedSucceeded: new Set(uncounted.succeeded ?? []),
      uncountedFailed: new Set(uncounted.failed ?? []),
      terminating: pods.filter(isPodTerminating).length,
      ready: activePods.filter(isPodReady).length,
    };
    let active = activePods.length;
    const newSucceeded = this.newFinishedPods(ctx, ctx.uncountedSucceeded, (p) => p.status?.phase === 'Succeeded');
    const newFailed = this.newFinishedPods(ctx, ctx.uncountedFailed, (p) => isPodFailed(p, job));
    ctx.succeeded = (status.succeeded ?? 0) + newSucceeded.length + ctx.uncountedSucceeded.size;
    ctx.failed = (status.failed ?? 0) + newFailed.length + ctx.uncountedFailed.size;

    if (!status.startTime && !jobSuspended(job)) status.startTime = toRFC3339(this.now());
    ctx.newBackoffRecord = this.d.backoff.newRecord(key, newSucceeded, newFailed);

    const successMet = findCondition(status.conditions, 'SuccessCriteriaMet');
    if (successMet?.status === 'True') ctx.finishedCondition = successMet;
    if (!ctx.finishedCondition) {
      const target = findCondition(status.conditions, 'FailureTarget');
      if (target?.status === 'True') ctx.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', this.now());
    }
    if (!ctx.finishedCondition) {
      const backoffLimit = job.spec.backoffLimit ?? 6;
      if (ctx.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, this.now());
      } else if (this.pastActiveDeadline(job)) {
        ctx.finishedCondition = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, this.now());
      } else if (job.spec.activeDeadlineSeconds !== undefined && !jobSuspended(job)) {
        const left = job.spec.activeDeadlineSeconds * 1000 - (this.now() - (parseTime(status.startTime) ?? this.now()));
        this.d.enqueueAfter(key, left);
      }
    }

    if (isIndexedJob(job)) {
      const { prev, current } = calculateSucceededIndexes(status.completedIndexes, job.spec.completions ?? 0, pods, hasJobTrackingFinalizer);
      ctx.prevSucceededIndexes = prev;
      ctx.succeededIndexes = current;
      ctx.succeeded = current.total();
    }

    let suspendCondChanged = false;
    let manageJobErr: unknown;
    if (ctx.finishedCondition) {
      // Finishing: stop whatever still runs; the Job is finished only once nothing is left.
      const { deleted, deletedReady, error } = await this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfiedExpectations) ctx.finishedCondition = undefined;
      active -= deleted;
      ctx.terminating += deleted;
      ctx.ready -= deletedReady;
      manageJobErr = error;
    } else {
      let manageJobCalled = false;
      if (satisfiedExpectations && !job.metadata.deletionTimestamp) {
        const managed = await this.manageJob(key, job, ctx);
        active = managed.active;
        manageJobErr = managed.error;
        manageJobCalled = true;
      }
      const completions = job.spec.completions;
      const complete = completions == null ? ctx.succeeded > 0 && active === 0 : ctx.succeeded >= completions && active === 0;
      if (complete) {
        ctx.finishedCondition = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, this.now());
      } else if (manageJobCalled) {
        if (jobSuspended(job)) {
          if (ensureJobConditionStatus(job, 'Suspended', 'True', 'JobSuspended', 'Job suspended', this.now())) {
            suspendCondChanged = true;
            this.d.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureJobConditionStatus(job, 'Suspended', 'False', 'JobResumed', 'Job resumed', this.now())) {
          suspendCondChanged = true;
          this.d.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // activeDeadlineSeconds counts continuous activity: a resumed Job starts its clock again.
          status.startTime = toRFC3339(this.now());
        }
      }
    }

    const needsStatusUpdate = suspendCondChanged || active !== (status.active ?? 0) || ctx.ready !== status.ready || ctx.terminating !== status.terminating;
    status.active = active;
    status.ready = ctx.ready;
    status.terminating = ctx.terminating;
    await this.trackJobStatusAndRemoveFinalizers(key, ctx, needsStatusUpdate);
    if (manageJobErr) throw manageJobErr;
  }

  /** getPodsForJob: every pod of the namespace this Job controls (adopting matching orphans). */
  private async getPodsForJob(job: Job): Promise<Pod[]> {
    const all = this.d.pods(job.metadata.namespace!).list();
    const jobs = this.d.client.resource<Job>(GVR.jobs).namespace(job.metadata.namespace!);
    const manager = new ControllerRefManager<Pod>({
      children: this.d.client.resource<Pod>(GVR.pods), controller: job, controllerKind: JOB_KIND,
      selector: labelSelectorAsMatcher(job.spec.selector),
      canAdopt: recheckDeletionTimestamp(() => jobs.get(job.metadata.name!), job),
    });
    const claimed = await manager.claim(all);
    // An adopted pod is tracked like one this controller created (upstream adds the finalizer on adoption).
    return claimed.map((p) => {
      const ours = all.find((o) => o.metadata.uid === p.metadata.uid)?.metadata.ownerReferences?.some((r) => r.uid === job.metadata.uid);
      if (ours || hasJobTrackingFinalizer(p)) return p;
      const copy = structuredClone(p) as Pod;
      copy.metadata.finalizers = [...(p.metadata.finalizers ?? []), JOB_TRACKING_FINALIZER];
      return copy;
    });
  }

  /** getValidPodsWithFilter: finished pods not yet counted (still carrying the finalizer). */
  private newFinishedPods(ctx: SyncJobCtx, uncounted: ReadonlySet<string>, filter: (p: Pod) => boolean): Pod[] {
    const completions = ctx.job.spec.completions ?? 0;
    return ctx.pods.filter((p) => {
      const uid = p.metadata.uid!;
      if (!hasJobTrackingFinalizer(p) || uncounted.has(uid) || ctx.expectedRmFinalizers.has(uid)) return false;
      if (isIndexedJob(ctx.job)) {
        const ix = getCompletionIndex(p);
        if (ix < 0 || ix >= completions) return false;
      }
      return filter(p);
    });
  }

  private pastActiveDeadline(job: Job): boolean {
    const start = parseTime(job.status?.startTime);
    if (job.spec.activeDeadlineSeconds === undefined || start === undefined || jobSuspended(job)) return false;
    return this.now() - start >= job.spec.activeDeadlineSeconds * 1000;
  }

  /** deleteActivePods: DELETE calls that keep the finalizers; the pods are counted as they go. */
  private async deleteActivePods(job: Job, pods: readonly Pod[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(pods.map(async (p) => {
      try {
        await this.d.podControl.deletePod(job, p.metadata.name!);
        deleted++;
      } catch (err) {
        error ??= err;
      }
      if (isPodReady(p)) deletedReady++;
    }));
    return { deleted, deletedReady, error };
  }

  /**
   * manageJob: keep min(parallelism, remaining completions) pods running — delete the surplus
   * (least advanced first) or create the shortfall in slow-start batches once the back-off allows.
   * Returns the number of active pods it leaves, and the first error met.
   */
  private async manageJob(key: string, job: Job, ctx: SyncJobCtx): Promise<{ active: number; error?: unknown }> {
    let active = ctx.activePods.length;
    const parallelism = job.spec.parallelism ?? 1;
    if (jobSuspended(job)) {
      const { removed, error } = await this.deleteJobPods(key, job, ctx, this.activePodsForRemoval(job, ctx.activePods, active));
      return { active: active - removed, error };
    }
    let wantActive: number;
    const completions = job.spec.completions;
    if (completions == null) wantActive = ctx.succeeded > 0 ? active : parallelism;
    else wantActive = Math.max(0, Math.min(completions - ctx.succeeded, parallelism));

    const toDelete = this.activePodsForRemoval(job, ctx.activePods, Math.max(0, active - wantActive)).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      // Deleting and creating in one pass could fight over indexes; deletion goes first.
      const { removed, error } = await this.deleteJobPods(key, job, ctx, toDelete);
      return { active: active - removed, error };
    }

    const terminating = job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null ? ctx.terminating : 0;
    let diff = wantActive - terminating - active;
    if (diff <= 0) return { active };
    const wait = remainingBackoffMs(ctx.newBackoffRecord, this.now());
    if (wait > 0) {
      this.d.enqueueAfter(key, Math.max(wait, 1000));
      return { active };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexedJob(job)) {
      indexes = firstPendingIndexes(ctx.succeededIndexes, ctx.activePods, diff, completions ?? 0);
      diff = indexes.length;
    }
    if (diff === 0) return { active };

    this.d.expectations.expectCreations(key, diff);
    active += diff;
    let firstError: unknown;
    for (let batch = Math.min(diff, SLOW_START_INITIAL_BATCH_SIZE), left = diff; left > 0; batch = Math.min(2 * batch, left)) {
      const results = await Promise.allSettled(Array.from({ length: batch }, () => {
        const index = indexes.length ? indexes.shift()! : -1;
        return this.d.podControl.createPod(job, index);
      }));
      let failed = 0;
      for (const r of results) {
        if (r.status === 'rejected') {
          failed++;
          firstError ??= r.reason;
          // Failed creates are never observed by the informer.
          this.d.expectations.creationObserved(key);
        }
      }
      active -= failed;
      left -= batch;
      if (failed > 0 && left > 0) {
        // Slow start: the rest would most likely fail the same way; retry them on a later sync.
        active -= left;
        for (let i = 0; i < left; i++) this.d.expectations.creationObserved(key);
        break;
      }
    }
    return { active, error: firstError };
  }

  /** activePodsForRemoval: duplicate/invalid indexes first, then the least advanced pods. */
  private activePodsForRemoval(job: Job, pods: readonly Pod[], rmAtLeast: number): Pod[] {
    let rm: Pod[] = [];
    let left: Pod[] = [...pods];
    if (isIndexedJob(job)) ({ rm, left } = duplicatedIndexPodsForRemoval(pods, job.spec.completions ?? 0));
    if (rm.length < rmAtLeast) rm = [...rm, ...left.sort(compareActivePodsForDeletion).slice(0, rmAtLeast - rm.length)];
    return rm;
  }

  /** deleteJobPods: surplus pods lose their finalizer (they are not counted) and are deleted. */
  private async deleteJobPods(key: string, job: Job, ctx: SyncJobCtx, pods: readonly Pod[]): Promise<{ removed: number; error?: unknown }> {
    if (pods.length === 0) return { removed: 0 };
    this.d.expectations.expectDeletions(key, pods.length);
    let removed = 0;
    let error: unknown;
    await Promise.all(pods.map(async (p) => {
      try {
        if (hasJobTrackingFinalizer(p)) await this.d.podControl.removeTrackingFinalizer(p.metadata.namespace!, p.metadata.name!);
        await this.d.podControl.deletePod(job, p.metadata.name!);
        removed++;
        if (isPodReady(p)) ctx.ready--;
      } catch (err) {
        this.d.expectations.deletionObserved(key);
        if (!isNotFound(err)) error ??= err;
      }
    }));
    ctx.terminating += removed;
    return { removed, error };
  }

  /**
   * trackJobStatusAndRemoveFinalizers: record newly finished pods as uncounted, take their
   * finalizers off, move them into the counters, and add the terminal condition when nothing is
   * left uncounted or terminating.
   */
  private async trackJobStatusAndRemoveFinalizers(key: string, ctx: SyncJobCtx, needsFlushIn: boolean): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = ctx.job;
    const indexed = isIndexedJob(job);
    const completions = job.spec.completions ?? 0;
    const uidsWithFinalizer = new Set<string>();
    for (const p of ctx.pods) if (hasJobTrackingFinalizer(p) && !ctx.expectedRmFinalizers.has(p.metadata.uid!)) uidsWithFinalizer.add(p.metadata.uid!);
    if (cleanUncountedPodsWithoutFinalizers(job, uidsWithFinalizer)) needsFlush = true;

    const uncounted = job.status!.uncountedTerminatedPods!;
    const podsToRemoveFinalizer: Pod[] = [];
    const newSucceededIndexes: number[] = [];
    let reachedMaxUncounted = false;
    const pods = indexed ? [...ctx.pods].sort((a, b) => getCompletionIndex(a) - getCompletionIndex(b)) : ctx.pods;
    for (const p of pods) {
      const uid = p.metadata.uid!;
      if (!hasJobTrackingFinalizer(p) || ctx.expectedRmFinalizers.has(uid)) continue;
      const failed = isPodFailed(p, job);
      const canRemove = !!job.metadata.deletionTimestamp || !!ctx.finishedCondition || p.status?.phase === 'Succeeded' || failed;
      if (!canRemove) continue;
      podsToRemoveFinalizer.push(p);
      if (p.status?.phase === 'Succeeded' && !ctx.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = getCompletionIndex(p);
          if (ix >= 0 && ix < completions && !ctx.prevSucceededIndexes.has(ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!ctx.uncountedSucceeded.has(uid)) {
          needsFlush = true;
          (uncounted.succeeded ??= []).push(uid);
        }
      } else if (failed || (ctx.finishedCondition && ctx.finishedCondition.type !== 'SuccessCriteriaMet')) {
        // A Job that is failing counts every pod it stops as failed.
        const ix = getCompletionIndex(p);
        if (!ctx.uncountedFailed.has(uid) && (!indexed || (ix >= 0 && ix < completions))) {
          needsFlush = true;
          (uncounted.failed ??= []).push(uid);
        }
      }
      if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMaxUncounted = true;
        break;
      }
    }
    if (indexed) {
      ctx.succeededIndexes = ctx.succeededIndexes.withOrderedIndexes(newSucceededIndexes.sort((a, b) => a - b));
      const text = ctx.succeededIndexes.toString();
      if (text !== (job.status!.completedIndexes ?? '')) needsFlush = true;
      job.status!.succeeded = ctx.succeededIndexes.total();
      job.status!.completedIndexes = text;
    }
    if (ctx.finishedCondition?.type === 'FailureTarget') {
      // The interim condition is written before the finalizers go, so the reason survives a crash.
      (job.status!.conditions ??= []).push(ctx.finishedCondition);
      needsFlush = true;
      ctx.finishedCondition = newCondition('Failed', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', this.now());
    }
    if (ctx.finishedCondition?.type === 'SuccessCriteriaMet') {
      if (findCondition(job.status!.conditions, 'SuccessCriteriaMet')?.status !== 'True') {
        (job.status!.conditions ??= []).push(ctx.finishedCondition);
        needsFlush = true;
      }
      ctx.finishedCondition = newCondition('Complete', 'True', ctx.finishedCondition.reason ?? '', ctx.finishedCondition.message ?? '', this.now());
    }

    needsFlush = await this.flushUncountedAndRemoveFinalizers(key, ctx, podsToRemoveFinalizer, uidsWithFinalizer, needsFlush);
    const finished = !reachedMaxUncounted && this.enactJobFinished(ctx);
    if (finished) needsFlush = true;
    if (!needsFlush) return;
    ctx.job = await this.updateStatus(ctx.job);
    if (finished) this.recordJobFinished(ctx.job, ctx.finishedCondition!);
  }

  private async flushUncountedAndRemoveFinalizers(key: string, ctx: SyncJobCtx, podsToRemoveFinalizer: readonly Pod[], uidsWithFinalizer: Set<string>, needsFlushIn: boolean): Promise<boolean> {
    let needsFlush = needsFlushIn;
    if (needsFlush) {
      ctx.job = await this.updateStatus(ctx.job);
      this.d.backoff.update(ctx.newBackoffRecord);
      needsFlush = false;
    }
    let rmError: unknown;
    if (podsToRemoveFinalizer.length > 0) {
      this.d.finalizerExpectations.expectFinalizersRemoved(key, podsToRemoveFinalizer.map((p) => p.metadata.uid!));
      await Promise.all(podsToRemoveFinalizer.map(async (p) => {
        try {
          await this.d.podControl.removeTrackingFinalizer(p.metadata.namespace!, p.metadata.name!);
        } catch (err) {
          // No update for this removal will be observed.
          this.d.finalizerExpectations.finalizerRemovalObserved(key, p.metadata.uid!);
          if (!isNotFound(err)) { rmError ??= err; return; }
        }
        uidsWithFinalizer.delete(p.metadata.uid!);
      }));
    }
    if (cleanUncountedPodsWithoutFinalizers(ctx.job, uidsWithFinalizer)) needsFlush = true;
    if (rmError) {
      if (needsFlush) ctx.job = await this.updateStatus(ctx.job);
      throw rmError;
    }
    return needsFlush;
  }

  /** enactJobFinished: the terminal condition once no pod is uncounted or still terminating. */
  private enactJobFinished(ctx: SyncJobCtx): boolean {
    const cond = ctx.finishedCondition;
    if (!cond) return false;
    const status = ctx.job.status!;
    if ((status.uncountedTerminatedPods?.succeeded?.length ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0) > 0) return false;
    if (ctx.terminating > 0) return false;
    ensureJobConditionStatus(ctx.job, cond.type, cond.status, cond.reason ?? '', cond.message ?? '', this.now());
    if (cond.type === 'Complete') status.completionTime = findCondition(status.conditions, 'Complete')!.lastTransitionTime ?? toRFC3339(this.now());
    return true;
  }

  private recordJobFinished(job: Job, cond: JobCondition): void {
    if (cond.type === 'Complete') {
      if (job.spec.completions != null && (job.status?.succeeded ?? 0) > job.spec.completions) {
        this.d.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.d.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.d.recorder.event(job, 'Warning', cond.reason ?? '', cond.message ?? '');
    }
  }

  private updateStatus(job: Job): Promise<Job> {
    return this.d.client.resource<Job>(GVR.jobs).namespace(job.metadata.namespace!).updateStatus(job);
  }
}

/**
 * cleanUncountedPodsWithoutFinalizers: uncounted pods whose finalizer is gone move into the
 * counters. Returns whether the status changed.
 */
function cleanUncountedPodsWithoutFinalizers(job: Job, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const status = job.status!;
  const uncounted = (status.uncountedTerminatedPods ??= {});
  let updated = false;
  const keptSucceeded = (uncounted.succeeded ?? []).filter((u) => uidsWithFinalizer.has(u));
  if (keptSucceeded.length !== (uncounted.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (uncounted.succeeded!.length - keptSucceeded.length);
    uncounted.succeeded = keptSucceeded;
    updated = true;
  }
  const keptFailed = (uncounted.failed ?? []).filter((u) => uidsWithFinalizer.has(u));
  if (keptFailed.length !== (uncounted.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (uncounted.failed!.length - keptFailed.length);
    uncounted.failed = keptFailed;
    updated = true;
  }
  return updated;
}

/** pastBackoffLimitOnFailure: with restartPolicy OnFailure the containers' restarts count as failures. */
function pastBackoffLimitOnFailure(job: Job, pods: readonly Pod[]): boolean {
  if (job.spec.template.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Running' && p.status?.phase !== 'Pending') continue;
    for (const s of [...(p.status.initContainerStatuses ?? []), ...(p.status.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}
