// runtime-service types ⇄ CRI v1 messages (as @grpc/proto-loader reads and writes them: camelCase
// fields, enums as names, int64 as decimal strings, maps as {key, value} entry lists).
import type {
  Container, ContainerConfig, ContainerFilter, ContainerStats, ContainerStatus, Image, LinuxContainerSecurityContext,
  PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus,
} from '../runtime/runtime-service.ts';

/** Messages as proto-loader decodes them (defaults: true, so every field is present). */
export type CriMessage = Record<string, any>;

type Entry = { key: string; value: string };

export function toEntries(record: Record<string, string> | undefined): Entry[] {
  return Object.entries(record ?? {}).map(([key, value]) => ({ key, value }));
}

export function fromEntries(entries: Entry[] | undefined): Record<string, string> {
  return Object.fromEntries((entries ?? []).map((e) => [e.key, e.value]));
}

/** int64/uint64 fields arrive as decimal strings (longs: String). */
export function toBigInt(value: string | number | null | undefined): bigint {
  return value === null || value === undefined || value === '' ? 0n : BigInt(value);
}

/** A google.protobuf-style wrapper ({ value }) or null. */
function wrapped(v: { value: string | number } | null | undefined): bigint {
  return toBigInt(v?.value);
}

// Unset namespace modes: CRI's zero value for pid is POD (one PID namespace per pod), but the kubelet
// gives each container its own unless spec.shareProcessNamespace, so CONTAINER is our default.
function namespaceOptions(ns: LinuxContainerSecurityContext['namespaceOptions']): CriMessage {
  return { network: ns?.network ?? 'POD', pid: ns?.pid ?? 'CONTAINER', ipc: ns?.ipc ?? 'POD' };
}

export function toCriSandboxConfig(c: PodSandboxConfig): CriMessage {
  const hostNetwork = c.linux?.securityContext?.namespaceOptions?.network === 'NODE';
  return {
    metadata: c.metadata,
    // A host-network pod shares the node's UTS namespace too: runc refuses to set a hostname there
    // ("unable to set hostname without a private UTS namespace"), so, as the kubelet, none is sent.
    hostname: hostNetwork ? '' : c.hostname,
    logDirectory: c.logDirectory,
    dnsConfig: c.dnsConfig ?? null,
    portMappings: c.portMappings.map((p) => ({ protocol: p.protocol, containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIp })),
    labels: toEntries(c.labels),
    annotations: toEntries(c.annotations),
    linux: {
      cgroupParent: c.linux?.cgroupParent ?? '',
      securityContext: {
        namespaceOptions: namespaceOptions(c.linux?.securityContext?.namespaceOptions),
        privileged: c.linux?.securityContext?.privileged ?? false,
      },
    },
  };
}

export function toCriContainerConfig(c: ContainerConfig): CriMessage {
  const sc = c.linux?.securityContext;
  const r = c.linux?.resources;
  return {
    metadata: c.metadata,
    image: { image: c.image },
    command: c.command,
    args: c.args,
    workingDir: c.workingDir,
    envs: c.envs,
    mounts: c.mounts.map((m) => ({ containerPath: m.containerPath, hostPath: m.hostPath, readonly: m.readonly })),
    labels: toEntries(c.labels),
    annotations: toEntries(c.annotations),
    logPath: c.logPath,
    stdin: c.stdin,
    stdinOnce: c.stdinOnce,
    tty: c.tty,
    linux: {
      resources: r
        ? { cpuPeriod: r.cpuPeriod ?? 0, cpuQuota: r.cpuQuota ?? 0, cpuShares: r.cpuShares ?? 0, memoryLimitInBytes: r.memoryLimitInBytes ?? 0, oomScoreAdj: r.oomScoreAdj ?? 0 }
        : null,
      securityContext: {
        namespaceOptions: namespaceOptions(sc?.namespaceOptions),
        privileged: sc?.privileged ?? false,
        readonlyRootfs: sc?.readonlyRootfs ?? false,
        // Int64Value wrappers: absent means "the image's user", { value: 0 } means root.
        runAsUser: sc?.runAsUser === undefined ? null : { value: sc.runAsUser },
        runAsGroup: sc?.runAsGroup === undefined ? null : { value: sc.runAsGroup },
        capabilities: sc?.capabilities ? { addCapabilities: sc.capabilities.addCapabilities, dropCapabilities: sc.capabilities.dropCapabilities } : null,
      },
    },
  };
}

