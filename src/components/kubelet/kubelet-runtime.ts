// Which container runtime the kubelet uses (--container-runtime, --container-runtime-endpoint), and
// the processes behind it that this process starts: with no endpoint, as root, a containerd child
// with its config under the data dir (as k3s embeds containerd) and a local registry set as its mirror,
// so that pulls of the locally built images succeed offline as from a real registry.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { connectCri } from '../../kubelet/cri/connect-cri.ts';
import { startContainerd } from '../../kubelet/containerd/index.ts';
import { connectDocker } from '../../kubelet/docker/connect-docker.ts';
import { buildImages, startLocalRegistry } from '../../kubelet/images/index.ts';
import type { ContainerRuntime } from '../../kubelet/runtime/runtime-service.ts';
import type { KubeletFlags } from '../../options.ts';

export interface ResolvedRuntime {
  name: 'containerd' | 'docker';
  /** A runtime, or for Docker one that is made once the node's pod CIDR is known (its pod network). */
  connect: ContainerRuntime | ((podCIDR: string) => Promise<ContainerRuntime>);
  /** containerd's CNI config dir when this process runs containerd (the kubelet writes the pod network there). */
  cniConfDir?: string;
  /** Says what runs the containers, for the start-up line. */
  description: string;
  /** Stops what was started here (containerd keeps running containers' shims alive across it). */
  stop(): Promise<void>;
}

/** No runtime can be used; the message says why and what to do, in one line. */
export class NoRuntimeError extends Error {
  override name = 'NoRuntimeError';
}

const DEFAULT_DOCKER_ENDPOINT = 'unix:///var/run/docker.sock';

function onPath(binary: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, binary)));
}

/**
 * The local images (busybox, the nginx stand-in, the pod sandbox image) are (re)built into --images-dir
 * first when busybox-static is there, so `npm start` has a sandbox image without a separate step;
 * unchanged tarballs are left alone.
 */
async function ensureLocalImages(dir: string, log: (m: string) => void): Promise<void> {
  try {
    const built = await buildImages(dir);
    const fresh = built.filter((b) => b.status === 'built');
    if (fresh.length > 0) log(`kubelet: built ${fresh.map((b) => b.names[0]).join(', ')} in ${dir}`);
  } catch (err) {
    log(`kubelet: local images not built (${(err as Error).message}); pods need their images in the runtime already`);
  }
}

export async function resolveRuntime(o: { flags: KubeletFlags; dataDir: string; log: (m: string) => void }): Promise<ResolvedRuntime> {
  const { flags, log } = o;
  const images = ensureLocalImages(flags.imagesDir, log);
  if (flags.containerRuntime === 'docker') {
    const endpoint = flags.containerRuntimeEndpoint ?? DEFAULT_DOCKER_ENDPOINT;
    const socket = endpoint.replace(/^unix:\/\//, '');
    if (!existsSync(socket)) throw new NoRuntimeError(`no Docker engine at ${endpoint} (start dockerd, or pass --container-runtime-endpoint)`);
    await images;
    return {
      name: 'docker', description: `Docker at ${endpoint}`,
      connect: (podCIDR) => connectDocker({ socket, podCIDR, sandboxImage: flags.podInfraContainerImage, log }),
      stop: async () => {},
    };
  }
  if (flags.containerRuntimeEndpoint) {
    await images;
    const runtime = await connectCri(flags.containerRuntimeEndpoint).catch((err: Error) => {
      throw new NoRuntimeError(`cannot reach the container runtime at ${flags.containerRuntimeEndpoint}: ${err.message}`);
    });
    return { name: 'containerd', connect: runtime, description: `CRI runtime at ${flags.containerRuntimeEndpoint}`, stop: () => runtime.close() };
  }
  if (process.getuid?.() !== 0) throw new NoRuntimeError('not running as root, so no containerd is started (run as root, or pass --container-runtime-endpoint)');
  if (!onPath('containerd')) throw new NoRuntimeError('containerd is not installed (scripts/install-runtime.sh installs it from Debian\'s packages)');

  await images;
  const registry = await startLocalRegistry({ imagesDir: flags.imagesDir, log });
  const cniConfDir = join(o.dataDir, 'containerd', 'cni', 'net.d');
  let containerd: Awaited<ReturnType<typeof startContainerd>>;
  try {
    containerd = await startContainerd({ dataDir: o.dataDir, registryMirror: registry.url, sandboxImage: flags.podInfraContainerImage, cniConfDir, log });
  } catch (err) {
    await registry.close();
    throw new NoRuntimeError(`cannot start containerd: ${(err as Error).message}`);
  }
  let runtime: ContainerRuntime;
  try {
    runtime = await connectCri(containerd.endpoint);
  } catch (err) {
    await containerd.stop();
    await registry.close();
    throw new NoRuntimeError(`containerd started but its CRI endpoint does not answer: ${(err as Error).message}`);
  }
  return {
    name: 'containerd', connect: runtime, cniConfDir,
    description: `containerd (pid ${containerd.pid}, ${containerd.snapshotter} snapshotter, log ${containerd.logFile}) with a local registry mirror at ${registry.url}`,
    stop: async () => {
      await runtime.close();
      await containerd.stop();
      await registry.close();
    },
  };
}
