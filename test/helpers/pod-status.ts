// Acting as the kubelet until simulated nodes exist: move a pod through its phases by writing
// pods/status as the kubelet would (Running + Ready, then Succeeded/Failed with terminated containers).
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, isConflict, type KubeClient } from '../../src/client/index.ts';

export type KubeletPhase = 'Running' | 'Succeeded' | 'Failed';

export interface PodStatusOptions {
  /** When the containers finished (Succeeded/Failed) or the pod became ready; default now. */
  atMs?: number;
  /** Exit code of the containers when terminal; default 0 for Succeeded, 1 for Failed. */
  exitCode?: number;
}

const time = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The status the kubelet reports for the pod in that phase. */
export function kubeletStatus(pod: KObject, phase: KubeletPhase, o: PodStatusOptions = {}): Record<string, unknown> {
  const at = time(o.atMs ?? Date.now());
  const containers = ((pod.spec as { containers?: { name: string; image?: string }[] })?.containers ?? []);
  const running = phase === 'Running';
  const exitCode = o.exitCode ?? (phase === 'Succeeded' ? 0 : 1);
  const ready = running ? 'True' : 'False';
  const readyReason = running ? {} : { reason: 'PodCompleted' };
  return {
    ...(pod.status as Record<string, unknown> | undefined),
    phase,
    conditions: [
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: at },
      { type: 'Ready', status: ready, lastProbeTime: null, lastTransitionTime: at, ...readyReason },
      { type: 'ContainersReady', status: ready, lastProbeTime: null, lastTransitionTime: at, ...readyReason },
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at },
    ],
    startTime: (pod.status as { startTime?: string } | undefined)?.startTime ?? at,
    containerStatuses: containers.map((c) => ({
      name: c.name, image: c.image ?? '', imageID: '', restartCount: 0, ready: running, started: running,
      state: running
        ? { running: { startedAt: at } }
        : { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt: at, finishedAt: at } },
    })),
  };
}

/** PUT pods/status with the kubelet's view of the phase, retrying on conflicts. Returns the pod as stored. */
export async function setPodPhase(client: KubeClient, namespace: string, name: string, phase: KubeletPhase, o: PodStatusOptions = {}): Promise<KObject> {
  const pods = client.resource(GVR.pods).namespace(namespace);
  for (;;) {
    const pod = await pods.get(name);
    try {
      return await pods.updateStatus({ ...pod, status: kubeletStatus(pod, phase, o) });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}
