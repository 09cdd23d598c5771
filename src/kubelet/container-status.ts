// containerStatuses / initContainerStatuses from what the runtime holds (kubelet_pods.go's
// convertToAPIContainerStatuses and the prober manager's UpdatePodStatus): the newest instance gives
// state, the one before it lastState; a container never started waits in ContainerCreating (or
// PodInitializing), one that will be restarted waits with the reason its last start failed
// (CrashLoopBackOff, ErrImagePull, …); ready and started follow the probes.
import { rfc3339 } from '../nodes/node-status.ts';
import { isRestartableInitContainer, shouldContainerBeRestarted, type ProbeResultLookup } from './pod-actions.ts';
import type { PodRuntimeStatus, RuntimeContainerStatus } from './runtime-pod-status.ts';

type Obj = Record<string, any>;

export const CONTAINER_CREATING = 'ContainerCreating';
export const POD_INITIALIZING = 'PodInitializing';

/** Why the last start of a container failed, shown as its waiting reason until a start succeeds. */
export interface StartFailure {
  reason: string;
  message: string;
}

export interface ContainerStatusInput {
  pod: Obj;
  runtime: PodRuntimeStatus;
  previous: Obj[] | undefined;
  containers: Obj[];
  hasInitContainers: boolean;
  isInitContainer: boolean;
  /** The reason cache: the last start failure of a container of this pod. */
  startFailure(containerName: string): StartFailure | undefined;
  probe: ProbeResultLookup;
}

function toAPIState(cs: RuntimeContainerStatus, old: Obj | undefined): { state: Obj; restartBump: boolean } {
  switch (cs.state) {
    case 'running':
      return { state: { running: { startedAt: rfc3339(cs.startedAt) } }, restartBump: false };
    case 'created':
      return { state: { waiting: {} }, restartBump: false };
    case 'exited': {
      const t: Obj = { exitCode: cs.exitCode, reason: cs.reason, startedAt: rfc3339(cs.startedAt), finishedAt: rfc3339(cs.finishedAt), containerID: cs.containerID };
      if (!t.reason) delete t.reason;
      if (cs.message) t.message = cs.message;
      return { state: { terminated: t }, restartBump: false };
    }
    default:
      // Running before and now unknown: it stopped without the runtime telling how.
      if (old?.state?.running) {
        return {
          state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } },
          restartBump: true,
        };
      }
      return { state: { waiting: {} }, restartBump: false };
  }
}

export function convertToAPIContainerStatuses(i: ContainerStatusInput): Obj[] {
  const oldStatuses = new Map<string, Obj>();
  for (const s of i.previous ?? []) if (s?.name) oldStatuses.set(s.name, s);
  const defaultWaiting = { waiting: { reason: i.hasInitContainers ? POD_INITIALIZING : CONTAINER_CREATING } };

  const statuses = new Map<string, Obj>();
  for (const c of i.containers) {
    const old = oldStatuses.get(c.name);
    let status: Obj = { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, state: structuredClone(defaultWaiting) };
    if (old) {
      if (old.state?.terminated) status = structuredClone(old);
      else {
        status.restartCount = old.restartCount ?? 0;
        if (old.lastState && Object.keys(old.lastState).length > 0) status.lastState = structuredClone(old.lastState);
      }
    }
    statuses.set(c.name, status);
  }

  // A container that was running and whose instances are all gone (removed behind our back).
  for (const c of i.containers) {
    if (i.runtime.containers.some((cs) => cs.name === c.name)) continue;
    const old = oldStatuses.get(c.name);
    if (!old || old.state?.terminated || !old.state?.running) continue;
    const status = statuses.get(c.name)!;
    if (!status.state?.waiting || status.state.waiting.reason !== defaultWaiting.waiting.reason || status.lastState?.terminated) continue;
    status.lastState = { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was deleted.  The container used to be Running' } };
    if (!i.pod.metadata?.deletionTimestamp) status.restartCount = (status.restartCount ?? 0) + 1;
  }

  // Newest instance → state; the one before → lastState.
  const seen = new Map<string, number>();
  for (const cs of i.runtime.containers) {
    if (!statuses.has(cs.name)) continue;
    const n = seen.get(cs.name) ?? 0;
    if (n >= 2) continue;
    const old = oldStatuses.get(cs.name);
    const { state, restartBump } = toAPIState(cs, old);
    if (n === 0) {
      const prev = statuses.get(cs.name)!;
      const status: Obj = {
        name: cs.name, state, ready: false,
        restartCount: restartBump ? (old?.restartCount ?? 0) + 1 : cs.restartCount,
        image: cs.image || prev.image, imageID: cs.imageRef, containerID: cs.containerID,
      };
      if (prev.lastState && !restartBump) status.lastState = prev.lastState;
      statuses.set(cs.name, status);
    } else {
      statuses.get(cs.name)!.lastState = state;
    }
    seen.set(cs.name, n + 1);
  }

  // Containers that will be started again wait with the reason their last start failed.
  for (const c of i.containers) {
    if (i.isInitContainer) {
      const latest = i.runtime.containers.find((cs) => cs.name === c.name);
      if (latest && latest.state === 'exited' && latest.exitCode === 0) continue;
    }
    if (!shouldContainerBeRestarted(c, i.pod, i.runtime)) continue;
    const failure = i.startFailure(c.name);
    if (!failure) continue;
    const status = statuses.get(c.name)!;
    if (status.state?.terminated) status.lastState = status.state;
    status.state = { waiting: { reason: failure.reason, ...(failure.message ? { message: failure.message } : {}) } };
  }

  const out = i.containers.map((c) => statuses.get(c.name)!);
  for (let k = 0; k < out.length; k++) setProbeFlags(i.containers[k]!, out[k]!, i.isInitContainer, i.probe);
  for (const s of out) if (!s.lastState) s.lastState = {};
  return out;
}

/** started/ready as the prober manager sets them: no probe configured counts as passed. */
function setProbeFlags(c: Obj, s: Obj, isInit: boolean, probe: ProbeResultLookup): void {
  const id = typeof s.containerID === 'string' ? s.containerID.replace(/^[a-z]+:\/\//, '') : '';
  const running = !!s.state?.running;
  let started = false;
  if (running) {
    const r = id ? probe(id, 'startup') : undefined;
    started = r !== undefined ? r === 'Success' : !c.startupProbe;
  }
  s.started = started;
  if (isInit && !isRestartableInitContainer(c)) {
    s.ready = !!s.state?.terminated && s.state.terminated.exitCode === 0;
    return;
  }
  if (!started) {
    s.ready = false;
    return;
  }
  const r = id ? probe(id, 'readiness') : undefined;
  s.ready = r === 'Success' || (r === undefined && !c.readinessProbe);
}
