// One sync of a pod against the runtime (kuberuntime's SyncPod): compute the actions, kill what must
// go (the whole pod when its sandbox changed), create the sandbox, then start init containers in
// order and the containers — each start gated by the crash back-off, pulling the image, building
// env, mounts and config, creating and starting it, and running its postStart hook — with
// upstream's events. Failed starts are remembered as the container's waiting reason.
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import type { KObject } from '../apimachinery/types.ts';
import type { Clock } from '../client/clock.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import type { Backoff } from './backoff.ts';
import { generateContainerConfig } from './container-config.ts';
import { shouldMountHostsFile, writeEtcHosts } from './etc-hosts.ts';
import type { ImagePuller } from './image-puller.ts';
import { EVENTS, containerRef, formatPod, podRef } from './kubelet-events.ts';
import { computePodActions, isRestartableInitContainer, type ProbeResultLookup } from './pod-actions.ts';
import type { ReasonCache } from './reason-cache.ts';
import { findContainerStatusByName, isNotFound, type PodRuntimeStatus } from './runtime-pod-status.ts';
import { hashContainer } from './runtime-labels.ts';
import type { DNSConfig, KeyValue, Mount, PodSandboxConfig, RuntimeService } from './runtime/runtime-service.ts';
import { generatePodSandboxConfig, podLogsDirectory } from './sandbox-config.ts';
import {
  ERR_CRASH_LOOP_BACKOFF, ERR_CREATE_CONTAINER, ERR_CREATE_CONTAINER_CONFIG, ERR_POST_START_HOOK, ERR_RUN_CONTAINER, StartError,
} from './start-error.ts';
import type { ContainerKiller, RunHook } from './termination.ts';
import { terminationLogHostPath } from './termination-message.ts';
import { verifyRunAsNonRoot } from './security-context.ts';
import type { VolumeManager } from './volumes/index.ts';

type Obj = Record<string, any>;

/** What the sync needs from the volume manager (src/kubelet/volumes). */
export type PodVolumes = Pick<VolumeManager, 'setUpPodVolumes' | 'containerMounts' | 'tearDownPodVolumes' | 'refresh'>;

export interface RuntimeSyncDeps {
  runtime: RuntimeService;
  runtimeName: string;
  puller: ImagePuller;
  killer: ContainerKiller;
  recorder: EventRecorder;
  clock: Clock;
  log: (m: string) => void;
  podsDir: string;
  podLogsRoot: string;
  /** Container restart back-off (10 s doubling to 5 min). */
  backOff: Backoff;
  reasons: ReasonCache;
  probe: ProbeResultLookup;
  runHook: RunHook;
  /** The pod's sandbox DNS (events for fallbacks are the caller's). */
  dnsFor(pod: Obj): Promise<DNSConfig>;
  envFor(pod: Obj, container: Obj, podIPs: string[]): Promise<KeyValue[]>;
  pullSecretsFor(pod: Obj): Promise<Obj[]>;
  memoryCapacity(): number;
  clusterDomain: string;
}

export interface RuntimeSyncResult {
  /** The first failure (the sync is retried). */
  error?: Error;
  /** The earliest time a back-off ends: sync again then. */
  retryAt?: number;
}

/** GetStableKey: the back-off key of a container definition of a pod. */
export function stableKey(pod: Obj, container: Obj): string {
  return `${pod.metadata.name}_${pod.metadata.namespace}_${pod.metadata.uid}_${container.name}_${hashContainer(container)}`;
}

export class RuntimeSync {
  constructor(private readonly d: RuntimeSyncDeps) {}

