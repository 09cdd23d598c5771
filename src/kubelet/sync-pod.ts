// The kubelet's three syncs of a pod (kubelet.go's SyncPod, SyncTerminatingPod, SyncTerminatedPod),
// run by its pod worker: while the pod lives, report its status, set up its volumes and sync the
// runtime; when it must stop, kill its containers within the grace period and report the terminal
// status; once stopped, tear its volumes down and — for a deleted pod — remove its runtime objects
// and make the final delete (grace 0, UID precondition), after which the Pod object is gone.
import type { KObject } from '../apimachinery/types.ts';
import { isConflict, isNotFound as isAPINotFound } from '../client/api-error.ts';
import type { Clock } from '../client/clock.ts';
import type { KubeClient } from '../client/kube-client.ts';
import { GVR } from '../client/resources.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { EVENTS, podRef } from './kubelet-events.ts';
import type { ProbeResultLookup } from './pod-actions.ts';
import { generateAPIPodStatus } from './pod-status.ts';
import type { PodSyncHandlers, SyncPodResult } from './pod-workers.ts';
import type { ReasonCache } from './reason-cache.ts';
import { getPodRuntimeStatus, isNotFound, type PodRuntimeStatus } from './runtime-pod-status.ts';
import type { PodVolumes, RuntimeSync } from './runtime-sync.ts';
import type { RuntimeService } from './runtime/runtime-service.ts';
import type { StatusManager } from './status-manager.ts';
import type { ContainerKiller } from './termination.ts';
import { VolumeSetUpError } from './volumes/index.ts';
import type { ProberManager } from './prober/index.ts';

type Obj = Record<string, any>;

const TERMINAL = new Set(['Succeeded', 'Failed']);

/** What the sync needs from the prober manager (src/kubelet/prober): start and stop probing a pod. */
export type PodProbing = Pick<ProberManager, 'addPod' | 'stopLivenessAndStartup' | 'removePod'>;

export interface PodSyncDeps {
  client: KubeClient;
  runtime: () => RuntimeService;
  runtimeName: () => string;
  podsDir: string;
  clock: Clock;
  log: (m: string) => void;
  recorder: EventRecorder;
  statusManager: StatusManager;
  reasons: ReasonCache;
  probe: ProbeResultLookup;
  prober: PodProbing;
  runtimeSync: () => RuntimeSync;
  killer: () => ContainerKiller;
  volumes: PodVolumes;
  hostIPs(): string[];
}

export class PodSync implements PodSyncHandlers {
  constructor(private readonly d: PodSyncDeps) {}

  private runtimeStatus(pod: Obj): Promise<PodRuntimeStatus> {
    return getPodRuntimeStatus(this.d.runtime(), this.d.runtimeName(), this.d.podsDir, {
      uid: pod.metadata.uid, name: pod.metadata.name, namespace: pod.metadata.namespace,
    });
  }

  private generate(pod: Obj, status: PodRuntimeStatus, podIsTerminal: boolean): Obj {
    const uid: string = pod.metadata.uid;
    return generateAPIPodStatus({
      pod, runtime: status, cached: this.d.statusManager.getPodStatus(uid), podIsTerminal, hostIPs: this.d.hostIPs(),
      now: this.d.clock.now(), startFailure: (name) => this.d.reasons.get(uid, name), probe: this.d.probe,
    });
  }

  async syncPod(pod: Obj): Promise<SyncPodResult> {
    const d = this.d;
    const before = await this.runtimeStatus(pod);
    const status = this.generate(pod, before, false);
    d.statusManager.setPodStatus(pod as KObject, status);
    if (TERMINAL.has(status.phase)) return { terminal: true };
    d.prober.addPod(pod as KObject);

    let paths: Map<string, string>;
    try {
      paths = await d.volumes.setUpPodVolumes(pod as KObject);
    } catch (err) {
      const failures = err instanceof VolumeSetUpError ? err.failures.map((f) => f.message) : [(err as Error).message];
      for (const message of failures) d.recorder.event(podRef(pod), 'Warning', EVENTS.FailedMountVolume, message);
      return { error: err as Error };
    }

    const r = await d.runtimeSync().syncPod(pod, before, paths, d.volumes);
    // Report what the sync changed now rather than at the next relist.
    const after = await this.runtimeStatus(pod);
    d.statusManager.setPodStatus(pod as KObject, this.generate(pod, after, false));
    return { retryAt: r.retryAt, error: r.error };
  }

  async syncTerminatingPod(pod: Obj): Promise<void> {
    const d = this.d;
    // A stopping pod is not restarted for failing probes; readiness still runs until it is gone.
    d.prober.stopLivenessAndStartup(pod.metadata.uid);
    const before = await this.runtimeStatus(pod);
    await d.killer().killPod(pod, before);
    const after = await this.runtimeStatus(pod);
    const still = after.containers.filter((c) => c.state === 'running');
    if (still.length > 0) throw new Error(`failed to stop containers of pod: ${still.map((c) => c.name).join(', ')} still running`);
    d.statusManager.setPodStatus(pod as KObject, this.generate(pod, after, true));
  }

  async syncTerminatedPod(pod: Obj, how: { deleted: boolean; apiGone: boolean }): Promise<void> {
    const d = this.d;
    const uid: string = pod.metadata.uid;
    d.prober.removePod(pod as KObject);
    if (!how.deleted) {
      // A finished pod keeps its stopped containers (for logs) until it is deleted.
      await d.volumes.tearDownPodVolumes(uid);
      return;
    }
    await removePodRuntimeObjects(d.runtime(), await this.runtimeStatus(pod), d.log);
    await d.volumes.tearDownPodVolumes(uid);
    d.reasons.forgetPod(uid);
    if (!how.apiGone) {
      await d.statusManager.flush(uid);
      try {
        await d.client.resource(GVR.pods).namespace(pod.metadata.namespace).delete(pod.metadata.name, { gracePeriodSeconds: 0, preconditions: { uid } });
      } catch (err) {
        // Gone already, or a new pod took the name (the UID precondition failed): nothing to finish.
        if (!isAPINotFound(err) && !isConflict(err)) throw err;
      }
    }
    d.statusManager.forget(uid);
  }
}

/** Removes a stopped pod's containers and sandboxes (what GC would do later, done at once for deleted pods). */
export async function removePodRuntimeObjects(runtime: RuntimeService, status: PodRuntimeStatus, log: (m: string) => void): Promise<void> {
  for (const c of status.containers) {
    try {
      await runtime.removeContainer(c.id);
    } catch (err) {
      if (!isNotFound(err)) log(`failed to remove container ${c.id}: ${(err as Error).message}`);
    }
  }
  for (const s of status.sandboxes) {
    try {
      await runtime.stopPodSandbox(s.id);
      await runtime.removePodSandbox(s.id);
    } catch (err) {
      if (!isNotFound(err)) log(`failed to remove sandbox ${s.id}: ${(err as Error).message}`);
    }
  }
}
