// CRI sandbox and container configs to Docker's container-create bodies (pure, so they are tested
// without a daemon). The sandbox is a pause container on the pod network (or the host's); the pod's
// containers join its network and IPC namespaces (and its PID namespace when shared), as dockershim did.
import { join } from 'node:path';
import type { ContainerConfig, LinuxContainerSecurityContext, PodSandboxConfig, PortMapping } from '../runtime/runtime-service.ts';
import {
  CONTAINER_LOG_PATH_LABEL, CONTAINER_NAME_LABEL, CONTAINER_TYPE_CONTAINER, CONTAINER_TYPE_LABEL, CONTAINER_TYPE_SANDBOX,
  POD_NAME_LABEL, POD_NAMESPACE_LABEL, POD_UID_LABEL, SANDBOX_CONTAINER_NAME, SANDBOX_ID_LABEL, SCOPE_LABEL, makeLabels,
} from './docker-labels.ts';

export interface CreateOptions {
  /** The pod network's name (user-defined bridge). */
  networkName: string;
  scope?: string;
  /** The lowest oom_score_adj the runtime may set (these hosts refuse negative values for unprivileged processes). */
  minOomScoreAdj: number;
}

/** CPU shares of the pause container (dockershim's defaultSandboxCPUshares). */
const SANDBOX_CPU_SHARES = 2;
/** Kubernetes pods run without a seccomp profile unless they ask for one; Docker would apply its default. */
const SECURITY_OPT = ['seccomp=unconfined'];
const LOG_CONFIG = { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '5' } };

function isHostNetwork(config: PodSandboxConfig): boolean {
  return config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
}

function podIdentityLabels(config: PodSandboxConfig): Record<string, string> {
  const m = config.metadata;
  return { [POD_NAME_LABEL]: m.name, [POD_NAMESPACE_LABEL]: m.namespace, [POD_UID_LABEL]: m.uid };
}

export function makePortsAndBindings(mappings: PortMapping[]): { ExposedPorts: Record<string, {}>; PortBindings: Record<string, { HostIp: string; HostPort: string }[]> } {
  const ExposedPorts: Record<string, {}> = {};
  const PortBindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const pm of mappings) {
    // Without a host port there is nothing to publish: the pod IP is reachable as is.
    if (!pm.hostPort) continue;
    const key = `${pm.containerPort}/${(pm.protocol || 'TCP').toLowerCase()}`;
    ExposedPorts[key] = {};
    (PortBindings[key] ??= []).push({ HostIp: pm.hostIp ?? '', HostPort: String(pm.hostPort) });
  }
  return { ExposedPorts, PortBindings };
}

export function makeSandboxCreateBody(config: PodSandboxConfig, image: string, opts: CreateOptions): Record<string, any> {
  const labels: Record<string, string> = {
    ...podIdentityLabels(config),
    ...makeLabels(config.labels, config.annotations),
    [CONTAINER_TYPE_LABEL]: CONTAINER_TYPE_SANDBOX,
    [CONTAINER_NAME_LABEL]: SANDBOX_CONTAINER_NAME,
  };
  if (opts.scope) labels[SCOPE_LABEL] = opts.scope;
  const hostNetwork = isHostNetwork(config);
  const ns = config.linux?.securityContext?.namespaceOptions;
  const { ExposedPorts, PortBindings } = hostNetwork ? { ExposedPorts: {}, PortBindings: {} } : makePortsAndBindings(config.portMappings);
  const dns = config.dnsConfig;
  return {
    Hostname: config.hostname || undefined,
    Image: image,
    Labels: labels,
    ExposedPorts,
    HostConfig: {
      NetworkMode: hostNetwork ? 'host' : opts.networkName,
      // "shareable" lets the pod's containers join it with container:<id>.
      IpcMode: ns?.ipc === 'NODE' ? 'host' : 'shareable',
      PidMode: ns?.pid === 'NODE' ? 'host' : '',
      PortBindings,
      Dns: dns?.servers ?? [],
      DnsSearch: dns?.searches ?? [],
      DnsOptions: dns?.options ?? [],
      Privileged: config.linux?.securityContext?.privileged ?? false,
      CgroupParent: config.linux?.cgroupParent || '',
      CpuShares: SANDBOX_CPU_SHARES,
      SecurityOpt: SECURITY_OPT,
      LogConfig: LOG_CONFIG,
      RestartPolicy: { Name: 'no' },
    },
  };
}

