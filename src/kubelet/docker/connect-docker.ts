// connectDocker: the kubelet's runtime when it drives Docker (--container-runtime docker). Checks the
// daemon answers with API 1.41 or later, makes sure the pod network exists on the node's podCIDR, and
// returns the CRI-shaped services over the Engine API.
import { readFileSync } from 'node:fs';
import type { ContainerRuntime } from '../runtime/runtime-service.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { DOCKER_API_VERSION, DockerClient } from './docker-client.ts';
import { DockerImageService, importImages } from './docker-image-service.ts';
import { DEFAULT_NETWORK_NAME, ensurePodNetwork } from './docker-network.ts';
import { DockerRuntimeService } from './docker-runtime-service.ts';
import type { DockerContext } from './docker-types.ts';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';
export const DEFAULT_SANDBOX_IMAGE = 'k8ts.local/pause:3.10';

export interface DockerRuntimeOptions {
  socket?: string;
  /** The node's spec.podCIDR: the pod network's subnet. Without it Docker picks one. */
  podCIDR?: string;
  sandboxImage?: string;
  /** The user-defined bridge network pods join (default "k8ts"). */
  networkName?: string;
  /**
   * Set when several kubelets share one dockerd: objects carry it as a label and each kubelet lists
   * only its own (give each its own networkName and podCIDR too).
   */
  scope?: string;
  log?: (message: string) => void;
}

export async function connectDocker(opts: DockerRuntimeOptions = {}): Promise<ContainerRuntime> {
  const socket = opts.socket ?? DEFAULT_DOCKER_SOCKET;
  const log = opts.log ?? (() => {});
  const docker = new DockerClient(socket);
  try {
    const v = await docker.json<{ Version: string; ApiVersion: string }>({ path: '/version' });
    if (compareApiVersions(v.ApiVersion, DOCKER_API_VERSION) < 0) {
      throw new RuntimeError(`Docker ${v.Version} speaks API ${v.ApiVersion}; k8ts needs ${DOCKER_API_VERSION} or later (Docker 20.10+)`, 'Unavailable');
    }
    const network = await ensurePodNetwork(docker, opts.networkName ?? DEFAULT_NETWORK_NAME, opts.podCIDR, log);
    const ctx: DockerContext = {
      docker,
      network,
      sandboxImage: opts.sandboxImage ?? DEFAULT_SANDBOX_IMAGE,
      scope: opts.scope,
      minOomScoreAdj: ownOomScoreAdj(),
      log,
    };
    log(`connected to Docker ${v.Version} (API ${v.ApiVersion}) at unix://${socket}; pod network "${network.name}" ${network.subnet}`);
    return {
      name: 'docker',
      runtime: new DockerRuntimeService(ctx),
      images: new DockerImageService(docker),
      importImages: (tarballs) => importImages(docker, tarballs),
      close: async () => docker.close(),
    };
  } catch (err) {
    docker.close();
    throw err;
  }
}

export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Containers may not get a lower oom_score_adj than the kubelet's own: hosts that deny lowering it
 * would fail every container start (containerd's restrict_oom_score_adj does the same).
 */
function ownOomScoreAdj(): number {
  try {
    return Number(readFileSync('/proc/self/oom_score_adj', 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}
