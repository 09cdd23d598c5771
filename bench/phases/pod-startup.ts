// Pod start-up on simulated nodes: one Deployment of `replicas` pods (what `kubectl create deployment
// --replicas=N` posts), timed from a pod watch opened before it. Per pod, the bench's watch arrival
// times of: the pod (ADDED), its binding (spec.nodeName set) and Running with Ready=True. Start-up
// latency is upstream's pod start-up SLI (creation → running, observed via watch; SLO p99 ≤ 5 s),
// taken from the ADDED arrival because creationTimestamp only has whole seconds; the figure from
// creationTimestamp is kept too.
import { performance } from 'node:perf_hooks';
import type { ApiClient } from '../https-client.ts';
import type { LoadResult } from '../load.ts';
import { isRunningAndReady, listResourceVersion, waitForReadyNodes, watchPods } from '../pods.ts';
import { percentileOf } from '../stats.ts';
import { createNamespace } from './crud.ts';

/** Nodes must register and turn Ready within this; pods must all be Ready within READY_LIMIT_MS. */
const NODES_LIMIT_MS = 120_000;
const READY_LIMIT_MS = 300_000;
const DEPLOYMENT = 'bench-pods';
const IMAGE = 'registry.k8s.io/pause:3.10';

export interface PodStartupOptions {
  namespace: string;
  replicas: number;
  nodes: number;
}

export interface Percentiles { p50Ms: number; p90Ms: number; p99Ms: number }

export interface PodStartupDetail {
  replicas: number;
  nodes: number;
  /** POST of the Deployment → the last pod observed Running and Ready. */
  createToAllReadyMs: number;
  /** Pods per second: created (first → last ADDED), scheduled and Ready (first ADDED → last binding / Ready seen). */
  createdPerSec: number;
  scheduledPerSec: number;
  readyPerSec: number;
  /** ADDED → spec.nodeName observed. */
  scheduling: Percentiles;
  /** ADDED → Running and Ready observed: the start-up SLI. */
  startup: Percentiles;
  /** The same from metadata.creationTimestamp (whole seconds, so up to 1 s longer). */
  startupFromCreationTimestamp: Percentiles;
  podsReady: number;
}

interface PodTimes { added: number; created: number; scheduled?: number; ready?: number }

export async function podStartup(
  client: ApiClient, opts: PodStartupOptions, report: (d: PodStartupDetail) => void,
): Promise<LoadResult & { note: string }> {
  await waitForReadyNodes(client, opts.nodes, NODES_LIMIT_MS);
  await createNamespace(client, opts.namespace);
  const podsPath = `/api/v1/namespaces/${opts.namespace}/pods`;
  const fromRevision = await listResourceVersion(client, podsPath);

  const errors: Record<string, number> = {};
  const fail = (code: string, n = 1) => { errors[code] = (errors[code] ?? 0) + n; };
  const pods = new Map<string, PodTimes>();
  let readyCount = 0;
  let allReady!: () => void;
  const allReadyPromise = new Promise<void>((resolve) => { allReady = resolve; });
  const res = await watchPods(client, podsPath, fromRevision, (type, pod) => {
    if (type === 'DELETED') return;
    const now = performance.now();
    const name = pod.metadata?.name as string;
    let t = pods.get(name);
    if (!t) {
      if (type !== 'ADDED') fail(`first event ${type}`);
      t = { added: now, created: Date.parse(pod.metadata?.creationTimestamp) - (Date.now() - now) };
      pods.set(name, t);
    }
    if (t.scheduled === undefined && pod.spec?.nodeName) t.scheduled = now;
    if (t.ready === undefined && isRunningAndReady(pod)) {
      t.ready = now;
      if (++readyCount === opts.replicas) allReady();
    }
  }, fail);

  const posted = performance.now();
  const created = await client.request('POST', `/apis/apps/v1/namespaces/${opts.namespace}/deployments`, deployment(opts.namespace, opts.replicas));
  if (created.status !== 201) {
    res.destroy();
    throw new Error(`create deployment: ${created.status} ${created.body.toString('utf8')}`);
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), READY_LIMIT_MS); });
  await Promise.race([allReadyPromise, timedOut]);
  clearTimeout(timer);
  res.destroy();

  const times = [...pods.values()];
  if (readyCount < opts.replicas) fail('pods not Ready in time', opts.replicas - readyCount);
  if (pods.size > opts.replicas) fail('more pods than replicas', pods.size - opts.replicas);
  const lastOf = (f: (t: PodTimes) => number | undefined) => Math.max(...times.map(f).filter((v): v is number => v !== undefined));
  const firstAdded = Math.min(...times.map((t) => t.added));
  const lastReady = lastOf((t) => t.ready);
  const rate = (n: number, from: number, to: number) => (to > from ? (n * 1000) / (to - from) : NaN);
  const latencies = (from: (t: PodTimes) => number, to: (t: PodTimes) => number | undefined) =>
    times.filter((t) => to(t) !== undefined).map((t) => to(t)! - from(t));
  const pct = (xs: number[]): Percentiles => ({ p50Ms: percentileOf(xs, 0.5), p90Ms: percentileOf(xs, 0.9), p99Ms: percentileOf(xs, 0.99) });
  const startupMs = latencies((t) => t.added, (t) => t.ready);
  const scheduledCount = times.filter((t) => t.scheduled !== undefined).length;
  const detail: PodStartupDetail = {
    replicas: opts.replicas,
    nodes: opts.nodes,
    createToAllReadyMs: (readyCount === opts.replicas ? lastReady : performance.now()) - posted,
    createdPerSec: rate(times.length - 1, firstAdded, lastOf((t) => t.added)),
    scheduledPerSec: rate(scheduledCount, firstAdded, lastOf((t) => t.scheduled)),
    readyPerSec: rate(readyCount, firstAdded, lastReady),
    scheduling: pct(latencies((t) => t.added, (t) => t.scheduled)),
    startup: pct(startupMs),
    startupFromCreationTimestamp: pct(latencies((t) => t.created, (t) => t.ready)),
    podsReady: readyCount,
  };
  report(detail);
  return {
    ops: readyCount,
    seconds: detail.createToAllReadyMs / 1000,
    latenciesMs: startupMs,
    errors,
    note: `${opts.replicas} replicas on ${opts.nodes} nodes: created ${detail.createdPerSec.toFixed(0)}/s, ` +
      `scheduled ${detail.scheduledPerSec.toFixed(0)}/s (p99 ${detail.scheduling.p99Ms.toFixed(0)} ms after creation), ` +
      `all Ready ${(detail.createToAllReadyMs / 1000).toFixed(1)} s after the POST`,
  };
}

/** What `kubectl create deployment NAME --image=IMAGE --replicas=N` posts. */
function deployment(namespace: string, replicas: number): string {
  const labels = { app: DEPLOYMENT };
  return JSON.stringify({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: DEPLOYMENT, namespace, labels },
    spec: {
      replicas, selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'pause', image: IMAGE, resources: {} }] } },
    },
  });
}
