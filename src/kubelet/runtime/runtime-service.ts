// The kubelet's view of a container runtime, shaped like CRI v1 (k8s.io/cri-api runtime.v1): the
// containerd implementation (src/kubelet/cri) maps it 1:1 onto the gRPC API, the Docker one
// (src/kubelet/docker) onto the Engine API with a pause-style container holding the pod's namespaces.
// Field names follow CRI's protobuf fields in camelCase; times are Unix nanoseconds as bigint.
import type { Duplex, Readable, Writable } from 'node:stream';

export type KeyValue = { key: string; value: string };

export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface ContainerMetadata { name: string; attempt: number }

export interface PortMapping { protocol: 'TCP' | 'UDP' | 'SCTP'; containerPort: number; hostPort: number; hostIp: string }
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly: boolean;
  /** CRI's selinuxRelabel and propagation are not used. */
}

export interface DNSConfig { servers: string[]; searches: string[]; options: string[] }

export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
}

export interface LinuxContainerSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  privileged?: boolean;
  capabilities?: { addCapabilities: string[]; dropCapabilities: string[] };
  /** NODE = the host's network namespace (hostNetwork), POD = the sandbox's. */
  namespaceOptions?: { network?: 'POD' | 'NODE'; pid?: 'POD' | 'CONTAINER' | 'NODE'; ipc?: 'POD' | 'NODE' };
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname: string;
  /** Directory under which container log files (logPath) live. */
  logDirectory: string;
  dnsConfig?: DNSConfig;
  portMappings: PortMapping[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux?: {
    cgroupParent?: string;
    securityContext?: { namespaceOptions?: LinuxContainerSecurityContext['namespaceOptions']; privileged?: boolean };
  };
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** A fully qualified reference (docker.io/library/busybox:latest) or an image id. */
  image: string;
  command: string[];
  args: string[];
  workingDir: string;
  envs: KeyValue[];
  mounts: Mount[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Relative to the sandbox's logDirectory. */
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: bigint;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PodSandboxStatus extends PodSandbox {
  /** The pod's primary IP and the others (dual stack); empty for host-network pods. */
  network: { ip: string; additionalIps: string[] };
  /** NODE when the sandbox uses the host's network namespace. */
  networkNamespace: 'POD' | 'NODE';
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: string;
  imageRef: string;
  state: ContainerState;
  createdAt: bigint;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface ContainerStatus extends Container {
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  /** e.g. "Completed", "Error", "OOMKilled" for exited containers. */
  reason: string;
  message: string;
  /** Absolute path of the container's log file (CRI log format, or Docker's json-file format). */
  logPath: string;
  logFormat: 'cri' | 'docker-json';
}

export interface ContainerStats {
  id: string;
  podSandboxId: string;
  name: string;
  /** Nanoseconds; cumulative CPU time. */
  cpuUsageCoreNanoSeconds: bigint;
  /** When the sample was taken (Unix ns). */
  timestamp: bigint;
  memoryWorkingSetBytes: bigint;
  memoryUsageBytes: bigint;
  rssBytes: bigint;
}

export interface ContainerFilter { id?: string; podSandboxId?: string; state?: ContainerState; labelSelector?: Record<string, string> }
export interface PodSandboxFilter { id?: string; state?: PodSandboxState; labelSelector?: Record<string, string> }

/** The streams of an exec or attach session, as the kubelet's streaming server hands them over. */
export interface StreamIO {
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  tty: boolean;
  /** Terminal size changes (tty only). */
  resize?: AsyncIterable<{ width: number; height: number }>;
}

export interface ExecResult { exitCode: number }

export interface VersionInfo { runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }

export interface RuntimeService {
  version(): Promise<VersionInfo>;
  /**
   * CRI UpdateRuntimeConfig: the node's pod CIDR, once the control plane allocated it. containerd's
   * implementation writes the CNI config for it; Docker's creates the pod bridge network on it.
   */
  updateRuntimeConfig?(podCIDR: string): Promise<void>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  podSandboxStatus(podSandboxId: string): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Sends the stop signal, then SIGKILL after timeoutSeconds. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<Container[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;

  /** Runs a command to completion (exec probes, hooks); stdout/stderr capped by the runtime. */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number }>;
  /** An interactive exec; resolves when the command exits. */
  exec(containerId: string, cmd: string[], io: StreamIO): Promise<ExecResult>;
  /** Attaches to the container's main process; resolves when it exits or the client detaches. */
  attach(containerId: string, io: StreamIO): Promise<ExecResult>;
  /** A byte stream to `port` inside the pod's network namespace. */
  portForward(podSandboxId: string, port: number): Promise<Duplex>;

  listContainerStats(): Promise<ContainerStats[]>;
}

export interface Image { id: string; repoTags: string[]; repoDigests: string[]; size: bigint }

export interface ImageService {
  listImages(): Promise<Image[]>;
  /** null when the runtime does not have it. */
  imageStatus(image: string): Promise<Image | null>;
  /** Returns the image reference (id or digest) the runtime pulled; rejects with the runtime's message. */
  pullImage(image: string, auth?: { username?: string; password?: string; auth?: string }): Promise<string>;
  removeImage(image: string): Promise<void>;
  /** Filesystem usage of the image store (for node stats and ephemeral-storage). */
  imageFsInfo(): Promise<{ mountpoint: string; usedBytes: bigint }>;
}

/** A runtime the kubelet talks to, with the process that backs it when the kubelet started it. */
export interface ContainerRuntime {
  name: 'containerd' | 'docker';
  runtime: RuntimeService;
  images: ImageService;
  /** Loads image tarballs (docker-archive / OCI) into the runtime's store. */
  importImages(tarballs: string[]): Promise<string[]>;
  close(): Promise<void>;
}

/** A runtime error whose message the kubelet copies into container statuses and events. */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(message: string, readonly code: 'NotFound' | 'Unavailable' | 'Unknown' | 'DeadlineExceeded' = 'Unknown') {
    super(message);
  }
}
