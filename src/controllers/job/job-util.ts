// Small facts about Jobs and their pods shared by the Job, CronJob and TTL-after-finished
// controllers (upstream's pkg/controller/job/util and the pod helpers the Job controller uses).
import type { Job, JobCondition, Pod } from './types.ts';

/** The finalizer that keeps a finished pod around until the Job controller has counted it. */
export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
/** The Job controller's own name in spec.managedBy (a Job naming another controller is left alone). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

/** metav1.Time: RFC 3339 with second precision. */
export function toRFC3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function parseTime(t: string | null | undefined): number | undefined {
  if (!t) return undefined;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

export function findCondition(conditions: readonly JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

/** Complete or Failed is True: the Job will not change any more. */
export function finishedCondition(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export const isJobFinished = (job: Job): boolean => finishedCondition(job) !== undefined;
export const isJobSucceeded = (job: Job): boolean => finishedCondition(job)?.type === 'Complete';

export function newCondition(type: string, status: JobCondition['status'], reason: string, message: string, nowMs: number): JobCondition {
  const t = toRFC3339(nowMs);
  return { type, status, reason, message, lastProbeTime: t, lastTransitionTime: t };
}

/**
 * ensureJobConditionStatus: add or update a condition of that type; a False condition is never
 * added from nothing. Returns whether the list changed.
 */
export function ensureJobConditionStatus(job: Job, type: string, status: JobCondition['status'], reason: string, message: string, nowMs: number): boolean {
  const status_ = (job.status ??= {});
  const list = (status_.conditions ??= []);
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return false;
    list[i] = newCondition(type, status, reason, message, nowMs);
    return true;
  }
  if (status === 'False') return false;
  list.push(newCondition(type, status, reason, message, nowMs));
  return true;
}

export const podPhase = (p: Pod): string => p.status?.phase ?? '';

/** controller.IsPodActive: not terminal and not being deleted. */
export const isPodActive = (p: Pod): boolean =>
  podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed' && !p.metadata.deletionTimestamp;

/** controller.IsPodTerminating: being deleted but not yet terminal. */
export const isPodTerminating = (p: Pod): boolean =>
  !!p.metadata.deletionTimestamp && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed';

export const isPodReady = (p: Pod): boolean =>
  p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const hasJobTrackingFinalizer = (p: Pod): boolean => p.metadata.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;

/** The strategic-merge patch that takes the tracking finalizer off a pod (and nothing else). */
export function removeTrackingFinalizerPatch(): Record<string, unknown> {
  return { metadata: { '$deleteFromPrimitiveList/finalizers': [JOB_TRACKING_FINALIZER] } };
}

/**
 * getFinishedTime: when a pod finished, from the latest container termination, else the Ready=False
 * transition, else the deletion time less the grace period, else its creation.
 */
export function podFinishedTime(p: Pod): number {
  const statuses = p.status?.containerStatuses ?? [];
  let latest: number | undefined;
  let allTerminated = statuses.length > 0;
  for (const s of statuses) {
    const t = parseTime(s.state?.terminated?.finishedAt);
    if (t === undefined) { allTerminated = false; break; }
    latest = latest === undefined ? t : Math.max(latest, t);
  }
  if (allTerminated && latest !== undefined) return latest;
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = parseTime(p.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (p.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(p.metadata.creationTimestamp) ?? 0;
}

/** onlyReplaceFailedPods: with podReplacementPolicy Failed a terminating pod is not yet a failure. */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec.podReplacementPolicy === 'Failed' || job.spec.podFailurePolicy != null;
}

/** isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(p: Pod, job: Job): boolean {
  if (podPhase(p) === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return !!p.metadata.deletionTimestamp && podPhase(p) !== 'Succeeded';
}

export const isIndexedJob = (job: Job): boolean => job.spec.completionMode === 'Indexed';
export const jobSuspended = (job: Job): boolean => job.spec.suspend === true;

/** getCompletionIndex: the pod's index from its annotation, or -1. */
export function getCompletionIndex(p: Pod): number {
  const v = p.metadata.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/**
 * controller.ActivePods ordering: the pods to remove first — unscheduled before scheduled, pending
 * before running, not ready before ready, then the newest first.
 */
export function compareActivePodsForDeletion(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const rank = (p: Pod) => PHASE_RANK[podPhase(p)] ?? 0;
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  return (parseTime(b.metadata.creationTimestamp) ?? 0) - (parseTime(a.metadata.creationTimestamp) ?? 0);
}
