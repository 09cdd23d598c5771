// The pod's phase from its container statuses (kubelet_pods.go's getPhase): Pending while init
// containers or containers have not started, Running while any runs (or all are restarting under
// Always), Succeeded/Failed once everything stopped for good; a terminal pod (stopped by the kubelet)
// is Succeeded only when every container exited 0.
import { isRestartableInitContainer } from './pod-actions.ts';

type Obj = Record<string, any>;
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

function statusOf(statuses: Obj[], name: string): Obj | undefined {
  return statuses.find((s) => s?.name === name);
}

/** kubecontainer.HasAnyRegularContainerStarted. */
export function hasAnyRegularContainerStarted(spec: Obj, statuses: Obj[]): boolean {
  const names = new Set((spec.containers ?? []).map((c: Obj) => c.name));
  return statuses.some((s) => names.has(s?.name) && (s.state?.running || s.state?.terminated));
}

export function getPhase(pod: Obj, statuses: Obj[], podIsTerminal: boolean): PodPhase {
  const spec: Obj = pod.spec ?? {};
  const inits: Obj[] = spec.initContainers ?? [];
  let pendingInitialization = 0;
  let failedInitialization = 0;
  for (const c of inits) {
    if (isRestartableInitContainer(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) { pendingInitialization++; continue; }
    if (s.state?.running) pendingInitialization++;
    else if (s.state?.terminated) { if (s.state.terminated.exitCode !== 0) failedInitialization++; }
    else if (s.state?.waiting) {
      if (s.lastState?.terminated) { if (s.lastState.terminated.exitCode !== 0) failedInitialization++; }
      else pendingInitialization++;
    } else pendingInitialization++;
  }

  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of inits) {
    if (!isRestartableInitContainer(c)) continue;
    const s = statusOf(statuses, c.name);
    if (!s) { unknown++; continue; }
    if (s.state?.running) {
      if (s.started !== true) pendingInitialization++;
      running++;
    } else if (s.state?.terminated) {
      // Stopped sidecars do not count for the phase.
    } else if (s.state?.waiting) {
      if (!s.lastState?.terminated) { pendingInitialization++; waiting++; }
    } else { pendingInitialization++; unknown++; }
  }
  for (const c of spec.containers ?? []) {
    const s = statusOf(statuses, c.name);
    if (!s) { unknown++; continue; }
    if (s.state?.running) running++;
    else if (s.state?.terminated) { stopped++; if (s.state.terminated.exitCode === 0) succeeded++; }
    else if (s.state?.waiting) { if (s.lastState?.terminated) stopped++; else waiting++; }
    else unknown++;
  }

  const policy = spec.restartPolicy ?? 'Always';
  if (failedInitialization > 0 && policy === 'Never') return 'Failed';
  if ((pendingInitialization > 0 && !hasAnyRegularContainerStarted(spec, statuses)) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}
