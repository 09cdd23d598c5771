// RuntimeService over Docker, dockershim-style: each CRI call maps onto the Engine API through the
// sandbox, container, exec and stats parts.
import type {
  Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatus, ExecResult, PodSandbox, PodSandboxConfig,
  PodSandboxFilter, PodSandboxStatus, RuntimeService, StreamIO, VersionInfo,
} from '../runtime/runtime-service.ts';
import type { Duplex } from 'node:stream';
import * as containers from './docker-container.ts';
import * as execs from './docker-exec.ts';
import * as sandboxes from './docker-sandbox.ts';
import { listContainerStats } from './docker-stats.ts';
import type { DockerContext } from './docker-types.ts';

export class DockerRuntimeService implements RuntimeService {
  constructor(private readonly ctx: DockerContext) {}

  async version(): Promise<VersionInfo> {
    const v = await this.ctx.docker.json<{ Version: string; ApiVersion: string }>({ path: '/version' });
    return { runtimeName: 'docker', runtimeVersion: v.Version, runtimeApiVersion: v.ApiVersion };
  }

  runPodSandbox(config: PodSandboxConfig): Promise<string> {
    return sandboxes.runPodSandbox(this.ctx, config);
  }

  stopPodSandbox(podSandboxId: string): Promise<void> {
    return sandboxes.stopPodSandbox(this.ctx, podSandboxId);
  }

  removePodSandbox(podSandboxId: string): Promise<void> {
    return sandboxes.removePodSandbox(this.ctx, podSandboxId);
  }

  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
    return sandboxes.podSandboxStatus(this.ctx, podSandboxId);
  }

  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return sandboxes.listPodSandbox(this.ctx, filter);
  }

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    return containers.createContainer(this.ctx, podSandboxId, config, sandboxConfig);
  }

  startContainer(containerId: string): Promise<void> {
    return containers.startContainer(this.ctx, containerId);
  }

  stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    return containers.stopContainer(this.ctx, containerId, timeoutSeconds);
  }

  removeContainer(containerId: string): Promise<void> {
    return containers.removeContainer(this.ctx, containerId);
  }

  listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return containers.listContainers(this.ctx, filter);
  }

  containerStatus(containerId: string): Promise<ContainerStatus> {
    return containers.containerStatus(this.ctx, containerId);
  }

  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }> {
    return execs.execSync(this.ctx, containerId, cmd, timeoutSeconds);
  }

  exec(containerId: string, cmd: string[], io: StreamIO): Promise<ExecResult> {
    return execs.exec(this.ctx, containerId, cmd, io);
  }

  attach(containerId: string, io: StreamIO): Promise<ExecResult> {
    return execs.attach(this.ctx, containerId, io);
  }

  portForward(podSandboxId: string, port: number): Promise<Duplex> {
    return execs.portForward(this.ctx, podSandboxId, port);
  }

  listContainerStats(): Promise<ContainerStats[]> {
    return listContainerStats(this.ctx);
  }
}
