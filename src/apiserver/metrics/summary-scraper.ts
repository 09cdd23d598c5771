// Reads the kubelets' /stats/summary for the metrics API, as metrics-server scrapes them: every Ready
// node at once, each bounded in time; a node that does not answer is left out, not an error.
// Simulated nodes have no kubelet endpoint and are not asked.
import type { KObject } from '../../apimachinery/types.ts';
import type { Summary } from '../../kubelet/stats/summary-types.ts';
import { SIMULATED_NODE_LABEL } from '../../nodes/simulation-annotations.ts';
import type { KubeletClient } from '../proxy/kubelet-client-config.ts';
import { kubeletRequest, readBody } from '../proxy/kubelet-request.ts';
import { connectionInfoOf } from '../proxy/node-connection.ts';

type Obj = Record<string, any>;

export interface NodeSummary {
  node: KObject;
  summary: Summary;
}

/** metrics-server's --kubelet-request-timeout is 10 s; a kubectl top should not wait that long. */
const SCRAPE_TIMEOUT_MS = 5000;

export function isReady(node: KObject): boolean {
  const conditions: Obj[] = (node.status as Obj | undefined)?.conditions ?? [];
  return conditions.some((c) => c?.type === 'Ready' && c.status === 'True');
}

export async function scrapeSummaries(client: KubeletClient, nodes: KObject[], log?: (m: string) => void): Promise<NodeSummary[]> {
  const candidates = nodes.filter((n) => isReady(n) && n.metadata.labels?.[SIMULATED_NODE_LABEL] !== 'true');
  const results = await Promise.all(candidates.map(async (node) => {
    try {
      return { node, summary: await scrapeNode(client, node) };
    } catch (err) {
      log?.(`metrics: unable to fetch metrics from node ${node.metadata.name}: ${(err as Error).message}`);
      return undefined;
    }
  }));
  return results.filter((r): r is NodeSummary => r !== undefined);
}

async function scrapeNode(client: KubeletClient, node: KObject): Promise<Summary> {
  const target = connectionInfoOf(node);
  const exchange = kubeletRequest(client, target, { method: 'GET', path: '/stats/summary?only_cpu_and_memory=true' });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`request timed out after ${SCRAPE_TIMEOUT_MS / 1000}s`)), SCRAPE_TIMEOUT_MS);
  });
  try {
    const { req, res } = await Promise.race([exchange, timeout]);
    const body = await Promise.race([readBody(res, 64 * 1024 * 1024), timeout]).finally(() => req.destroy());
    if (res.statusCode !== 200) throw new Error(`request failed, status: ${res.statusCode}: ${body.slice(0, 200)}`);
    return JSON.parse(body) as Summary;
  } finally {
    clearTimeout(timer);
    exchange.then(({ req }) => req.destroy(), () => {});
  }
}
