// Container garbage collection (kuberuntime_gc.go with the kubelet's default policy: MinAge 0,
// MaxPerPodContainer 1): of each container's exited instances only the newest stays (kubectl logs
// --previous reads it), all go once the pod is gone; sandboxes that are not ready and hold no
// containers are removed (all but the newest while the pod lives); log directories of removed pods
// follow.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CONTAINER_NAME_LABEL, POD_UID_LABEL } from './runtime-labels.ts';
import { isNotFound } from './runtime-pod-status.ts';
import type { Container, PodSandbox, RuntimeService } from './runtime/runtime-service.ts';

export const CONTAINER_GC_PERIOD_MS = 60_000;
const MAX_PER_POD_CONTAINER = 1;

export interface ContainerGCOptions {
  runtime: RuntimeService;
  /** Pod content may go: the pod is unknown to the kubelet, or deleted and stopped. */
  shouldPodContentBeRemoved(uid: string): boolean;
  podLogsRoot: string;
  log: (m: string) => void;
}

const newestFirst = (a: { createdAt: bigint }, b: { createdAt: bigint }) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

export async function garbageCollect(o: ContainerGCOptions): Promise<void> {
  const containers = await o.runtime.listContainers();
  const units = new Map<string, Container[]>();
  for (const c of containers) {
    const uid = c.labels[POD_UID_LABEL];
    if (!uid || c.state === 'CONTAINER_RUNNING') continue;
    const key = `${uid}/${c.labels[CONTAINER_NAME_LABEL] ?? c.metadata.name}`;
    const list = units.get(key) ?? [];
    list.push(c);
    units.set(key, list);
  }
  const removed = new Set<string>();
  for (const [key, list] of units) {
    const uid = key.slice(0, key.indexOf('/'));
    const keep = o.shouldPodContentBeRemoved(uid) ? 0 : MAX_PER_POD_CONTAINER;
    for (const c of list.sort(newestFirst).slice(keep)) {
      try {
        await o.runtime.removeContainer(c.id);
        removed.add(c.id);
      } catch (err) {
        if (!isNotFound(err)) o.log(`failed to remove container ${c.id}: ${(err as Error).message}`);
      }
    }
  }

  const remaining = containers.filter((c) => !removed.has(c.id));
  const sandboxes = await o.runtime.listPodSandbox();
  const byPod = new Map<string, PodSandbox[]>();
  for (const s of sandboxes) {
    const uid = s.labels[POD_UID_LABEL] ?? s.metadata.uid;
    if (!uid) continue;
    byPod.set(uid, [...(byPod.get(uid) ?? []), s]);
  }
  for (const [uid, list] of byPod) {
    const gone = o.shouldPodContentBeRemoved(uid);
    const sorted = list.sort(newestFirst);
    for (const [i, s] of sorted.entries()) {
      if (!gone && i === 0) continue;
      if (s.state === 'SANDBOX_READY') continue;
      if (remaining.some((c) => c.podSandboxId === s.id)) continue;
      try {
        await o.runtime.removePodSandbox(s.id);
      } catch (err) {
        if (!isNotFound(err)) o.log(`failed to remove sandbox ${s.id}: ${(err as Error).message}`);
      }
    }
  }

  let dirs: string[] = [];
  try { dirs = await readdir(o.podLogsRoot); } catch { /* no pods yet */ }
  for (const d of dirs) {
    const uid = d.slice(d.lastIndexOf('_') + 1);
    if (!uid || !o.shouldPodContentBeRemoved(uid)) continue;
    if (sandboxes.some((s) => (s.labels[POD_UID_LABEL] ?? s.metadata.uid) === uid && s.state === 'SANDBOX_READY')) continue;
    await rm(join(o.podLogsRoot, d), { recursive: true, force: true }).catch(() => {});
  }
}