  async syncPod(pod: Obj, status: PodRuntimeStatus, volumePaths: Map<string, string>, volumes: PodVolumes): Promise<RuntimeSyncResult> {
    const d = this.d;
    const actions = computePodActions(pod, status, d.probe, hashContainer);
    const result: RuntimeSyncResult = {};
    const noteRetry = (at: number | undefined) => {
      if (at !== undefined && (result.retryAt === undefined || at < result.retryAt)) result.retryAt = at;
    };

    if (actions.createSandbox && actions.sandboxId) {
      d.recorder.event(podRef(pod), 'Normal', EVENTS.SandboxChanged, 'Pod sandbox changed, it will be killed and re-created.');
    }
    if (actions.killPod) {
      await d.killer.killPod(pod, status);
      if (actions.createSandbox) await this.purgeInitContainers(pod, status);
    } else {
      for (const k of actions.containersToKill) {
        await d.killer.killContainer({ pod, containerId: k.id, containerName: k.name, message: k.message, reason: k.reason });
      }
    }
    await this.pruneInitContainers(pod, status);

    let podIPs = status.ips;
    let sandboxId = actions.sandboxId;
    let sandboxConfig: PodSandboxConfig;
    try {
      sandboxConfig = generatePodSandboxConfig(pod, actions.attempt, { podLogsRoot: d.podLogsRoot, dns: await d.dnsFor(pod) });
    } catch (err) {
      return { error: new Error(`GeneratePodSandboxConfig for pod "${formatPod(pod)}" failed: ${(err as Error).message}`) };
    }
    if (actions.createSandbox) {
      try {
        await mkdir(podLogsDirectory(d.podLogsRoot, pod), { recursive: true });
        sandboxId = await d.runtime.runPodSandbox(sandboxConfig);
      } catch (err) {
        if (pod.metadata.deletionTimestamp) return {};
        d.recorder.event(podRef(pod), 'Warning', EVENTS.FailedCreatePodSandBox, `Failed to create pod sandbox: ${(err as Error).message}`);
        return { error: err as Error };
      }
      try {
        const sb = await d.runtime.podSandboxStatus(sandboxId);
        if (pod.spec?.hostNetwork !== true) podIPs = sb.network.ip ? [sb.network.ip, ...sb.network.additionalIps] : [];
      } catch (err) {
        d.recorder.event(podRef(pod), 'Warning', EVENTS.FailedStatusPodSandBox, `Unable to get pod sandbox status: ${(err as Error).message}`);
        return { error: err as Error };
      }
    }
    if (!sandboxId) return {};

    const start = async (container: Obj): Promise<boolean> => {
      try {
        await this.startContainer(pod, container, status, sandboxId, sandboxConfig, podIPs, volumePaths, volumes);
        d.reasons.remove(pod.metadata.uid, container.name);
        return true;
      } catch (err) {
        const e = err instanceof StartError ? err : new StartError(ERR_RUN_CONTAINER, (err as Error).message);
        d.reasons.add(pod.metadata.uid, container.name, { reason: e.reason, message: e.message });
        noteRetry(e.retryAt);
        result.error ??= e;
        return false;
      }
    };

    const inits: Obj[] = pod.spec?.initContainers ?? [];
    for (const idx of actions.initContainersToStart) {
      const c = inits[idx]!;
      if (!(await start(c)) && !isRestartableInitContainer(c)) return result;
    }
    const containers: Obj[] = pod.spec?.containers ?? [];
    for (const idx of actions.containersToStart) await start(containers[idx]!);
    return result;
  }

