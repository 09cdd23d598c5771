// The simulated kubelet's pod lifecycle as a pure function of the pod and the time: what status the
// pod should have now, whether it should be deleted, and when the next change is due. All state
// lives in the pod's status (startTime, container states, restart counts), so a restarted simulator
// carries on where the last one stopped, and one deadline queue replaces a timer per pod.
//
// Behaviour (kwok-stage-like), steered by pod annotations (simulation-annotations.ts):
// - init containers complete (exit 0) at start; regular containers run, ready at once or after their
//   readinessProbe's initialDelaySeconds, never ready with simulate-never-ready;
// - with simulate-exit-code they exit after simulate-run-seconds: restartPolicy Never (or OnFailure
//   with code 0) ends the pod Succeeded/Failed, otherwise the container restarts with the kubelet's
//   crash back-off (immediately, then 10 s doubling to 300 s), waiting in CrashLoopBackOff;
// - a pod being deleted has its containers stopped after min(grace period, terminationMs) and is then
//   deleted with grace period 0, as the kubelet does once its containers are gone.
import { createHash } from 'node:crypto';
import type { KObject } from '../apimachinery/types.ts';
import { rfc3339 } from './node-status.ts';
import { semanticEqual } from './semantic-equal.ts';
import { EXIT_CODE_ANNOTATION, NEVER_READY_ANNOTATION, RUN_SECONDS_ANNOTATION } from './simulation-annotations.ts';

type Obj = Record<string, any>;

export interface PodSimulationInput {
  now: number;
  /** The pod's address (the node's for hostNetwork pods). */
  podIP: string;
  hostIP: string;
  /** How long stopping containers takes at most (capped by the grace period). */
  terminationMs: number;
}

export interface PodSimulationResult {
  /** The status to write, when it differs from the pod's. */
  status?: Obj;
  /** Delete the pod now (grace period 0). */
  delete?: boolean;
  /** When to look at the pod again (ms since the epoch). */
  nextAt?: number;
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']);
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;

/** The kubelet's crash back-off before restart number restartCount+1 (none before the first). */
export function crashBackoffMs(restartCount: number): number {
  if (restartCount <= 0) return 0;
  return Math.min(BACKOFF_MAX_MS, BACKOFF_INITIAL_MS * 2 ** Math.min(restartCount - 1, 10));
}

function containerID(pod: KObject, name: string, restart: number): string {
  return `containerd://${createHash('sha256').update(`${pod.metadata.uid}/${name}/${restart}`).digest('hex')}`;
}

/** format.Pod: name_namespace(uid). */
function podDesc(pod: KObject): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
}

interface Behaviour {
  exitCode?: number;
  runMs: number;
  neverReady: boolean;
}

function behaviourOf(pod: KObject): Behaviour {
  const ann = pod.metadata.annotations ?? {};
  const code = ann[EXIT_CODE_ANNOTATION];
  const exitCode = code !== undefined && /^-?\d+$/.test(code.trim()) ? Number(code.trim()) : undefined;
  const run = Number(ann[RUN_SECONDS_ANNOTATION]);
  return { exitCode, runMs: Number.isFinite(run) && run > 0 ? run * 1000 : 0, neverReady: ann[NEVER_READY_ANNOTATION] === 'true' };
}

