// GET/LIST of metrics.k8s.io nodes and pods, computed on request from the kubelets' summaries (the
// part of metrics-server's API that kubectl top and the HPA use), with its not-found messages
// ("node "n" not found" from its lister, then "nodemetrics.metrics.k8s.io "n" not found").
import { newMethodNotAllowed, newNotFound } from '../../apimachinery/errors.ts';
import type { KObject } from '../../apimachinery/types.ts';
import type { Handler, Scope } from '../handlers/scope.ts';
import { queryString } from '../handlers/scope.ts';
import { writeList, writeObject } from '../handlers/output.ts';
import type { KubeletClient } from '../proxy/kubelet-client-config.ts';
import { buildPredicate } from '../selectors.ts';
import { METRICS_API_VERSION, nodeMetrics, podMetricsByKey } from './metrics-objects.ts';
import { scrapeSummaries } from './summary-scraper.ts';

type Obj = Record<string, any>;

async function listAll(scope: Scope, resource: 'nodes' | 'pods', namespace: string): Promise<KObject[]> {
  const served = scope.registry.lookup('', 'v1', resource)!;
  return (await served.store.list({ ...scope.ctx, namespace })).items;
}

function verbCheck(scope: Scope): void {
  if (scope.info.verb !== 'get' && scope.info.verb !== 'list') throw newMethodNotAllowed();
}

export function nodeMetricsHandler(client: KubeletClient, log?: (m: string) => void): Handler {
  return async (req, res, scope) => {
    verbCheck(scope);
    const now = scope.now();
    if (scope.info.verb === 'get') {
      const name = scope.info.name;
      const node = (await listAll(scope, 'nodes', '')).find((n) => n.metadata.name === name);
      if (!node) throw newNotFound({ group: '', resource: 'node' }, name);
      const [summary] = await scrapeSummaries(client, [node], log);
      const metrics = summary && nodeMetrics(summary, now);
      if (!metrics) throw newNotFound({ group: scope.def.group, resource: 'nodemetrics' }, name);
      writeObject(req, res, scope, 200, metrics);
      return;
    }
    const matches = buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector'));
    const nodes = (await listAll(scope, 'nodes', '')).filter((n) => !matches || matches(n));
    const items = (await scrapeSummaries(client, nodes, log))
      .map((s) => nodeMetrics(s, now))
      .filter((m): m is KObject => m !== undefined)
      .sort(byName);
    writeList(req, res, scope, { kind: 'NodeMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items });
  };
}

export function podMetricsHandler(client: KubeletClient, log?: (m: string) => void): Handler {
  return async (req, res, scope) => {
    verbCheck(scope);
    const now = scope.now();
    const namespace = scope.info.namespace;
    const pods = await listAll(scope, 'pods', namespace);
    if (scope.info.verb === 'get') {
      const name = scope.info.name;
      const pod = pods.find((p) => p.metadata.name === name);
      if (!pod) throw newNotFound({ group: '', resource: 'pod' }, name);
      const metrics = podMetricsByKey(await scrapeSummaries(client, await nodesOf(scope, [pod]), log), [pod], now).get(`${namespace}/${name}`);
      if (!metrics) throw newNotFound({ group: scope.def.group, resource: 'podmetrics' }, `${namespace}/${name}`);
      writeObject(req, res, scope, 200, metrics);
      return;
    }
    const matches = buildPredicate(scope.def, queryString(req, 'labelSelector'), queryString(req, 'fieldSelector'));
    const selected = pods.filter((p) => !matches || matches(p));
    const byKey = podMetricsByKey(await scrapeSummaries(client, await nodesOf(scope, selected), log), selected, now);
    const items = [...byKey.values()].sort((a, b) => key(a).localeCompare(key(b)));
    writeList(req, res, scope, { kind: 'PodMetricsList', apiVersion: METRICS_API_VERSION, metadata: {}, items });
  };
}

/** The nodes the pods run on: only their kubelets are asked. */
async function nodesOf(scope: Scope, pods: KObject[]): Promise<KObject[]> {
  const names = new Set(pods.map((p) => (p.spec as Obj | undefined)?.nodeName).filter(Boolean));
  if (names.size === 0) return [];
  return (await listAll(scope, 'nodes', '')).filter((n) => names.has(n.metadata.name));
}

function key(o: KObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;
}

function byName(a: KObject, b: KObject): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}