/** '<host>:<container>[:ro]' as Docker's Binds take them. */
export function makeBinds(config: ContainerConfig): string[] {
  return config.mounts.map((m) => `${m.hostPath}:${m.containerPath}${m.readonly ? ':ro' : ''}`);
}

/** The container's User: uid, or uid:gid (a group alone cannot be expressed and keeps the image's user). */
export function makeUser(sc: LinuxContainerSecurityContext | undefined): string {
  if (sc?.runAsUser === undefined) return '';
  return sc.runAsGroup === undefined ? String(sc.runAsUser) : `${sc.runAsUser}:${sc.runAsGroup}`;
}

export function makeContainerCreateBody(sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, opts: CreateOptions): Record<string, any> {
  const labels: Record<string, string> = {
    ...podIdentityLabels(sandboxConfig),
    [CONTAINER_NAME_LABEL]: config.metadata.name,
    ...makeLabels(config.labels, config.annotations),
    [CONTAINER_TYPE_LABEL]: CONTAINER_TYPE_CONTAINER,
    [SANDBOX_ID_LABEL]: sandboxId,
  };
  if (config.logPath) labels[CONTAINER_LOG_PATH_LABEL] = join(sandboxConfig.logDirectory, config.logPath);
  if (opts.scope) labels[SCOPE_LABEL] = opts.scope;

  const sc = config.linux?.securityContext;
  const ns = sc?.namespaceOptions ?? sandboxConfig.linux?.securityContext?.namespaceOptions;
  const res = config.linux?.resources;
  const sandboxNs = `container:${sandboxId}`;
  const hostConfig: Record<string, any> = {
    Binds: makeBinds(config),
    // Docker refuses a hostname with container:<id> networking; for host-network pods the container
    // joins the host's network directly, as dockershim did.
    NetworkMode: ns?.network === 'NODE' ? 'host' : sandboxNs,
    IpcMode: ns?.ipc === 'NODE' ? 'host' : sandboxNs,
    PidMode: ns?.pid === 'NODE' ? 'host' : ns?.pid === 'POD' ? sandboxNs : '',
    ReadonlyRootfs: sc?.readonlyRootfs ?? false,
    Privileged: sc?.privileged ?? false,
    CapAdd: sc?.capabilities?.addCapabilities ?? [],
    CapDrop: sc?.capabilities?.dropCapabilities ?? [],
    SecurityOpt: SECURITY_OPT,
    LogConfig: LOG_CONFIG,
    RestartPolicy: { Name: 'no' },
    CgroupParent: sandboxConfig.linux?.cgroupParent || '',
  };
  if (res?.cpuPeriod) hostConfig.CpuPeriod = res.cpuPeriod;
  if (res?.cpuQuota) hostConfig.CpuQuota = res.cpuQuota;
  if (res?.cpuShares) hostConfig.CpuShares = res.cpuShares;
  if (res?.memoryLimitInBytes) {
    hostConfig.Memory = res.memoryLimitInBytes;
    // Docker would otherwise allow as much swap again; Kubernetes limits are without swap.
    hostConfig.MemorySwap = res.memoryLimitInBytes;
  }
  if (res?.oomScoreAdj !== undefined) hostConfig.OomScoreAdj = Math.max(res.oomScoreAdj, opts.minOomScoreAdj);

  return {
    Image: config.image,
    // CRI semantics, which Docker's merge with the image follows: a command replaces the image's
    // Entrypoint and drops its Cmd; args alone replace the Cmd.
    ...(config.command.length > 0 ? { Entrypoint: config.command } : {}),
    ...(config.args.length > 0 ? { Cmd: config.args } : {}),
    Env: config.envs.map((e) => `${e.key}=${e.value}`),
    WorkingDir: config.workingDir || '',
    User: makeUser(sc),
    Labels: labels,
    Tty: config.tty,
    OpenStdin: config.stdin,
    StdinOnce: config.stdinOnce,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: hostConfig,
  };
}