  /** startContainer: back-off, image, config, create, start, postStart. Throws a StartError. */
  private async startContainer(
    pod: Obj, container: Obj, status: PodRuntimeStatus, sandboxId: string, sandboxConfig: PodSandboxConfig,
    podIPs: string[], volumePaths: Map<string, string>, volumes: PodVolumes,
  ): Promise<void> {
    const d = this.d;
    const ref = containerRef(pod, container.name);
    const fail = (reason: string, message: string): never => {
      d.recorder.event(ref, 'Warning', EVENTS.FailedToCreateContainer, `Error: ${message}`);
      throw new StartError(reason, message);
    };

    // doBackOff: a container that exited waits out its back-off before the next start.
    const exited = status.containers.find((c) => c.name === container.name && c.state === 'exited');
    if (exited) {
      const key = stableKey(pod, container);
      if (d.backOff.isInBackOffSince(key, exited.finishedAt)) {
        d.recorder.event(ref, 'Warning', EVENTS.BackOffStartContainer, `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`);
        const wait = d.backOff.get(key);
        throw new StartError(ERR_CRASH_LOOP_BACKOFF, `back-off ${goSeconds(wait)} restarting failed container=${container.name} pod=${formatPod(pod)}`, exited.finishedAt + wait);
      }
      d.backOff.next(key, exited.finishedAt);
    }

    let image: string;
    try {
      image = await d.puller.ensureImageExists(pod, container, await d.pullSecretsFor(pod));
    } catch (err) {
      const e = err instanceof StartError ? err : new StartError('ErrImagePull', (err as Error).message);
      d.recorder.event(ref, 'Warning', EVENTS.FailedToCreateContainer, `Error: ${e.reason}`);
      throw e;
    }

    const latest = findContainerStatusByName(status, container.name);
    const restartCount = latest ? latest.restartCount + 1 : await restartCountFromLogDir(join(sandboxConfig.logDirectory, container.name));

    const nonRoot = verifyRunAsNonRoot(pod, container);
    if (nonRoot) fail(ERR_CREATE_CONTAINER_CONFIG, nonRoot);
    let envs: KeyValue[] = [];
    try {
      envs = await d.envFor(pod, container, podIPs);
    } catch (err) {
      fail(ERR_CREATE_CONTAINER_CONFIG, (err as Error).message);
    }
    let mounts: Mount[] = [];
    try {
      await mkdir(join(sandboxConfig.logDirectory, container.name), { recursive: true });
      let etcHostsPath: string | undefined;
      if (shouldMountHostsFile(pod as KObject, podIPs)) {
        const podDir = join(d.podsDir, pod.metadata.uid);
        etcHostsPath = join(podDir, 'etc-hosts');
        await mkdir(podDir, { recursive: true });
        await writeEtcHosts(etcHostsPath, pod as KObject, podIPs, { clusterDomain: d.clusterDomain });
      }
      mounts = await volumes.containerMounts(pod as KObject, container as V1Container, volumePaths, { env: envs, etcHostsPath });
      if (container.terminationMessagePath) {
        const hostPath = terminationLogHostPath(d.podsDir, pod.metadata.uid, container.name, restartCount);
        await mkdir(dirname(hostPath), { recursive: true });
        await writeFile(hostPath, '');
        await chmod(hostPath, 0o666);
        mounts.push({ containerPath: container.terminationMessagePath, hostPath, readonly: false });
      }
    } catch (err) {
      fail(ERR_CREATE_CONTAINER_CONFIG, (err as Error).message);
    }

    const config = generateContainerConfig({ pod, container, restartCount, image, envs, mounts, memoryCapacity: d.memoryCapacity() });
    let id: string;
    try {
      id = await d.runtime.createContainer(sandboxId, config, sandboxConfig);
    } catch (err) {
      fail(ERR_CREATE_CONTAINER, (err as Error).message);
    }
    d.recorder.event(ref, 'Normal', EVENTS.CreatedContainer, `Created container: ${container.name}`);
    try {
      await d.runtime.startContainer(id!);
    } catch (err) {
      const message = (err as Error).message.replaceAll(id!, container.name);
      d.recorder.event(ref, 'Warning', EVENTS.FailedToStartContainer, `Error: ${message}`);
      throw new StartError(ERR_RUN_CONTAINER, message);
    }
    d.recorder.event(ref, 'Normal', EVENTS.StartedContainer, `Started container ${container.name}`);

    const postStart = container.lifecycle?.postStart;
    if (postStart) {
      try {
        await d.runHook(postStart, pod, container, id!, new AbortController().signal, podIPs[0]);
      } catch (err) {
        d.log(`PostStartHook failed for container "${container.name}" of pod "${pod.metadata.namespace}/${pod.metadata.name}": ${(err as Error).message}`);
        // The message stays out of the event: it may carry secrets.
        d.recorder.event(ref, 'Warning', EVENTS.FailedPostStartHook, 'PostStartHook failed');
        await d.killer.killContainer({ pod, containerId: id!, containerName: container.name, message: 'FailedPostStartHook', reason: 'FailedPostStartHook' })
          .catch((e) => d.log(`failed to kill container "${container.name}": ${(e as Error).message}`));
        throw new StartError(ERR_POST_START_HOOK, (err as Error).message);
      }
    }
  }

  /** Keeps only the newest exited instance of each init container. */
  private async pruneInitContainers(pod: Obj, status: PodRuntimeStatus): Promise<void> {
    for (const c of pod.spec?.initContainers ?? []) {
      const done = status.containers.filter((s) => s.name === c.name && (s.state === 'exited' || s.state === 'unknown'));
      for (const s of done.slice(1)) await this.removeContainer(s.id);
    }
  }

  /** A new sandbox runs init containers from the start: the old instances go. */
  private async purgeInitContainers(pod: Obj, status: PodRuntimeStatus): Promise<void> {
    const names = new Set((pod.spec?.initContainers ?? []).map((c: Obj) => c.name));
    for (const s of status.containers) if (names.has(s.name)) await this.removeContainer(s.id);
  }

  private async removeContainer(id: string): Promise<void> {
    try {
      await this.d.runtime.removeContainer(id);
    } catch (err) {
      if (!isNotFound(err)) this.d.log(`failed to remove container ${id}: ${(err as Error).message}`);
    }
  }
}

/**
 * calcRestartCountByLogDir: with every instance gone (a runtime that lost its state), the log files
 * <n>.log still tell how often the container ran, so the count does not start again at 0.
 */
async function restartCountFromLogDir(dir: string): Promise<number> {
  let names: string[];
  try { names = await readdir(dir); } catch { return 0; }
  let count = 0;
  for (const n of names) {
    const m = /^(\d+)\.log(\..*)?$/.exec(n);
    if (m) count = Math.max(count, Number(m[1]) + 1);
  }
  return count;
}

/** A back-off duration as Go prints it: 10s, 1m20s, 5m0s. */
function goSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${s % 60}s`;
}