export function toCriSandboxFilter(f: PodSandboxFilter | undefined): CriMessage | null {
  if (!f) return null;
  return { id: f.id ?? '', state: f.state ? { state: f.state } : null, labelSelector: toEntries(f.labelSelector) };
}

export function toCriContainerFilter(f: ContainerFilter | undefined): CriMessage | null {
  if (!f) return null;
  return { id: f.id ?? '', podSandboxId: f.podSandboxId ?? '', state: f.state ? { state: f.state } : null, labelSelector: toEntries(f.labelSelector) };
}

export function fromCriSandbox(s: CriMessage): PodSandbox {
  return {
    id: s.id,
    metadata: { name: s.metadata?.name ?? '', uid: s.metadata?.uid ?? '', namespace: s.metadata?.namespace ?? '', attempt: s.metadata?.attempt ?? 0 },
    state: s.state,
    createdAt: toBigInt(s.createdAt),
    labels: fromEntries(s.labels),
    annotations: fromEntries(s.annotations),
  };
}

export function fromCriSandboxStatus(s: CriMessage): PodSandboxStatus {
  const hostNetwork = s.linux?.namespaces?.options?.network === 'NODE';
  return {
    ...fromCriSandbox(s),
    network: { ip: s.network?.ip ?? '', additionalIps: (s.network?.additionalIps ?? []).map((p: { ip: string }) => p.ip) },
    networkNamespace: hostNetwork ? 'NODE' : 'POD',
  };
}

export function fromCriContainer(c: CriMessage): Container {
  return {
    id: c.id,
    podSandboxId: c.podSandboxId,
    metadata: { name: c.metadata?.name ?? '', attempt: c.metadata?.attempt ?? 0 },
    image: c.image?.image ?? '',
    imageRef: c.imageRef,
    state: c.state,
    createdAt: toBigInt(c.createdAt),
    labels: fromEntries(c.labels),
    annotations: fromEntries(c.annotations),
  };
}

/** ContainerStatus has no podSandboxId; the caller knows it (from ListContainers) or leaves it empty. */
export function fromCriContainerStatus(s: CriMessage, podSandboxId = ''): ContainerStatus {
  return {
    ...fromCriContainer({ ...s, podSandboxId }),
    startedAt: toBigInt(s.startedAt),
    finishedAt: toBigInt(s.finishedAt),
    exitCode: s.exitCode,
    reason: s.reason,
    message: s.message,
    logPath: s.logPath,
    logFormat: 'cri',
  };
}

export function fromCriContainerStats(s: CriMessage, podSandboxId: string): ContainerStats {
  return {
    id: s.attributes?.id ?? '',
    podSandboxId,
    name: s.attributes?.metadata?.name ?? '',
    cpuUsageCoreNanoSeconds: wrapped(s.cpu?.usageCoreNanoSeconds),
    timestamp: toBigInt(s.cpu?.timestamp ?? s.memory?.timestamp),
    memoryWorkingSetBytes: wrapped(s.memory?.workingSetBytes),
    memoryUsageBytes: wrapped(s.memory?.usageBytes),
    rssBytes: wrapped(s.memory?.rssBytes),
  };
}

export function fromCriImage(i: CriMessage): Image {
  return { id: i.id, repoTags: i.repoTags ?? [], repoDigests: i.repoDigests ?? [], size: toBigInt(i.size) };
}
