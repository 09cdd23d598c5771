// What one sync must do to bring the runtime to the pod's spec (kuberuntime's computePodActions with
// restartable-init-container handling): whether the sandbox must be (re)created, which init
// containers and containers to start, which to kill. Pure: the pod, what the runtime has, and the
// probe results in; a plan out.
import type { PodRuntimeStatus, RuntimeContainerStatus } from './runtime-pod-status.ts';
import { findContainerStatusByName } from './runtime-pod-status.ts';

type Obj = Record<string, any>;

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure';
/** The latest result of a probe on a container instance (by runtime id); undefined = not run yet. */
export type ProbeResultLookup = (containerId: string, probe: ProbeType) => ProbeResult | undefined;

export type KillReason = 'LivenessProbe' | 'StartupProbe' | 'Unknown' | 'FailedPostStartHook' | '';

export interface ContainerToKill {
  id: string;
  name: string;
  container: Obj;
  message: string;
  reason: KillReason;
}

export interface PodActions {
  killPod: boolean;
  createSandbox: boolean;
  /** The sandbox being replaced, or the one to run containers in. */
  sandboxId: string;
  attempt: number;
  /** Indexes into spec.initContainers, in start order. */
  initContainersToStart: number[];
  /** Indexes into spec.containers. */
  containersToStart: number[];
  containersToKill: ContainerToKill[];
}

export function isRestartableInitContainer(c: Obj): boolean {
  return c?.restartPolicy === 'Always';
}

export function shouldRestartOnFailure(pod: Obj): boolean {
  return pod.spec?.restartPolicy !== 'Never';
}

function containers(pod: Obj): Obj[] { return Array.isArray(pod.spec?.containers) ? pod.spec.containers : []; }
function initContainers(pod: Obj): Obj[] { return Array.isArray(pod.spec?.initContainers) ? pod.spec.initContainers : []; }

export function isHostNetworkPod(pod: Obj): boolean {
  return pod.spec?.hostNetwork === true;
}

/** runtimeutil.PodSandboxChanged: [create a new sandbox?, its attempt, the current sandbox id]. */
export function podSandboxChanged(pod: Obj, status: PodRuntimeStatus): { changed: boolean; attempt: number; sandboxId: string } {
  const latest = status.sandboxes[0];
  if (!latest) return { changed: true, attempt: 0, sandboxId: '' };
  const ready = status.sandboxes.filter((s) => s.state === 'SANDBOX_READY').length;
  const next = latest.metadata.attempt + 1;
  if (ready > 1 || latest.state !== 'SANDBOX_READY') return { changed: true, attempt: next, sandboxId: latest.id };
  if (latest.networkNamespace !== (isHostNetworkPod(pod) ? 'NODE' : 'POD')) return { changed: true, attempt: next, sandboxId: '' };
  if (!isHostNetworkPod(pod) && !latest.network.ip) return { changed: true, attempt: next, sandboxId: latest.id };
  return { changed: false, attempt: latest.metadata.attempt, sandboxId: latest.id };
}

/** kubecontainer.ShouldContainerBeRestarted. */
export function shouldContainerBeRestarted(container: Obj, pod: Obj, status: PodRuntimeStatus): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const s = findContainerStatusByName(status, container.name);
  if (!s) return true;
  if (s.state === 'running') return false;
  if (s.state === 'unknown' || s.state === 'created') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure' && s.exitCode === 0) return false;
  return true;
}

export function isInitContainerFailed(s: RuntimeContainerStatus): boolean {
  if (s.reason === 'OOMKilled') return true;
  if (s.state === 'exited' && s.exitCode !== 0) return true;
  return s.state === 'unknown';
}

function containerSucceeded(c: Obj, status: PodRuntimeStatus): boolean {
  const s = findContainerStatusByName(status, c.name);
  return !!s && s.state === 'exited' && s.exitCode === 0;
}

function hasAnyRegularContainerCreated(pod: Obj, status: PodRuntimeStatus): boolean {
  return containers(pod).some((c) => {
    const s = findContainerStatusByName(status, c.name);
    return s !== undefined && (s.state === 'created' || s.state === 'running' || s.state === 'exited');
  });
}

