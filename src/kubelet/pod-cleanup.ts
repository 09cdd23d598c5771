// Orphan clean-up (kubelet_pods.go's HandlePodCleanups): runtime pods whose UID no pod worker owns —
// pods deleted while the kubelet was down, or force-deleted — are killed (their preStop hooks and
// grace periods restored from the containers' annotations), their containers and sandboxes
// removed; pod directories of unknown pods are torn down.
import { readdir } from 'node:fs/promises';
import { getPodRuntimeStatus } from './runtime-pod-status.ts';
import type { PodVolumes } from './runtime-sync.ts';
import type { RuntimeService } from './runtime/runtime-service.ts';
import { removePodRuntimeObjects } from './sync-pod.ts';
import type { ContainerKiller } from './termination.ts';

export interface PodCleanupOptions {
  runtime: RuntimeService;
  runtimeName: string;
  podsDir: string;
  killer: ContainerKiller;
  volumes: PodVolumes;
  /** Pod UIDs the runtime holds (the PLEG's last relist). */
  runtimePodUIDs: Set<string>;
  /** A pod worker (or the informer) knows this UID. */
  isKnown(uid: string): boolean;
  log: (m: string) => void;
}

export async function cleanupOrphanedPods(o: PodCleanupOptions): Promise<void> {
  for (const uid of o.runtimePodUIDs) {
    if (o.isKnown(uid)) continue;
    try {
      const status = await getPodRuntimeStatus(o.runtime, o.runtimeName, o.podsDir, { uid, name: '', namespace: '' });
      if (status.containers.length === 0 && status.sandboxes.length === 0) continue;
      const first = status.sandboxes[0]?.metadata;
      o.log(`Clean up orphaned pod ${first ? `${first.namespace}/${first.name}` : uid} (${uid})`);
      await o.killer.killPod(undefined, status);
      await removePodRuntimeObjects(o.runtime, status, o.log);
    } catch (err) {
      o.log(`Failed to clean up orphaned pod ${uid}: ${(err as Error).message}`);
    }
  }
  let dirs: string[] = [];
  try { dirs = await readdir(o.podsDir); } catch { return; }
  for (const uid of dirs) {
    if (o.isKnown(uid) || o.runtimePodUIDs.has(uid)) continue;
    await o.volumes.tearDownPodVolumes(uid).catch((err) => o.log(`Failed to remove orphaned pod directory ${uid}: ${(err as Error).message}`));
  }
}
