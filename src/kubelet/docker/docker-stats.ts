// Container stats from Docker's one-shot stats (no second sample, so no one-second wait per container).
// The working set is usage minus inactive file pages, as cadvisor and the kubelet count it; older
// daemons without that figure fall back to usage minus page cache.
import type { ContainerStats } from '../runtime/runtime-service.ts';
import { parseDockerTime } from './docker-convert.ts';
import { listContainers } from './docker-container.ts';
import type { DockerContext } from './docker-types.ts';

export interface DockerStatsSample {
  read?: string;
  cpu_stats?: { cpu_usage?: { total_usage?: number } };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
}

export function toContainerStats(id: string, podSandboxId: string, name: string, s: DockerStatsSample): ContainerStats {
  const mem = s.memory_stats ?? {};
  const st = mem.stats ?? {};
  const usage = BigInt(mem.usage ?? 0);
  // cgroup v1 names the hierarchy totals total_*; cgroup v2 has the plain names.
  const inactive = st.total_inactive_file ?? st.inactive_file ?? st.total_cache ?? st.cache ?? 0;
  const workingSet = usage > BigInt(inactive) ? usage - BigInt(inactive) : 0n;
  return {
    id,
    podSandboxId,
    name,
    cpuUsageCoreNanoSeconds: BigInt(s.cpu_stats?.cpu_usage?.total_usage ?? 0),
    timestamp: parseDockerTime(s.read) || BigInt(Date.now()) * 1_000_000n,
    memoryWorkingSetBytes: workingSet,
    memoryUsageBytes: usage,
    rssBytes: BigInt(st.total_rss ?? st.rss ?? st.anon ?? 0),
  };
}

export async function listContainerStats(ctx: DockerContext): Promise<ContainerStats[]> {
  const running = await listContainers(ctx, { state: 'CONTAINER_RUNNING' });
  const results = await Promise.all(running.map(async (c) => {
    try {
      const sample = await ctx.docker.json<DockerStatsSample>({ path: `/containers/${c.id}/stats`, query: { stream: 'false', 'one-shot': 'true' } });
      return toContainerStats(c.id, c.podSandboxId, c.metadata.name, sample);
    } catch {
      return undefined; // stopped meanwhile
    }
  }));
  return results.filter((r): r is ContainerStats => r !== undefined);
}
