// The TTL-after-finished controller ("ttl-after-finished-controller"): a finished Job with
// spec.ttlSecondsAfterFinished is deleted (cascading in the foreground, as upstream) that many
// seconds after its Complete/Failed condition; until then its key waits in the queue. Before
// deleting, the TTL is checked again against a fresh read, and the delete is conditional on the uid.
import type { ControllerDescriptor } from '../../components/controller-manager/controller-context.ts';
import type { Lister } from '../../client/cache/lister.ts';
import { splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import { isNotFound } from '../../client/api-error.ts';
import type { Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import { GVR } from '../../client/resources.ts';
import { Controller } from '../framework/controller.ts';
import { finishedCondition, parseTime } from '../job/job-util.ts';
import type { Job } from '../job/types.ts';

export interface TTLAfterFinishedOptions {
  client: KubeClient;
  informers: Parameters<ControllerDescriptor['start']>[0]['informers'];
  clock: Clock;
  log?: (message: string) => void;
  workers?: number;
}

/** needsCleanup: finished and with a TTL. */
export function needsCleanup(job: Job): boolean {
  return job.spec.ttlSecondsAfterFinished != null && finishedCondition(job) !== undefined;
}

/**
 * timeLeft: ms until the Job expires (≤ 0: expired), or an error text when the finish time is
 * unknown.
 */
export function ttlTimeLeft(job: Job, nowMs: number): { leftMs: number } | { error: string } {
  const cond = finishedCondition(job);
  const finishedAt = parseTime(cond?.lastTransitionTime);
  if (!cond || finishedAt === undefined) return { error: `unable to find the time when the Job ${job.metadata.namespace}/${job.metadata.name} finished` };
  return { leftMs: finishedAt + job.spec.ttlSecondsAfterFinished! * 1000 - nowMs };
}

export class TTLAfterFinishedController {
  readonly controller: Controller;
  private readonly jobs: Lister<Job>;

  constructor(private readonly o: TTLAfterFinishedOptions) {
    const informer = o.informers.forResource<Job>(GVR.jobs);
    this.jobs = informer.lister();
    this.controller = new Controller({
      name: 'ttl_jobs_to_delete', reconcile: (key) => this.processJob(key), workers: o.workers ?? 5,
      caches: [informer], clock: o.clock, log: o.log,
    });
    const maybeEnqueue = (job: Job) => {
      if (!job.metadata.deletionTimestamp && needsCleanup(job)) this.controller.enqueue(job);
    };
    informer.addEventHandler({ onAdd: maybeEnqueue, onUpdate: (_old, cur) => maybeEnqueue(cur) });
  }

  run(): Promise<void> { return this.controller.run(); }

  stop(): Promise<void> { return this.controller.stop(); }

  /** processTTL: true when expired; otherwise re-queued for when it will be. */
  private expired(key: string, job: Job): boolean {
    if (job.metadata.deletionTimestamp || !needsCleanup(job)) return false;
    const left = ttlTimeLeft(job, this.o.clock.now());
    if ('error' in left) throw new Error(left.error);
    if (left.leftMs <= 0) return true;
    this.controller.enqueueAfter(key, left.leftMs);
    return false;
  }

  private async processJob(key: string): Promise<void> {
    const cached = this.jobs.get(key);
    if (!cached || !this.expired(key, cached)) return;
    // The cache may hold an old TTL: decide on a fresh read.
    const { namespace, name } = splitMetaNamespaceKey(key);
    const jobs = this.o.client.resource<Job>(GVR.jobs).namespace(namespace);
    let fresh: Job;
    try {
      fresh = await jobs.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    if (!this.expired(key, fresh)) return;
    this.o.log?.(`Cleaning up Job ${key}`);
    try {
      await jobs.delete(name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished-controller',
  start(ctx) {
    const c = new TTLAfterFinishedController({ client: ctx.client, informers: ctx.informers, clock: ctx.clock, log: ctx.log });
    void c.run();
    return { stop: () => c.stop() };
  },
};
