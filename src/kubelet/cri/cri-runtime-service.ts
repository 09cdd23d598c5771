// RuntimeService over CRI v1 gRPC: one call per method, as the kubelet's remote runtime client.
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import {
  type ContainerConfig, type ContainerFilter, type ContainerStats, type ContainerStatus, type ExecResult,
  type PodSandboxConfig, type PodSandboxFilter, type PodSandboxStatus, type RuntimeService, type StreamIO, RuntimeError,
} from '../runtime/runtime-service.ts';
import {
  type CriMessage, fromCriContainer, fromCriContainerStats, fromCriContainerStatus, fromCriSandbox, fromCriSandboxStatus,
  toCriContainerConfig, toCriContainerFilter, toCriSandboxConfig, toCriSandboxFilter,
} from './cri-convert.ts';
import type { CriClient } from './cri-grpc-client.ts';
import { runStreamingSession } from './cri-streaming.ts';

// Sandbox set-up runs CNI and may pull the sandbox image; stopping waits for the grace period.
const SANDBOX_TIMEOUT_MS = 4 * 60_000;
// On top of a command's own timeout (ExecSync, StopContainer), as the kubelet adds its request timeout.
const GRACE_MS = 30_000;

export function criRuntimeService(cri: CriClient): RuntimeService {
  const rt = <T = CriMessage>(method: string, request: object, timeoutMs?: number): Promise<T> => cri.call<T>('RuntimeService', method, request, timeoutMs);

  const service: RuntimeService = {
    async version() {
      const v = await rt('Version', { version: 'v1' });
      return { runtimeName: v.runtimeName, runtimeVersion: v.runtimeVersion, runtimeApiVersion: v.runtimeApiVersion };
    },

    async runPodSandbox(config: PodSandboxConfig) {
      const res = await rt('RunPodSandbox', { config: toCriSandboxConfig(config), runtimeHandler: '' }, SANDBOX_TIMEOUT_MS);
      return res.podSandboxId as string;
    },
    async stopPodSandbox(podSandboxId: string) {
      await rt('StopPodSandbox', { podSandboxId }, SANDBOX_TIMEOUT_MS);
    },
    async removePodSandbox(podSandboxId: string) {
      await rt('RemovePodSandbox', { podSandboxId }, SANDBOX_TIMEOUT_MS);
    },
    async podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus> {
      const res = await rt('PodSandboxStatus', { podSandboxId, verbose: false });
      return fromCriSandboxStatus(res.status);
    },
    async listPodSandbox(filter?: PodSandboxFilter) {
      const res = await rt('ListPodSandbox', { filter: toCriSandboxFilter(filter) });
      return (res.items as CriMessage[]).map(fromCriSandbox);
    },

    async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig) {
      const res = await rt('CreateContainer', { podSandboxId, config: toCriContainerConfig(config), sandboxConfig: toCriSandboxConfig(sandboxConfig) }, SANDBOX_TIMEOUT_MS);
      return res.containerId as string;
    },
    async startContainer(containerId: string) {
      await rt('StartContainer', { containerId }, SANDBOX_TIMEOUT_MS);
    },
    async stopContainer(containerId: string, timeoutSeconds: number) {
      await rt('StopContainer', { containerId, timeout: timeoutSeconds }, timeoutSeconds * 1000 + GRACE_MS);
    },
    async removeContainer(containerId: string) {
      await rt('RemoveContainer', { containerId });
    },
    async listContainers(filter?: ContainerFilter) {
      const res = await rt('ListContainers', { filter: toCriContainerFilter(filter) });
      return (res.containers as CriMessage[]).map(fromCriContainer);
    },
    async containerStatus(containerId: string): Promise<ContainerStatus> {
      // CRI's ContainerStatus does not name the sandbox; the container list does.
      const [status, listed] = await Promise.all([
        rt('ContainerStatus', { containerId, verbose: false }),
        rt('ListContainers', { filter: { id: containerId } }),
      ]);
      const sandbox = (listed.containers as CriMessage[]).find((c) => c.id === status.status.id)?.podSandboxId ?? '';
      return fromCriContainerStatus(status.status, sandbox);
    },

    async execSync(containerId: string, cmd: string[], timeoutSeconds: number) {
      const res = await rt('ExecSync', { containerId, cmd, timeout: timeoutSeconds }, timeoutSeconds > 0 ? timeoutSeconds * 1000 + GRACE_MS : undefined);
      return { stdout: res.stdout as Buffer, stderr: res.stderr as Buffer, exitCode: res.exitCode as number };
    },
    async exec(containerId: string, cmd: string[], io: StreamIO): Promise<ExecResult> {
      const streams = sessionStreams(io);
      const res = await rt('Exec', { containerId, cmd, ...streams });
      return runStreamingSession(res.url, io, streams);
    },
    async attach(containerId: string, io: StreamIO): Promise<ExecResult> {
      const streams = sessionStreams(io);
      const res = await rt('Attach', { containerId, ...streams });
      return runStreamingSession(res.url, io, streams);
    },
    async portForward(podSandboxId: string, port: number): Promise<Duplex> {
      // Not CRI's PortForward (a SPDY session to containerd's streaming server): a plain TCP connection
      // to the pod's IP reaches the same socket, since the node routes to the pod network. Host-network
      // pods listen on the node itself.
      const status = await service.podSandboxStatus(podSandboxId);
      const host = status.networkNamespace === 'NODE' ? '127.0.0.1' : status.network.ip;
      if (!host) throw new RuntimeError(`pod sandbox ${podSandboxId} has no IP address`);
      return connectTcp(host, port);
    },

    async listContainerStats(): Promise<ContainerStats[]> {
      // ContainerAttributes carry no sandbox id; the container list has it.
      const [stats, listed] = await Promise.all([rt('ListContainerStats', { filter: null }), rt('ListContainers', { filter: null })]);
      const sandboxOf = new Map((listed.containers as CriMessage[]).map((c) => [c.id as string, c.podSandboxId as string]));
      return (stats.stats as CriMessage[]).map((s) => fromCriContainerStats(s, sandboxOf.get(s.attributes?.id) ?? ''));
    },
  };
  return service;
}

/** Which streams the session has; CRI rejects tty together with stderr (a terminal has one output). */
function sessionStreams(io: StreamIO): { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean } {
  return { stdin: !!io.stdin, stdout: !!io.stdout, stderr: !!io.stderr && !io.tty, tty: io.tty };
}

function connectTcp(host: string, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => resolve(socket));
    // Kept after connecting: a later error then closes the socket (its user sees 'close') instead of
    // being thrown as an unhandled 'error' event.
    socket.on('error', (err) => reject(new RuntimeError(`failed to connect to ${host}:${port} inside the pod's network namespace: ${err.message}`)));
  });
}
