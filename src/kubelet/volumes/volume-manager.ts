// The pod volumes of one node (upstream's volume manager and the in-tree plugins this kubelet
// supports): each volume gets a host path under <podsDir>/<uid>/volumes/<plugin>/<name> (or the
// host's own path for hostPath and claim-backed volumes), container mounts are derived from the
// pod spec, projected contents are re-written atomically when their objects change, and teardown
// unmounts and removes the pod's directory.
import { chmod, mkdir, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { V1Container, V1PodSpec, V1Volume } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { quantityValue } from '../../apimachinery/quantity.ts';
import { realClock, type Clock } from '../../client/clock.ts';
import type { KubeClient } from '../../client/kube-client.ts';
import type { NodeAllocatable } from '../env/resource-field.ts';
import type { KeyValue, Mount } from '../runtime/runtime-service.ts';
import { writeAtomically, type Payload } from './atomic-writer.ts';
import { containerMounts } from './container-mounts.ts';
import { goFsErrorMessage } from './fs-errors.ts';
import { setUpHostPath } from './host-path.ts';
import { canMount, listMountPoints, mountTmpfs, unmountAllUnder } from './mount-points.ts';
import { clientObjectSource, type VolumeObjectSource } from './object-source.ts';
import { ClaimProcessingError, resolveClaim } from './persistent-volume-claim.ts';
import { configMapPayload, DEFAULT_MODE, downwardAPIPayload, projectedPayload, secretPayload } from './projections.ts';
import { VolumeSetUpError, type VolumeFailure } from './volume-errors.ts';

export const PLUGIN_DIRS = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
} as const;

const PROJECTED_KINDS = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

export interface VolumeManagerOptions {
  /** <dataDir>/pods */
  podsDir: string;
  client?: KubeClient;
  /** Overrides reading objects through client (informer-backed getters, or tests). */
  source?: VolumeObjectSource;
  nodeName: string;
  log: (message: string) => void;
  clock?: Clock;
  /** For resourceFieldRef items without a limit. */
  nodeAllocatable?: NodeAllocatable | (() => NodeAllocatable);
  /** Mount tmpfs for memory-backed volumes; default when running as root on Linux. */
  tmpfs?: boolean;
}

function podSpec(pod: KObject): V1PodSpec {
  return (pod.spec ?? { containers: [] }) as V1PodSpec;
}

function podUID(pod: KObject): string {
  const uid = pod.metadata.uid;
  if (!uid) throw new Error(`pod ${pod.metadata.namespace}/${pod.metadata.name} has no uid`);
  return uid;
}

function safeUID(uid: string): string {
  if (!uid || uid.includes('/') || uid === '.' || uid === '..') throw new Error(`invalid pod uid "${uid}"`);
  return uid;
}

