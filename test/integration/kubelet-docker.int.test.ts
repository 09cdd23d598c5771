// Issue 4's acceptance on Docker (--container-runtime=docker): the same pod suite as on containerd.
// dockerd gets the local registry as its docker.io mirror, as a user would set registry-mirrors.
import { connectDocker } from '../../src/kubelet/docker/connect-docker.ts';
import { startLocalRegistry } from '../../src/kubelet/images/index.ts';
import { DOCKER_SOCKET, startTestDockerd } from '../helpers/dockerd.ts';
import { containerdSkipReason } from '../helpers/containerd.ts';
import { kubeletAcceptanceSuite } from '../helpers/kubelet-suite.ts';
import { existsSync } from 'node:fs';

kubeletAcceptanceSuite({
  name: 'docker',
  clusterCIDR: '10.247.0.0/16',
  skipReason: () => {
    if (process.getuid?.() !== 0) return 'dockerd needs root';
    if (!(process.env.PATH ?? '').split(':').some((d) => d && existsSync(`${d}/dockerd`))) return 'dockerd is not installed (Debian package docker.io)';
    return containerdSkipReason();
  },
  prepare: async (imagesDir) => {
    const registry = await startLocalRegistry({ imagesDir });
    const dockerd = await startTestDockerd({ registryMirror: registry.url });
    if ('skip' in dockerd) {
      await registry.close();
      throw new Error(`dockerd could not be started: ${dockerd.skip}`);
    }
    return {
      flags: ['--container-runtime=docker', '--container-runtime-endpoint', `unix://${dockerd.socket}`],
      cleanup: async () => {
        await dockerd.stop();
        await registry.close();
      },
    };
  },
  inspect: async () => {
    const rt = await connectDocker({ socket: DOCKER_SOCKET });
    return { runtime: rt.runtime, close: () => rt.close() };
  },
});
