// The kubelet's reason cache: why the last start of each container of a pod failed, shown as the
// container's waiting reason and message (CrashLoopBackOff, ErrImagePull, …) until a start works.
import type { StartFailure } from './container-status.ts';

export class ReasonCache {
  private readonly byPod = new Map<string, Map<string, StartFailure>>();

  get(podUID: string, containerName: string): StartFailure | undefined {
    return this.byPod.get(podUID)?.get(containerName);
  }

  add(podUID: string, containerName: string, failure: StartFailure): void {
    let m = this.byPod.get(podUID);
    if (!m) this.byPod.set(podUID, (m = new Map()));
    m.set(containerName, failure);
  }

  remove(podUID: string, containerName: string): void {
    this.byPod.get(podUID)?.delete(containerName);
  }

  forgetPod(podUID: string): void {
    this.byPod.delete(podUID);
  }
}