export class VolumeManager {
  private readonly src: VolumeObjectSource;
  private readonly clock: Clock;
  private readonly tmpfs: boolean;
  private readonly mounted = new Set<string>();
  private mountsRead = false;
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: VolumeManagerOptions) {
    this.clock = opts.clock ?? realClock;
    if (opts.source) this.src = opts.source;
    else if (opts.client) this.src = clientObjectSource(opts.client, { clock: this.clock, log: opts.log });
    else throw new Error('VolumeManager needs a client or an object source');
    this.tmpfs = opts.tmpfs ?? canMount();
  }

  podDir(uid: string): string { return join(this.opts.podsDir, safeUID(uid)); }

  volumeDir(uid: string, plugin: string, name: string): string {
    return join(this.podDir(uid), 'volumes', plugin, name);
  }

  /** Sets up every volume of the pod; the map names each volume's host path. Idempotent. */
  setUpPodVolumes(pod: KObject): Promise<Map<string, string>> {
    return this.locked(podUID(pod), () => this.setUp(pod, podSpec(pod).volumes ?? []));
  }

  /** Re-projects configMap, secret, downwardAPI and projected volumes (an atomic swap when changed). */
  async refresh(pod: KObject): Promise<void> {
    const vols = (podSpec(pod).volumes ?? []).filter((v) => PROJECTED_KINDS.some((k) => v[k]));
    await this.locked(podUID(pod), () => this.setUp(pod, vols));
  }

  /** Unmounts what the pod's volumes mounted and removes <podsDir>/<uid> with all it holds. */
  tearDownPodVolumes(uid: string): Promise<void> {
    return this.locked(uid, async () => {
      const dir = this.podDir(uid);
      await unmountAllUnder(dir);
      for (const m of this.mounted) if (m.startsWith(dir + sep)) this.mounted.delete(m);
      await rm(dir, { recursive: true, force: true });
      this.src.forgetPod?.(uid);
    });
  }

  /**
   * The CRI mounts of a container: its volumeMounts (subPath/subPathExpr resolved inside the volume)
   * and, when etcHostsPath is given and the container does not mount /etc/hosts itself, that file.
   */
  containerMounts(
    pod: KObject, container: V1Container, volumePaths: ReadonlyMap<string, string>,
    opts: { env?: readonly KeyValue[]; etcHostsPath?: string } = {},
  ): Promise<Mount[]> {
    return containerMounts(pod, container, volumePaths, opts);
  }

  private async setUp(pod: KObject, volumes: V1Volume[]): Promise<Map<string, string>> {
    const paths = new Map<string, string>();
    const failures: VolumeFailure[] = [];
    for (const vol of volumes) {
      try {
        paths.set(vol.name, await this.setUpVolume(pod, vol));
      } catch (err) {
        if (err instanceof ClaimProcessingError) failures.push({ volume: vol.name, message: err.message, stage: 'process' });
        else {
          const named = (err as { volumeName?: string }).volumeName ?? vol.name;
          failures.push({ volume: vol.name, message: `MountVolume.SetUp failed for volume "${named}" : ${goFsErrorMessage(err)}`, stage: 'mount' });
        }
      }
    }
    if (failures.length) throw new VolumeSetUpError(failures);
    return paths;
  }

  private async setUpVolume(pod: KObject, vol: V1Volume): Promise<string> {
    const uid = podUID(pod);
    const ns = pod.metadata.namespace ?? '';
    if (vol.emptyDir) {
      const dir = this.volumeDir(uid, PLUGIN_DIRS.emptyDir, vol.name);
      await mkdir(dir, { recursive: true });
      if (vol.emptyDir.medium === 'Memory') {
        const size = vol.emptyDir.sizeLimit ? quantityValue(vol.emptyDir.sizeLimit) : undefined;
        await this.memoryBacked(dir, size, `emptyDir volume "${vol.name}" of pod ${ns}/${pod.metadata.name}`, true);
      }
      await chmod(dir, 0o777);
      return dir;
    }
    if (vol.hostPath) {
      await setUpHostPath(vol.hostPath.path, vol.hostPath.type);
      return vol.hostPath.path;
    }
    if (vol.persistentVolumeClaim) return this.setUpClaim(ns, vol.persistentVolumeClaim.claimName);
    if (vol.configMap) {
      return this.project(uid, PLUGIN_DIRS.configMap, vol.name, false, () =>
        configMapPayload(this.src, ns, vol.configMap!, vol.configMap!.defaultMode ?? DEFAULT_MODE));
    }
    if (vol.secret) {
      const s = vol.secret;
      return this.project(uid, PLUGIN_DIRS.secret, vol.name, true, () =>
        secretPayload(this.src, ns, s.secretName ?? '', s, s.defaultMode ?? DEFAULT_MODE));
    }
    if (vol.downwardAPI) {
      const d = vol.downwardAPI;
      return this.project(uid, PLUGIN_DIRS.downwardAPI, vol.name, true, async () =>
        downwardAPIPayload(pod, d.items, d.defaultMode ?? DEFAULT_MODE, this.allocatable()));
    }
    if (vol.projected) {
      return this.project(uid, PLUGIN_DIRS.projected, vol.name, true, () => projectedPayload(this.src, pod, vol.projected!, this.allocatable()));
    }
    const kind = Object.keys(vol).find((k) => k !== 'name') ?? 'unknown';
    throw new Error(`volume type ${kind} is not supported by this kubelet`);
  }

  private async setUpClaim(namespace: string, claimName: string): Promise<string> {
    const { pvName, pvSpec } = await resolveClaim(this.src, namespace, claimName);
    try {
      if (pvSpec.hostPath) {
        await setUpHostPath(pvSpec.hostPath.path, pvSpec.hostPath.type);
        return pvSpec.hostPath.path;
      }
      if (pvSpec.local) {
        try {
          await stat(pvSpec.local.path);
        } catch {
          throw new Error(`path "${pvSpec.local.path}" does not exist`);
        }
        return pvSpec.local.path;
      }
      const kind = Object.keys(pvSpec).find((k) => !['accessModes', 'capacity', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName',
        'volumeMode', 'nodeAffinity', 'mountOptions', 'volumeAttributesClassName'].includes(k)) ?? 'unknown';
      throw new Error(`persistent volume source ${kind} is not supported by this kubelet`);
    } catch (err) {
      // Events name a claim's volume by the PersistentVolume, as upstream.
      throw Object.assign(err as Error, { volumeName: pvName });
    }
  }

  private async project(uid: string, plugin: string, name: string, memory: boolean, payload: () => Promise<Payload>): Promise<string> {
    const dir = this.volumeDir(uid, plugin, name);
    await mkdir(dir, { recursive: true, mode: 0o755 });
    if (memory) await this.memoryBacked(dir, undefined, `${plugin.split('~')[1]} volume "${name}"`, false);
    await writeAtomically(dir, await payload(), this.clock.now());
    return dir;
  }

  /** A tmpfs at dir unless already mounted; falls back to the directory on disk (saying so). */
  private async memoryBacked(dir: string, sizeBytes: number | undefined, what: string, warn: boolean): Promise<void> {
    if (!this.mountsRead) {
      for (const p of await listMountPoints()) if (p.startsWith(this.opts.podsDir + sep)) this.mounted.add(p);
      this.mountsRead = true;
    }
    if (this.mounted.has(dir)) return;
    if (!this.tmpfs) {
      if (warn) this.opts.log(`${what}: medium Memory needs root to mount a tmpfs; using a directory on disk instead`);
      this.mounted.add(dir);
      return;
    }
    try {
      await mountTmpfs(dir, sizeBytes);
    } catch (err) {
      this.opts.log(`${what}: mounting a tmpfs failed (${(err as Error).message}); using a directory on disk instead`);
    }
    // Either way, do not try again for this directory.
    this.mounted.add(dir);
  }

  private allocatable(): NodeAllocatable | undefined {
    const a = this.opts.nodeAllocatable;
    return typeof a === 'function' ? a() : a;
  }

  private locked<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(uid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.locks.set(uid, settled);
    void settled.then(() => { if (this.locks.get(uid) === settled) this.locks.delete(uid); });
    return next;
  }
}