function restarts(policy: string, exitCode: number): boolean {
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

function terminatedState(exitCode: number, startedAt: number, finishedAt: number, id: string): Obj {
  return { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: rfc3339(startedAt), finishedAt: rfc3339(finishedAt), containerID: id };
}

/** Advances one container's status to `now`; returns it and when it next changes. */
function simulateContainer(pod: KObject, c: Obj, prev: Obj | undefined, startTime: number, b: Behaviour, policy: string, now: number): { cs: Obj; nextAt?: number } {
  let cs: Obj = prev ? structuredClone(prev) : {
    name: c.name, state: { running: { startedAt: rfc3339(startTime) } }, lastState: {}, ready: false, restartCount: 0,
    image: c.image ?? '', imageID: '', containerID: containerID(pod, c.name, 0), started: true,
  };
  let nextAt: number | undefined;
  for (let guard = 0; guard < 64; guard++) {
    const running = cs.state?.running;
    if (running) {
      if (b.exitCode === undefined) break;
      const startedAt = Date.parse(running.startedAt);
      const exitAt = startedAt + b.runMs;
      if (now < exitAt) { nextAt = exitAt; break; }
      const term = terminatedState(b.exitCode, startedAt, exitAt, cs.containerID);
      if (!restarts(policy, b.exitCode)) {
        cs = { ...cs, state: { terminated: term }, ready: false, started: false };
        break;
      }
      cs = {
        ...cs, ready: false, started: false, lastState: { terminated: term },
        state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${crashBackoffMs(cs.restartCount) / 1000}s restarting failed container=${c.name} pod=${podDesc(pod)}` } },
      };
      continue;
    }
    if (cs.state?.waiting?.reason === 'CrashLoopBackOff') {
      const finished = Date.parse(cs.lastState?.terminated?.finishedAt ?? '') || now;
      const restartAt = finished + crashBackoffMs(cs.restartCount);
      if (now < restartAt) { nextAt = restartAt; break; }
      const restartCount = (cs.restartCount ?? 0) + 1;
      cs = { ...cs, restartCount, started: true, containerID: containerID(pod, c.name, restartCount), state: { running: { startedAt: rfc3339(restartAt) } } };
      continue;
    }
    break;
  }
  // Readiness: running, not told otherwise, past the readiness probe's initial delay.
  if (cs.state?.running) {
    const readyAt = Date.parse(cs.state.running.startedAt) + (Number(c.readinessProbe?.initialDelaySeconds) || 0) * 1000;
    cs.ready = !b.neverReady && now >= readyAt;
    if (!b.neverReady && now < readyAt) nextAt = nextAt === undefined ? readyAt : Math.min(nextAt, readyAt);
  } else {
    cs.ready = false;
  }
  return { cs, nextAt };
}

function condition(type: string, status: string, prev: Obj[], now: number, reason?: string, message?: string): Obj {
  const old = prev.find((c) => c?.type === type);
  const c: Obj = {
    type, status, lastProbeTime: null,
    lastTransitionTime: old?.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now),
  };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function readinessGateProblem(spec: Obj, conditions: Obj[]): string | undefined {
  const gates: Obj[] = Array.isArray(spec.readinessGates) ? spec.readinessGates : [];
  for (const g of gates) {
    const c = conditions.find((x) => x?.type === g?.conditionType);
    if (!c) return `corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`;
    if (c.status !== 'True') return `the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`;
  }
  return undefined;
}

/** The simulated kubelet's view of one pod at `now`. */
export function simulatePod(pod: KObject, input: PodSimulationInput): PodSimulationResult {
  const { now } = input;
  const spec: Obj = (pod.spec as Obj) ?? {};
  const old: Obj = (pod.status as Obj) ?? {};
  const terminal = old.phase === 'Succeeded' || old.phase === 'Failed';

  if (pod.metadata.deletionTimestamp) {
    if (terminal || !old.startTime) return { delete: true };
    const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
    const requestedAt = Date.parse(pod.metadata.deletionTimestamp) - grace * 1000;
    const stopAt = requestedAt + Math.min(grace * 1000, input.terminationMs);
    if (now < stopAt) return { nextAt: stopAt };
    return { status: stoppedStatus(pod, old, now), delete: true };
  }
  if (terminal) return {};

  const startTime = old.startTime ? Date.parse(old.startTime) : now;
  const b = behaviourOf(pod);
  const policy: string = spec.restartPolicy ?? 'Always';
  const containers: Obj[] = Array.isArray(spec.containers) ? spec.containers : [];
  const inits: Obj[] = Array.isArray(spec.initContainers) ? spec.initContainers : [];
  const prevStatuses: Obj[] = Array.isArray(old.containerStatuses) ? old.containerStatuses : [];
  let nextAt: number | undefined;
  const containerStatuses = containers.map((c) => {
    const r = simulateContainer(pod, c, prevStatuses.find((s) => s?.name === c.name), startTime, b, policy, now);
    if (r.nextAt !== undefined) nextAt = nextAt === undefined ? r.nextAt : Math.min(nextAt, r.nextAt);
    return r.cs;
  });
  const initContainerStatuses = inits.map((c) => {
    const prev = (Array.isArray(old.initContainerStatuses) ? old.initContainerStatuses : []).find((s: Obj) => s?.name === c.name);
    if (prev) return prev;
    const id = containerID(pod, c.name, 0);
    return {
      name: c.name, image: c.image ?? '', imageID: '', containerID: id, ready: true, restartCount: 0, started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: rfc3339(startTime), finishedAt: rfc3339(startTime), containerID: id } },
      lastState: {},
    };
  });

  const allTerminated = containerStatuses.length > 0 && containerStatuses.every((cs) => cs.state?.terminated);
  const phase = allTerminated ? (containerStatuses.every((cs) => cs.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed') : 'Running';
  const prevConditions: Obj[] = Array.isArray(old.conditions) ? old.conditions : [];
  const conditions = podConditions(spec, prevConditions, containerStatuses, phase, now);

  const status: Obj = {
    ...old,
    phase,
    conditions,
    hostIP: input.hostIP, hostIPs: [{ ip: input.hostIP }],
    podIP: input.podIP, podIPs: [{ ip: input.podIP }],
    startTime: rfc3339(startTime),
    containerStatuses,
  };
  if (initContainerStatuses.length > 0) status.initContainerStatuses = initContainerStatuses;
  return { status: semanticEqual(old, status) ? undefined : status, nextAt };
}

function podConditions(spec: Obj, prev: Obj[], containerStatuses: Obj[], phase: string, now: number): Obj[] {
  const out: Obj[] = [];
  const done = phase === 'Succeeded' || phase === 'Failed';
  out.push(condition('PodReadyToStartContainers', done ? 'False' : 'True', prev, now));
  out.push(condition('Initialized', 'True', prev, now));
  const unready = containerStatuses.filter((cs) => !cs.ready).map((cs) => cs.name);
  let containersReady: Obj;
  if (done) containersReady = condition('ContainersReady', 'False', prev, now, 'PodCompleted');
  else if (unready.length > 0) containersReady = condition('ContainersReady', 'False', prev, now, 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
  else containersReady = condition('ContainersReady', 'True', prev, now);
  let ready: Obj;
  const gateProblem = readinessGateProblem(spec, prev);
  if (containersReady.status !== 'True') ready = condition('Ready', 'False', prev, now, containersReady.reason, containersReady.message);
  else if (gateProblem) ready = condition('Ready', 'False', prev, now, 'ReadinessGatesNotReady', gateProblem);
  else ready = condition('Ready', 'True', prev, now);
  out.push(ready, containersReady);
  const scheduled = prev.find((c) => c?.type === 'PodScheduled');
  out.push(scheduled ?? condition('PodScheduled', 'True', prev, now));
  // Conditions other components own (DisruptionTarget, readiness gates) are kept as they are.
  for (const c of prev) if (!KUBELET_CONDITIONS.has(c?.type) && c?.type !== 'PodScheduled') out.push(c);
  return out;
}

/** Containers stopped for deletion: exit 0 (the simulated process honours SIGTERM), pod terminal. */
function stoppedStatus(pod: KObject, old: Obj, now: number): Obj {
  const statuses: Obj[] = (Array.isArray(old.containerStatuses) ? old.containerStatuses : []).map((cs: Obj) => {
    if (cs.state?.terminated) return cs;
    const startedAt = Date.parse(cs.state?.running?.startedAt ?? '') || now;
    return { ...cs, ready: false, started: false, state: { terminated: terminatedState(0, startedAt, now, cs.containerID ?? containerID(pod, cs.name, cs.restartCount ?? 0)) } };
  });
  const phase = statuses.length > 0 && statuses.every((cs) => cs.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
  const spec: Obj = (pod.spec as Obj) ?? {};
  return { ...old, phase, containerStatuses: statuses, conditions: podConditions(spec, Array.isArray(old.conditions) ? old.conditions : [], statuses, phase, now) };
}
