// The Job controller ("job-controller"): informer handlers that route pod and Job events to the
// owning Job's key (pod events batched by a second, as upstream), syncJob workers, and a second
// queue that takes the tracking finalizer off pods whose Job is gone or finished.
import { labelSelectorAsMatcher } from '../../apimachinery/labels.ts';
import type { Clock } from '../../client/clock.ts';
import { metaNamespaceKeyFunc, objectOf, splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import type { Lister } from '../../client/cache/lister.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { ControllerContext, ControllerDescriptor } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { getControllerOf } from '../framework/controller-ref.ts';
import type { EventRecorder } from '../framework/events/event-recorder.ts';
import { ControllerExpectations } from '../framework/expectations.ts';
import { ItemExponentialFailureRateLimiter } from '../framework/workqueue/rate-limiters.ts';
import { RateLimitingQueue } from '../framework/workqueue/rate-limiting-queue.ts';
import { FinalizerExpectations } from './finalizer-expectations.ts';
import { JOB_CONTROLLER_NAME, hasJobTrackingFinalizer, isJobFinished, parseTime, removeTrackingFinalizerPatch } from './job-util.ts';
import { PodBackoffStore } from './pod-backoff.ts';
import { JobPodControl } from './pod-control.ts';
import { JobSyncer } from './sync-job.ts';
import type { Job, Pod } from './types.ts';

/** syncJobBatchPeriod: pod and status events for one Job are folded into one sync a second later. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** --concurrent-job-syncs default. */
const WORKERS = 5;

export interface JobControllerOptions {
  client: KubeClient;
  informers: ControllerContext['informers'];
  recorder: EventRecorder;
  clock: Clock;
  log?: (message: string) => void;
  workers?: number;
}

export class JobController {
  private readonly jobs: Lister<Job>;
  private readonly pods: Lister<Pod>;
  private readonly clock: Clock;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new FinalizerExpectations();
  private readonly backoff = new PodBackoffStore();
  private readonly syncer: JobSyncer;
  readonly controller: Controller;
  private readonly orphans: Controller;

  constructor(private readonly o: JobControllerOptions) {
    this.clock = o.clock;
    this.expectations = new ControllerExpectations(o.clock);
    const jobInformer = o.informers.forResource<Job>(GVR.jobs);
    const podInformer = o.informers.forResource<Pod>(GVR.pods);
    this.jobs = jobInformer.lister();
    this.pods = podInformer.lister();
    const caches = [jobInformer, podInformer];
    // Upstream's Job queues back off API errors from 1s to 1 min, and never give up on a Job.
    const queue = (name: string) => new RateLimitingQueue<string>({ name, clock: o.clock, rateLimiter: new ItemExponentialFailureRateLimiter(1000, 60_000) });
    this.controller = new Controller({
      name: 'job', reconcile: (key) => this.sync(key), workers: o.workers ?? WORKERS, maxRetries: Infinity,
      caches, queue: queue('job'), clock: o.clock, log: o.log,
    });
    this.orphans = new Controller({
      name: 'job_orphan_pod', reconcile: (key) => this.syncOrphanPod(key), maxRetries: Infinity,
      caches, queue: queue('job_orphan_pod'), clock: o.clock, log: o.log,
    });
    this.syncer = new JobSyncer({
      client: o.client, clock: o.clock, recorder: o.recorder,
      podControl: new JobPodControl(o.client, o.recorder),
      pods: (ns) => this.pods.namespace(ns),
      expectations: this.expectations, finalizerExpectations: this.finalizerExpectations, backoff: this.backoff,
      enqueueAfter: (key, ms) => this.controller.enqueueAfter(key, ms),
    });

    jobInformer.addEventHandler({
      onAdd: (job) => this.controller.enqueue(job),
      onUpdate: (old, cur) => this.updateJob(old, cur),
      onDelete: (obj) => {
        this.controller.enqueue(obj);
        this.cleanupPodFinalizers(objectOf(obj));
      },
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(objectOf(obj), true),
    });
  }

  run(): Promise<void> {
    return Promise.all([this.controller.run(), this.orphans.run()]).then(() => undefined);
  }

  async stop(): Promise<void> {
    await Promise.all([this.controller.stop(), this.orphans.stop()]);
  }

  private enqueueBatched(job: Job): void { this.controller.enqueueAfter(job, SYNC_JOB_BATCH_PERIOD_MS); }

  private resolveControllerRef(namespace: string | undefined, pod: Pod): Job | undefined {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'Job' || !namespace) return undefined;
    const job = this.jobs.get(`${namespace}/${ref.name}`);
    return job?.metadata.uid === ref.uid ? job : undefined;
  }

  /** Jobs whose selector matches an orphan pod (they may adopt it). */
  private getPodJobs(pod: Pod): Job[] {
    if (!pod.metadata.labels) return [];
    return this.jobs.namespace(pod.metadata.namespace!).list().filter((j) => {
      try { return labelSelectorAsMatcher(j.spec.selector).matches(pod.metadata.labels); } catch { return false; }
    });
  }

  private updateJob(old: Job, cur: Job): void {
    if (cur.metadata.generation === old.metadata.generation) this.enqueueBatched(cur);
    else this.controller.enqueue(cur);
    // Backup: a finished Job should have no pod finalizers left.
    if (isJobFinished(cur)) this.cleanupPodFinalizers(cur);
    const start = parseTime(cur.status?.startTime);
    const ads = cur.spec.activeDeadlineSeconds;
    if (start !== undefined && ads !== undefined && ads !== old.spec.activeDeadlineSeconds) {
      this.controller.enqueueAfter(cur, ads * 1000 - (this.clock.now() - start));
    }
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen for the first time already being deleted (e.g. after a restart): not a creation.
      this.deletePod(pod, false);
      return;
    }
    if (getControllerOf(pod)) {
      const job = this.resolveControllerRef(pod.metadata.namespace, pod);
      if (!job) return;
      this.expectations.creationObserved(metaNamespaceKeyFunc(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    for (const job of this.getPodJobs(pod)) this.enqueueBatched(job);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion has begun: let the Job replace the pod now rather than when it is gone.
      this.deletePod(cur, false);
      return;
    }
    const finalizerRemoved = !hasJobTrackingFinalizer(cur);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const job = this.resolveControllerRef(old.metadata.namespace, old);
      if (job) {
        if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaNamespaceKeyFunc(job), cur.metadata.uid!);
        this.enqueueBatched(job);
      }
    }
    if (curRef) {
      const job = this.resolveControllerRef(cur.metadata.namespace, cur);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.finalizerRemovalObserved(metaNamespaceKeyFunc(job), cur.metadata.uid!);
      this.enqueueBatched(job);
      return;
    }
    if (hasJobTrackingFinalizer(cur)) this.orphans.enqueue(cur);
    if (refChanged || JSON.stringify(cur.metadata.labels) !== JSON.stringify(old.metadata.labels)) {
      for (const job of this.getPodJobs(cur)) this.enqueueBatched(job);
    }
  }

  /** final: the pod is gone (not just marked for deletion). */
  private deletePod(pod: Pod, final: boolean): void {
    const hasFinalizer = hasJobTrackingFinalizer(pod);
    if (!getControllerOf(pod)) {
      if (hasFinalizer) this.orphans.enqueue(pod);
      return;
    }
    const job = this.resolveControllerRef(pod.metadata.namespace, pod);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer) this.orphans.enqueue(pod);
      return;
    }
    const key = metaNamespaceKeyFunc(job);
    this.expectations.deletionObserved(key);
    if (final || !hasFinalizer) this.finalizerExpectations.finalizerRemovalObserved(key, pod.metadata.uid!);
    this.enqueueBatched(job);
  }

  /** Pods of a deleted or finished Job that still carry the finalizer go to the orphan queue. */
  private cleanupPodFinalizers(job: Job): void {
    let selector;
    try { selector = labelSelectorAsMatcher(job.spec.selector); } catch { return; }
    for (const pod of this.pods.namespace(job.metadata.namespace!).list(selector)) {
      if (getControllerOf(pod)?.uid === job.metadata.uid && hasJobTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    }
  }

  private async sync(key: string): Promise<void> {
    const job = this.jobs.get(key);
    if (!job) {
      this.expectations.deleteExpectations(key);
      this.finalizerExpectations.deleteExpectations(key);
      this.backoff.remove(key);
      return;
    }
    await this.syncer.syncJob(key, job);
  }

  /** syncOrphanPod: remove the tracking finalizer from a pod no unfinished Job of ours controls. */
  private async syncOrphanPod(key: string): Promise<void> {
    const pod = this.pods.get(key);
    if (!pod || !hasJobTrackingFinalizer(pod)) return;
    const ref = getControllerOf(pod);
    if (ref) {
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolveControllerRef(pod.metadata.namespace, pod);
      if (job && job.spec.managedBy !== undefined && job.spec.managedBy !== JOB_CONTROLLER_NAME) return;
      // Adopted (or still running): syncJob will count it.
      if (job && !isJobFinished(job)) return;
    }
    const { namespace, name } = splitMetaNamespaceKey(key);
    try {
      await this.o.client.resource<Pod>(GVR.pods).namespace(namespace).patch(name, removeTrackingFinalizerPatch(), 'strategic');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/** The controller-manager entry (upstream's startJobController). */
export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job-controller',
  start(ctx) {
    const c = new JobController({ client: ctx.client, informers: ctx.informers, recorder: ctx.recorder, clock: ctx.clock, log: ctx.log });
    void c.run();
    return { stop: () => c.stop() };
  },
};
