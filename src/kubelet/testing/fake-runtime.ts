// A fake RuntimeService/ImageService for unit and integration tests of the kubelet's own logic (sync,
// back-off, statuses, termination, adoption) — never for what the real runtimes do. Containers are
// "processes" on the injected clock: by default a command's `sleep N` and `exit N` decide how long
// it runs and its exit code (`sh -c "exit 1"` exits 1 at once; no exit runs until stopped), or a
// test's behaviour function decides. SIGTERM ends a process with 143 unless it ignores it, then
// SIGKILL after the timeout gives 137. Logs are written in the CRI format where the kubelet asks.
import { appendFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Clock, TimerHandle } from '../../client/clock.ts';
import { realClock } from '../../client/clock.ts';
import { TERMINATION_MESSAGE_PATH_ANNOTATION } from '../runtime-labels.ts';
import {
  RuntimeError,
  type Container, type ContainerConfig, type ContainerFilter, type ContainerRuntime, type ContainerStats, type ContainerStatus,
  type ExecResult, type Image, type ImageService, type PodSandbox, type PodSandboxConfig, type PodSandboxFilter,
  type PodSandboxStatus, type RuntimeService, type StreamIO, type VersionInfo,
} from '../runtime/runtime-service.ts';

/** How a fake container process behaves. */
export interface FakeProcess {
  /** Exit on its own after this long (ms); undefined runs until stopped. */
  runMs?: number;
  exitCode?: number;
  /** Lines written to stdout when it starts. */
  logs?: string[];
  /** Written to its terminationMessagePath when it exits. */
  terminationMessage?: string;
  /** Ignore SIGTERM: only the SIGKILL after the stop timeout ends it (137). */
  ignoreSigterm?: boolean;
  /** The exit code SIGTERM gives (default 143). */
  sigtermExitCode?: number;
  /** The runtime refuses to start it with this message. */
  startError?: string;
  /** What an exec in it (probes, hooks) returns; default exit 0. */
  exec?(cmd: string[]): { exitCode: number; stdout?: string };
}

export type FakeBehaviour = (config: ContainerConfig, sandbox: PodSandboxConfig) => FakeProcess | undefined;

export interface FakeRuntimeOptions {
  clock?: Clock;
  name?: 'containerd' | 'docker';
  version?: string;
  /** Images present at start (fully qualified references). */
  images?: string[];
  /** Images a pull finds; others fail as a registry's "not found". */
  registry?: string[];
  /** Addresses for sandboxes: <prefix>.2, .3, … */
  podIPPrefix?: string;
  behaviour?: FakeBehaviour;
}

interface FakeSandbox extends PodSandboxStatus {
  config: PodSandboxConfig;
}

interface FakeContainer extends ContainerStatus {
  config: ContainerConfig;
  process: FakeProcess;
  timer?: TimerHandle;
  /** Resolves when the process exits. */
  exited?: Promise<void>;
  onExit?: () => void;
}

