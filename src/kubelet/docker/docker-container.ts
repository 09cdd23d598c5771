// The pod's containers (dockershim's CreateContainer and friends). Docker writes each container's log
// itself (json-file, one JSON object per line); as dockershim did, the CRI log path the kubelet asked for
// becomes a symlink to that file, and the status reports Docker's file with its format.
import { mkdir, rm, symlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Container, ContainerConfig, ContainerFilter, ContainerStatus, PodSandboxConfig } from '../runtime/runtime-service.ts';
import { RuntimeError } from '../runtime/runtime-service.ts';
import { listStateToCri, normalizeImageName, parseDockerTime, toCriContainerState } from './docker-convert.ts';
import { makeContainerCreateBody } from './docker-create-config.ts';
import {
  CONTAINER_LOG_PATH_LABEL, CONTAINER_TYPE_CONTAINER, CONTAINER_TYPE_LABEL, SANDBOX_ID_LABEL, SCOPE_LABEL, extractLabels, labelFilter,
  makeContainerName, parseContainerName,
} from './docker-labels.ts';
import { ignoreNotFound, wrap } from './docker-errors.ts';
import type { ContainerInspect, ContainerSummary, DockerContext } from './docker-types.ts';

export async function createContainer(ctx: DockerContext, sandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
  const body = makeContainerCreateBody(sandboxId, config, sandboxConfig, { networkName: ctx.network.name, scope: ctx.scope, minOomScoreAdj: ctx.minOomScoreAdj });
  const { Id } = await ctx.docker.json<{ Id: string }>({
    method: 'POST', path: '/containers/create', query: { name: makeContainerName(sandboxConfig.metadata, config.metadata) }, body,
  });
  return Id;
}

export async function startContainer(ctx: DockerContext, id: string): Promise<void> {
  await ctx.docker.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/start` }).catch((err) => {
    throw wrap(err, `failed to start container "${id}"`);
  });
  const r = await inspectContainer(ctx, id);
  const criPath = r.Config.Labels?.[CONTAINER_LOG_PATH_LABEL];
  if (criPath && r.LogPath) {
    try {
      await mkdir(dirname(criPath), { recursive: true });
      await rm(criPath, { force: true });
      await symlink(r.LogPath, criPath);
    } catch (err) {
      // Not fatal, as in dockershim: the status still names Docker's own log file.
      ctx.log(`failed to create symbolic link "${criPath}" to the container log file "${r.LogPath}" for container "${id}": ${(err as Error).message}`);
    }
  }
}

/** Docker sends the image's stop signal, then SIGKILL after the timeout. */
export async function stopContainer(ctx: DockerContext, id: string, timeoutSeconds: number): Promise<void> {
  const t = Math.max(0, Math.floor(timeoutSeconds));
  await ctx.docker.json({ method: 'POST', path: `/containers/${encodeURIComponent(id)}/stop`, query: { t }, timeoutMs: (t + 60) * 1000 });
}

/** Removes the container (running or not) and its log symlink; a container already gone is not an error. */
export async function removeContainer(ctx: DockerContext, id: string): Promise<void> {
  const r = await inspectContainer(ctx, id).catch(() => undefined);
  const criPath = r?.Config.Labels?.[CONTAINER_LOG_PATH_LABEL];
  if (criPath) await rm(criPath, { force: true }).catch(() => undefined);
  await ignoreNotFound(ctx.docker.json({ method: 'DELETE', path: `/containers/${encodeURIComponent(id)}`, query: { v: 1, force: 1 } }))
    .catch((err) => {
      throw wrap(err, `failed to remove container "${id}"`);
    });
}

export async function listContainers(ctx: DockerContext, filter: ContainerFilter = {}): Promise<Container[]> {
  const labels = [`${CONTAINER_TYPE_LABEL}=${CONTAINER_TYPE_CONTAINER}`, ...labelFilter(filter.labelSelector ?? {})];
  if (filter.podSandboxId) labels.push(`${SANDBOX_ID_LABEL}=${filter.podSandboxId}`);
  if (ctx.scope) labels.push(`${SCOPE_LABEL}=${ctx.scope}`);
  const filters: Record<string, string[]> = { label: labels };
  if (filter.id) filters.id = [filter.id];
  const list = await ctx.docker.json<ContainerSummary[]>({ path: '/containers/json', query: { all: 1, filters: JSON.stringify(filters) } });
  const out: Container[] = [];
  for (const c of list) {
    const metadata = parseContainerName(c.Names?.[0] ?? '');
    if (!metadata) continue;
    const state = listStateToCri(c.State);
    if (filter.state && filter.state !== state) continue;
    const { labels: l, annotations } = extractLabels(c.Labels);
    out.push({
      id: c.Id,
      podSandboxId: c.Labels?.[SANDBOX_ID_LABEL] ?? '',
      metadata,
      image: normalizeImageName(c.Image),
      imageRef: c.ImageID,
      state,
      createdAt: BigInt(c.Created) * 1_000_000_000n,
      labels: l,
      annotations,
    });
  }
  return out;
}

export async function containerStatus(ctx: DockerContext, id: string): Promise<ContainerStatus> {
  const r = await inspectContainer(ctx, id);
  const metadata = parseContainerName(r.Name);
  if (!metadata) throw new RuntimeError(`failed to parse the container name: "${r.Name.replace(/^\//, '')}"`);
  const createdAt = parseDockerTime(r.Created);
  const s = toCriContainerState(r.State, createdAt);
  const { labels, annotations } = extractLabels(r.Config.Labels);
  return {
    id: r.Id,
    podSandboxId: r.Config.Labels?.[SANDBOX_ID_LABEL] ?? '',
    metadata,
    image: normalizeImageName(r.Config.Image),
    imageRef: r.Image,
    state: s.state,
    createdAt,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    exitCode: s.exitCode,
    reason: s.reason,
    message: s.message,
    labels,
    annotations,
    logPath: r.LogPath,
    logFormat: 'docker-json',
  };
}

export async function inspectContainer(ctx: DockerContext, id: string): Promise<ContainerInspect> {
  const r = await ctx.docker.json<ContainerInspect>({ path: `/containers/${encodeURIComponent(id)}/json` });
  if (r.Config.Labels?.[CONTAINER_TYPE_LABEL] !== CONTAINER_TYPE_CONTAINER) {
    throw new RuntimeError(`container "${id}" is not a pod's container`, 'NotFound');
  }
  return r;
}
