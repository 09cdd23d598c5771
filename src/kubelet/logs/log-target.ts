// Which container's log a request reads, from the pod's status as the kubelet reports it (upstream's
// validateContainerLogStatus): the running one, the last terminated one, or with previous the one
// before; a container that has not started yet gives upstream's "is waiting to start" message.
import type { KObject } from '../../apimachinery/types.ts';

type Obj = Record<string, any>;

export type LogTarget = { containerId: string } | { error: string };

export function containerLogTarget(pod: KObject, containerName: string, previous: boolean): LogTarget {
  const podName = pod.metadata.name ?? '';
  const status = (pod.status ?? {}) as Obj;
  const cs = [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]
    .map((list) => (Array.isArray(list) ? (list as Obj[]) : []).find((s) => s?.name === containerName))
    .find((s) => s !== undefined);
  const where = `container ${JSON.stringify(containerName)} in pod ${JSON.stringify(podName)}`;
  if (!cs) return { error: `${where} is not available` };
  const lastTerminated: Obj | undefined = cs.lastState?.terminated;
  const { waiting, running, terminated } = (cs.state ?? {}) as Obj;
  const id = (containerId: unknown): LogTarget => ({ containerId: stripRuntimeScheme(String(containerId)) });

  if (previous) {
    if (!lastTerminated?.containerID) return { error: `previous terminated ${where} not found` };
    return id(lastTerminated.containerID);
  }
  if (running) return id(cs.containerID);
  if (terminated) {
    // The next container did not start: its terminated state has no ID, the last one has.
    if (terminated.containerID) return id(terminated.containerID);
    if (lastTerminated?.containerID) return id(lastTerminated.containerID);
    return { error: `${where} is terminated` };
  }
  if (lastTerminated) {
    if (!lastTerminated.containerID) return { error: `${where} is terminated` };
    return id(lastTerminated.containerID);
  }
  if (waiting) {
    switch (waiting.reason) {
      case 'ErrImagePull': return { error: `${where} is waiting to start: image can't be pulled` };
      case 'ImagePullBackOff': return { error: `${where} is waiting to start: trying and failing to pull image` };
      default: return { error: `${where} is waiting to start: ${waiting.reason ?? ''}` };
    }
  }
  return { error: `${where} is waiting to start - no logs yet` };
}

/** "containerd://abc…" or "docker://abc…" → "abc…", the ID the runtime knows. */
export function stripRuntimeScheme(containerId: string): string {
  const i = containerId.indexOf('://');
  return i < 0 ? containerId : containerId.slice(i + 3);
}