/** The behaviour a container's command implies: `sleep N` runs N s, `exit N` ends with N. */
export function processFromCommand(config: ContainerConfig): FakeProcess {
  const script = [...config.command, ...config.args].join(' ');
  const exit = /\bexit (\d+)/.exec(script);
  const sleep = /\bsleep (\d+(?:\.\d+)?)/.exec(script);
  const echo = [...script.matchAll(/\becho ([^;&|]+)/g)].map((m) => m[1]!.trim().replace(/^['"]|['"]$/g, ''));
  const p: FakeProcess = { logs: echo };
  if (exit) {
    p.exitCode = Number(exit[1]);
    p.runMs = sleep ? Number(sleep[1]) * 1000 : 0;
  } else if (sleep) {
    p.exitCode = 0;
    p.runMs = Number(sleep[1]) * 1000;
  }
  return p;
}

function matches(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}

export class FakeRuntime implements RuntimeService, ImageService, ContainerRuntime {
  readonly name: 'containerd' | 'docker';
  readonly clock: Clock;
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  readonly imageStore = new Map<string, Image>();
  readonly registry: Set<string>;
  /** Every runtime call, in order ("startContainer <name>", …), for assertions. */
  readonly calls: string[] = [];
  behaviour?: FakeBehaviour;
  private seq = 0;
  private ipSeq = 1;
  private readonly version_: string;
  private readonly podIPPrefix: string;

  constructor(o: FakeRuntimeOptions = {}) {
    this.clock = o.clock ?? realClock;
    this.name = o.name ?? 'containerd';
    this.version_ = o.version ?? (this.name === 'docker' ? '20.10.24' : '1.6.20');
    this.registry = new Set(o.registry ?? []);
    this.podIPPrefix = o.podIPPrefix ?? '10.88.0';
    this.behaviour = o.behaviour;
    for (const i of o.images ?? []) this.addImage(i);
  }

  get runtime(): RuntimeService { return this; }
  get images(): ImageService { return this; }

  private nowNs(): bigint { return BigInt(this.clock.now()) * 1_000_000n; }
  private nextId(): string { return (++this.seq).toString(16).padStart(12, '0') + 'f'.repeat(52); }

  addImage(ref: string): Image {
    const img: Image = { id: `sha256:${(++this.seq).toString(16).padStart(64, '0')}`, repoTags: [ref], repoDigests: [], size: 1_000_000n };
    this.imageStore.set(ref, img);
    return img;
  }

  // --- RuntimeService ---------------------------------------------------------------------------

  async version(): Promise<VersionInfo> {
    return { runtimeName: this.name, runtimeVersion: this.version_, runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    this.calls.push(`runPodSandbox ${config.metadata.namespace}/${config.metadata.name}`);
    const id = this.nextId();
    const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
    this.sandboxes.set(id, {
      id, metadata: { ...config.metadata }, state: 'SANDBOX_READY', createdAt: this.nowNs(),
      labels: { ...config.labels }, annotations: { ...config.annotations }, config,
      network: { ip: hostNetwork ? '' : `${this.podIPPrefix}.${++this.ipSeq}`, additionalIps: [] },
      networkNamespace: hostNetwork ? 'NODE' : 'POD',
    });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    this.calls.push(`stopPodSandbox ${id}`);
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeError(`an error occurred when try to find sandbox "${id}": not found`, 'NotFound');
    for (const c of this.containers.values()) if (c.podSandboxId === id && c.state === 'CONTAINER_RUNNING') this.exit(c, 137, 'Error');
    sb.state = 'SANDBOX_NOTREADY';
    sb.network = { ip: '', additionalIps: [] };
  }

  async removePodSandbox(id: string): Promise<void> {
    this.calls.push(`removePodSandbox ${id}`);
    for (const c of [...this.containers.values()]) if (c.podSandboxId === id) await this.removeContainer(c.id);
    this.sandboxes.delete(id);
  }

  async podSandboxStatus(id: string): Promise<PodSandboxStatus> {
    const sb = this.sandboxes.get(id);
    if (!sb) throw new RuntimeError(`an error occurred when try to find sandbox "${id}": not found`, 'NotFound');
    const { config: _c, ...status } = sb;
    return structuredClone(status);
  }

  async listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()]
      .filter((s) => (!filter?.id || s.id === filter.id) && (!filter?.state || s.state === filter.state) && matches(s.labels, filter?.labelSelector))
      .map((s) => ({ id: s.id, metadata: { ...s.metadata }, state: s.state, createdAt: s.createdAt, labels: { ...s.labels }, annotations: { ...s.annotations } }));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    this.calls.push(`createContainer ${config.metadata.name}`);
    const sb = this.sandboxes.get(podSandboxId);
    if (!sb || sb.state !== 'SANDBOX_READY') throw new RuntimeError(`failed to create containerd container: sandbox "${podSandboxId}" is not running`);
    const image = this.imageStore.get(config.image) ?? [...this.imageStore.values()].find((i) => i.id === config.image);
    if (!image) throw new RuntimeError(`failed to create containerd container: get image "${config.image}": not found`, 'NotFound');
    const id = this.nextId();
    const logPath = join(sandboxConfig.logDirectory, config.logPath);
    this.containers.set(id, {
      id, podSandboxId, metadata: { ...config.metadata }, image: image.repoTags[0] ?? config.image, imageRef: image.id,
      state: 'CONTAINER_CREATED', createdAt: this.nowNs(), labels: { ...config.labels }, annotations: { ...config.annotations },
      startedAt: 0n, finishedAt: 0n, exitCode: 0, reason: '', message: '', logPath, logFormat: 'cri',
      config, process: this.behaviour?.(config, sandboxConfig) ?? processFromCommand(config),
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.container(id);
    this.calls.push(`startContainer ${c.metadata.name}`);
    if (c.state !== 'CONTAINER_CREATED') throw new RuntimeError(`container ${id} is not in created state`);
    if (c.process.startError) {
      this.exit(c, 128, 'StartError', c.process.startError);
      throw new RuntimeError(c.process.startError);
    }
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.nowNs();
    c.exited = new Promise((resolve) => { c.onExit = resolve; });
    await mkdir(dirname(c.logPath), { recursive: true });
    const stamp = new Date(this.clock.now()).toISOString();
    await writeFile(c.logPath, (c.process.logs ?? []).map((l) => `${stamp} stdout F ${l}\n`).join(''));
    if (c.process.runMs !== undefined) {
      c.timer = this.clock.setTimeout(() => this.exit(c, c.process.exitCode ?? 0), c.process.runMs);
    }
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    const c = this.container(id);
    this.calls.push(`stopContainer ${c.metadata.name} ${timeoutSeconds}`);
    if (c.state !== 'CONTAINER_RUNNING') {
      if (c.state === 'CONTAINER_CREATED') this.exit(c, 0);
      return;
    }
    if (!c.process.ignoreSigterm) {
      this.exit(c, c.process.sigtermExitCode ?? 143);
      return;
    }
    const kill = this.clock.setTimeout(() => this.exit(c, 137), timeoutSeconds * 1000);
    await c.exited;
    this.clock.clearTimeout(kill);
  }

  async removeContainer(id: string): Promise<void> {
    this.calls.push(`removeContainer ${id}`);
    const c = this.containers.get(id);
    if (!c) return;
    if (c.timer) this.clock.clearTimeout(c.timer);
    c.onExit?.();
    this.containers.delete(id);
  }

  async listContainers(filter?: ContainerFilter): Promise<Container[]> {
    return [...this.containers.values()]
      .filter((c) => (!filter?.id || c.id === filter.id) && (!filter?.podSandboxId || c.podSandboxId === filter.podSandboxId)
        && (!filter?.state || c.state === filter.state) && matches(c.labels, filter?.labelSelector))
      .map((c) => ({
        id: c.id, podSandboxId: c.podSandboxId, metadata: { ...c.metadata }, image: c.image, imageRef: c.imageRef, state: c.state,
        createdAt: c.createdAt, labels: { ...c.labels }, annotations: { ...c.annotations },
      }));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    const { config: _c, process: _p, timer: _t, exited: _e, onExit: _o, ...status } = this.container(id);
    return structuredClone(status);
  }

  async execSync(id: string, cmd: string[]): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }> {
    const c = this.container(id);
    this.calls.push(`execSync ${c.metadata.name} ${cmd.join(' ')}`);
    if (c.state !== 'CONTAINER_RUNNING') throw new RuntimeError(`container ${id} is not running`);
    const r = c.process.exec?.(cmd) ?? { exitCode: 0 };
    return { stdout: Buffer.from(r.stdout ?? ''), stderr: Buffer.alloc(0), exitCode: r.exitCode };
  }

  async exec(_id: string, _cmd: string[], _io: StreamIO): Promise<ExecResult> {
    throw new RuntimeError('exec is not supported by the fake runtime');
  }

  async attach(_id: string, _io: StreamIO): Promise<ExecResult> {
    throw new RuntimeError('attach is not supported by the fake runtime');
  }

  async portForward(_podSandboxId: string, _port: number): Promise<Duplex> {
    throw new RuntimeError('port forwarding is not supported by the fake runtime');
  }

  async listContainerStats(): Promise<ContainerStats[]> {
    return [...this.containers.values()].filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => ({
      id: c.id, podSandboxId: c.podSandboxId, name: c.metadata.name, cpuUsageCoreNanoSeconds: 0n, timestamp: this.nowNs(),
      memoryWorkingSetBytes: 0n, memoryUsageBytes: 0n, rssBytes: 0n,
    }));
  }

  // --- ImageService -------------------------------------------------------------------------

  async listImages(): Promise<Image[]> { return [...this.imageStore.values()]; }

  async imageStatus(image: string): Promise<Image | null> {
    return this.imageStore.get(image) ?? [...this.imageStore.values()].find((i) => i.id === image) ?? null;
  }

  async pullImage(image: string): Promise<string> {
    this.calls.push(`pullImage ${image}`);
    if (!this.registry.has(image)) {
      throw new RuntimeError(`failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`, 'NotFound');
    }
    return (this.imageStore.get(image) ?? this.addImage(image)).id;
  }

  async removeImage(image: string): Promise<void> { this.imageStore.delete(image); }

  async imageFsInfo(): Promise<{ mountpoint: string; usedBytes: bigint }> { return { mountpoint: '/', usedBytes: 0n }; }

  // --- ContainerRuntime -----------------------------------------------------------------------

  async importImages(tarballs: string[]): Promise<string[]> { return tarballs.map((t) => this.addImage(t).repoTags[0]!); }

  async close(): Promise<void> {
    for (const c of this.containers.values()) if (c.timer) this.clock.clearTimeout(c.timer);
  }

  // --- helpers for tests ----------------------------------------------------------------------

  /** Containers of a pod (by the io.kubernetes.pod.name label), oldest first. */
  containersOf(podName: string): ContainerStatus[] {
    return [...this.containers.values()].filter((c) => c.labels['io.kubernetes.pod.name'] === podName)
      .sort((a, b) => Number(a.createdAt - b.createdAt));
  }

  /** Makes a running container exit now (a crash). */
  crash(id: string, exitCode = 1): void {
    this.exit(this.container(id), exitCode);
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError(`an error occurred when try to find container "${id}": not found`, 'NotFound');
    return c;
  }

  private exit(c: FakeContainer, exitCode: number, reason?: string, message?: string): void {
    if (c.state === 'CONTAINER_EXITED') return;
    if (c.timer) this.clock.clearTimeout(c.timer);
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.finishedAt = this.nowNs();
    if (c.startedAt === 0n) c.startedAt = c.finishedAt;
    c.reason = reason ?? (exitCode === 0 ? 'Completed' : 'Error');
    if (message) c.message = message;
    const path = c.annotations[TERMINATION_MESSAGE_PATH_ANNOTATION];
    const mount = path ? c.config.mounts.find((m) => m.containerPath === path) : undefined;
    if (mount && c.process.terminationMessage !== undefined) appendFileSync(mount.hostPath, c.process.terminationMessage);
    c.onExit?.();
  }
}