export function computePodActions(pod: Obj, status: PodRuntimeStatus, probe: ProbeResultLookup, hashOf: (c: Obj) => string): PodActions {
  const sb = podSandboxChanged(pod, status);
  const changes: PodActions = {
    killPod: sb.changed, createSandbox: sb.changed, sandboxId: sb.sandboxId, attempt: sb.attempt,
    initContainersToStart: [], containersToStart: [], containersToKill: [],
  };

  if (sb.changed) {
    // All containers of a Never pod have run once: do not bring up a new sandbox only to kill it.
    if (!shouldRestartOnFailure(pod) && sb.attempt !== 0 && status.containers.length > 0) {
      changes.createSandbox = false;
      return changes;
    }
    const toStart: number[] = [];
    containers(pod).forEach((c, i) => {
      if (pod.spec?.restartPolicy === 'OnFailure' && containerSucceeded(c, status)) return;
      toStart.push(i);
    });
    if (toStart.length === 0 && hasAnyRegularContainerCreated(pod, status)) {
      changes.createSandbox = false;
      return changes;
    }
    if (initContainers(pod).length > 0) {
      changes.initContainersToStart = [0];
      return changes;
    }
    changes.containersToStart = toStart;
    return changes;
  }

  const initialized = computeInitContainerActions(pod, status, changes, probe, hashOf);
  if (changes.killPod || !initialized) return changes;

  let keepCount = 0;
  containers(pod).forEach((c, idx) => {
    const s = findContainerStatusByName(status, c.name);
    if (!s || s.state !== 'running') {
      if (shouldContainerBeRestarted(c, pod, status)) {
        changes.containersToStart.push(idx);
        if (s && s.state === 'unknown') {
          changes.containersToKill.push({ id: s.id, name: s.name, container: c, reason: 'Unknown', message: `Container is in "unknown" state, try killing it before restart` });
        }
      }
      return;
    }
    let message: string;
    let reason: KillReason = '';
    let restart = shouldRestartOnFailure(pod);
    if (s.hash && s.hash !== hashOf(c)) {
      message = `Container ${c.name} definition changed`;
      restart = true;
    } else if (probe(s.id, 'liveness') === 'Failure') {
      message = `Container ${c.name} failed liveness probe`;
      reason = 'LivenessProbe';
    } else if (probe(s.id, 'startup') === 'Failure') {
      message = `Container ${c.name} failed startup probe`;
      reason = 'StartupProbe';
    } else {
      keepCount++;
      return;
    }
    if (restart) {
      message = `${message}, will be restarted`;
      changes.containersToStart.push(idx);
    }
    changes.containersToKill.push({ id: s.id, name: s.name, container: c, message, reason });
  });

  if (keepCount === 0 && changes.containersToStart.length === 0) {
    changes.killPod = true;
    // Sidecars must not keep a finished pod alive.
    changes.initContainersToStart = [];
  }
  return changes;
}

/**
 * computeInitContainerActions: start the first init container not yet run, restart sidecars
 * (restartable init containers) that stopped, kill those failing their probes. True when the pod
 * has been initialized (every init container done, every sidecar started).
 */
export function computeInitContainerActions(pod: Obj, status: PodRuntimeStatus, changes: PodActions, probe: ProbeResultLookup, hashOf: (c: Obj) => string): boolean {
  const inits = initContainers(pod);
  if (inits.length === 0) return true;

  // A running (or created) regular container means initialization happened before, even when the
  // exited init containers have since been removed.
  let podHasInitialized = containers(pod).some((c) => {
    const s = findContainerStatusByName(status, c.name);
    return s !== undefined && (s.state === 'created' || s.state === 'running');
  });
  let previouslyInitialized = podHasInitialized;
  const restartOnFailure = shouldRestartOnFailure(pod);
  const toStart: number[] = [];
  const kill = (s: RuntimeContainerStatus, c: Obj, message: string, reason: KillReason) => {
    changes.containersToKill.push({ id: s.id, name: c.name, container: c, message, reason });
  };

  for (let i = inits.length - 1; i >= 0; i--) {
    const c = inits[i]!;
    const s = findContainerStatusByName(status, c.name);
    if (!s) {
      if (previouslyInitialized && isRestartableInitContainer(c)) toStart.push(i);
      continue;
    }
    if (previouslyInitialized && !isRestartableInitContainer(c)) continue;

    switch (s.state) {
      case 'created':
        // Created but never started: the runtime failed to start it; start it again.
        toStart.push(i);
        break;
      case 'running': {
        if (!isRestartableInitContainer(c)) break;
        if (c.startupProbe) {
          const startup = probe(s.id, 'startup');
          if (startup === undefined) break;
          if (startup !== 'Success') {
            if (startup === 'Failure') {
              kill(s, c, `Init container ${c.name} failed startup probe`, 'StartupProbe');
              toStart.push(i);
            }
            break;
          }
        }
        if (i === inits.length - 1) podHasInitialized = true;
        else if (!previouslyInitialized) toStart.push(i + 1);
        if (s.hash && s.hash !== hashOf(c)) {
          kill(s, c, `Init container ${c.name} definition changed`, '');
          toStart.push(i);
          break;
        }
        if (c.livenessProbe && probe(s.id, 'liveness') === 'Failure') {
          kill(s, c, `Init container ${c.name} failed liveness probe`, 'LivenessProbe');
          toStart.push(i);
        }
        break;
      }
      case 'exited':
        if (isRestartableInitContainer(c)) {
          toStart.push(i);
        } else if (isInitContainerFailed(s)) {
          if (!restartOnFailure) {
            changes.killPod = true;
            changes.initContainersToStart = [];
            return false;
          }
          toStart.push(i);
        } else if (i === inits.length - 1) {
          podHasInitialized = true;
        } else {
          toStart.push(i + 1);
        }
        break;
      default:
        if (!isRestartableInitContainer(c) && !restartOnFailure) {
          changes.killPod = true;
          changes.initContainersToStart = [];
          return false;
        }
        kill(s, c, `Init container is in "unknown" state, try killing it before restart`, 'Unknown');
        toStart.push(i);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) toStart.push(0);
  changes.initContainersToStart = toStart.reverse();
  return podHasInitialized;
}
