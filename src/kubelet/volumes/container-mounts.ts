// A container's CRI mounts (upstream makeMounts): each volumeMount on its volume's host path, a
// subPath/subPathExpr resolved inside the volume (created when missing, refused when a symlink
// leads out of it), configMap/secret/downwardAPI/projected and read-only claims mounted read-only,
// and the pod's managed /etc/hosts unless the container mounts its own.
import { mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { V1Container, V1PodSpec, V1Volume } from '@kubernetes/client-node';
import type { KObject } from '../../apimachinery/types.ts';
import { expandSubPathExpr } from '../env/environment.ts';
import { ETC_HOSTS_PATH } from '../etc-hosts.ts';
import type { KeyValue, Mount } from '../runtime/runtime-service.ts';
import { validatePathNoBacksteps } from './host-path.ts';

const PROJECTED_KINDS = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

/** configMap, secret, downwardAPI and projected volumes are mounted read-only, as upstream. */
export function volumeReadOnly(vol: V1Volume | undefined): boolean {
  if (!vol) return false;
  if (PROJECTED_KINDS.some((k) => vol[k])) return true;
  return !!vol.persistentVolumeClaim?.readOnly;
}

export async function containerMounts(
  pod: KObject, container: V1Container, volumePaths: ReadonlyMap<string, string>,
  opts: { env?: readonly KeyValue[]; etcHostsPath?: string } = {},
): Promise<Mount[]> {
  const volumes = new Map((((pod.spec ?? {}) as V1PodSpec).volumes ?? []).map((v) => [v.name, v]));
  const mounts: Mount[] = [];
  let mountHosts = !!opts.etcHostsPath;
  for (const vm of container.volumeMounts ?? []) {
    if (vm.mountPath === ETC_HOSTS_PATH) mountHosts = false;
    const volumePath = volumePaths.get(vm.name);
    if (volumePath === undefined) throw new Error(`cannot find volume "${vm.name}" to mount into container "${container.name}"`);
    const subPath = vm.subPathExpr ? expandSubPathExpr(vm, opts.env ?? []) : vm.subPath ?? '';
    const hostPath = subPath ? await prepareSubPath(volumePath, subPath, vm.name, container.name) : volumePath;
    mounts.push({
      containerPath: vm.mountPath.startsWith('/') ? vm.mountPath : `/${vm.mountPath}`,
      hostPath,
      readonly: !!vm.readOnly || volumeReadOnly(volumes.get(vm.name)),
    });
  }
  if (mountHosts) mounts.push({ containerPath: ETC_HOSTS_PATH, hostPath: opts.etcHostsPath!, readonly: false });
  return mounts;
}

/**
 * The real path of subPath inside the volume. Handing the runtime the resolved path (instead of
 * upstream's bind mount of it) keeps a symlink swapped in later from redirecting the mount.
 */
async function prepareSubPath(volumePath: string, subPath: string, volumeName: string, containerName: string): Promise<string> {
  if (isAbsolute(subPath)) throw new Error(`error SubPath \`${subPath}\` must not be an absolute path`);
  try {
    validatePathNoBacksteps(subPath);
  } catch (err) {
    throw new Error(`unable to provision SubPath \`${subPath}\`: ${(err as Error).message}`);
  }
  const target = join(volumePath, subPath);
  try {
    await stat(target);
  } catch {
    try {
      const mode = (await stat(volumePath)).mode & 0o7777;
      await mkdir(target, { recursive: true, mode });
    } catch {
      throw new Error(`failed to create subPath directory for volumeMount "${volumeName}" of container "${containerName}"`);
    }
  }
  const [root, resolved] = await Promise.all([realpath(volumePath), realpath(target)]);
  const rel = relative(root, resolved);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new Error(`failed to prepare subPath for volumeMount "${volumeName}" of container "${containerName}"`);
  }
  return resolved;
}
