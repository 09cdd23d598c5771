// Pod sandboxes as pause containers (dockershim's RunPodSandbox and friends). Docker gives the pause
// container its IP on the pod network; the pod's DNS settings are written into the resolv.conf Docker
// made for it (shared by the pod's containers), because on a user-defined network Docker would point
// it at its embedded resolver instead of the cluster DNS.
import { writeFile } from 'node:fs/promises';
import type { PodSandbox, PodSandboxConfig, PodSandboxFilter, PodSandboxStatus } from '../runtime/runtime-service.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { ignoreNotFound, wrap } from './docker-errors.ts';
import { parseDockerTime } from './docker-convert.ts';
import { makeSandboxCreateBody } from './docker-create-config.ts';
import { ensureImage } from './docker-image-service.ts';
import {
  CONTAINER_TYPE_LABEL, CONTAINER_TYPE_SANDBOX, SANDBOX_ID_LABEL, SCOPE_LABEL, extractLabels, labelFilter, makeSandboxName, parseSandboxName,
} from './docker-labels.ts';
import { removeContainer } from './docker-container.ts';
import type { ContainerInspect, ContainerSummary, DockerContext } from './docker-types.ts';

/** dockershim's defaultSandboxGracePeriod. */
const SANDBOX_STOP_TIMEOUT_SECONDS = 10;

export async function runPodSandbox(ctx: DockerContext, config: PodSandboxConfig): Promise<string> {
  const pod = config.metadata.name;
  await ensureImage(ctx, ctx.sandboxImage).catch((err) => {
    throw wrap(err, `failed pulling image "${ctx.sandboxImage}"`);
  });
  const body = makeSandboxCreateBody(config, ctx.sandboxImage, { networkName: ctx.network.name, scope: ctx.scope, minOomScoreAdj: ctx.minOomScoreAdj });
  const { Id: id } = await ctx.docker.json<{ Id: string }>({
    method: 'POST', path: '/containers/create', query: { name: makeSandboxName(config.metadata) }, body,
  }).catch((err) => {
    throw wrap(err, `failed to create a sandbox for pod "${pod}"`);
  });
  await ctx.docker.json({ method: 'POST', path: `/containers/${id}/start` }).catch((err) => {
    throw wrap(err, `failed to start sandbox container for pod "${pod}"`);
  });
  const dns = config.dnsConfig;
  if (dns && (dns.servers.length > 0 || dns.searches.length > 0 || dns.options.length > 0)) {
    const info = await inspectSandbox(ctx, id);
    await writeFile(info.ResolvConfPath, resolvConf(dns.servers, dns.searches, dns.options)).catch((err) => {
      throw new RuntimeError(`rewrite resolv.conf failed for pod "${pod}": ${(err as Error).message}`);
    });
  }
  return id;
}

export function resolvConf(servers: string[], searches: string[], options: string[]): string {
  const lines = servers.map((s) => `nameserver ${s}`);
  if (searches.length > 0) lines.push(`search ${searches.join(' ')}`);
  if (options.length > 0) lines.push(`options ${options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** Stops what still runs in the pod, then the pause container; a sandbox already gone is not an error. */
export async function stopPodSandbox(ctx: DockerContext, id: string): Promise<void> {
  const members = await listSandboxMembers(ctx, id, false);
  await Promise.all(members.map((c) => ignoreNotFound(ctx.docker.json({ method: 'POST', path: `/containers/${c.Id}/stop`, query: { t: 0 } }))));
  await ignoreNotFound(ctx.docker.json({
    method: 'POST', path: `/containers/${encodeURIComponent(id)}/stop`, query: { t: SANDBOX_STOP_TIMEOUT_SECONDS },
    timeoutMs: (SANDBOX_STOP_TIMEOUT_SECONDS + 60) * 1000,
  }));
}

/** Removes the pod's containers and its pause container; idempotent. */
export async function removePodSandbox(ctx: DockerContext, id: string): Promise<void> {
  const members = await listSandboxMembers(ctx, id, true);
  for (const c of members) await removeContainer(ctx, c.Id);
  await ignoreNotFound(ctx.docker.json({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { v: 1, force: 1 } }));
}

export async function podSandboxStatus(ctx: DockerContext, id: string): Promise<PodSandboxStatus> {
  const r = await inspectSandbox(ctx, id);
  const metadata = parseSandboxName(r.Name);
  if (!metadata) throw new RuntimeError(`failed to parse the sandbox name: "${r.Name.replace(/^\//, '')}"`);
  const hostNetwork = r.HostConfig.NetworkMode === 'host';
  const { labels, annotations } = extractLabels(r.Config.Labels);
  return {
    id: r.Id,
    metadata,
    state: r.State.Running ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
    createdAt: parseDockerTime(r.Created),
    labels,
    annotations,
    network: { ip: hostNetwork ? '' : sandboxIp(r, ctx.network.name), additionalIps: [] },
    networkNamespace: hostNetwork ? 'NODE' : 'POD',
  };
}

export function sandboxIp(r: ContainerInspect, networkName: string): string {
  const nets = r.NetworkSettings?.Networks ?? {};
  const net = nets[networkName] ?? Object.values(nets).find((n) => n.IPAddress);
  return net?.IPAddress || r.NetworkSettings?.IPAddress || net?.GlobalIPv6Address || '';
}

export async function listPodSandbox(ctx: DockerContext, filter: PodSandboxFilter = {}): Promise<PodSandbox[]> {
  const labels = [`${CONTAINER_TYPE_LABEL}=${CONTAINER_TYPE_SANDBOX}`, ...labelFilter(filter.labelSelector ?? {})];
  if (ctx.scope) labels.push(`${SCOPE_LABEL}=${ctx.scope}`);
  const filters: Record<string, string[]> = { label: labels };
  if (filter.id) filters.id = [filter.id];
  if (filter.state === 'SANDBOX_READY') filters.status = ['running'];
  const list = await ctx.docker.json<ContainerSummary[]>({ path: '/containers/json', query: { all: 1, filters: JSON.stringify(filters) } });
  const out: PodSandbox[] = [];
  for (const c of list) {
    const metadata = parseSandboxName(c.Names?.[0] ?? '');
    if (!metadata) continue;
    const state = c.State === 'running' ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY';
    if (filter.state && filter.state !== state) continue;
    const { labels: l, annotations } = extractLabels(c.Labels);
    // The list only has creation seconds; podSandboxStatus has the full time.
    out.push({ id: c.Id, metadata, state, createdAt: BigInt(c.Created) * 1_000_000_000n, labels: l, annotations });
  }
  return out;
}

export async function inspectSandbox(ctx: DockerContext, id: string): Promise<ContainerInspect> {
  const r = await ctx.docker.json<ContainerInspect>({ path: `/containers/${encodeURIComponent(id)}/json` });
  if (r.Config.Labels?.[CONTAINER_TYPE_LABEL] !== CONTAINER_TYPE_SANDBOX) {
    throw new RuntimeError(`container "${id}" is not a pod sandbox`, 'NotFound');
  }
  return r;
}

async function listSandboxMembers(ctx: DockerContext, sandboxId: string, all: boolean): Promise<ContainerSummary[]> {
  const filters = { label: [`${SANDBOX_ID_LABEL}=${sandboxId}`] };
  return ctx.docker.json<ContainerSummary[]>({ path: '/containers/json', query: { all: all ? 1 : 0, filters: JSON.stringify(filters) } });
}
