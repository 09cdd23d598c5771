// Command line of `npm run bench`: the default run takes a few minutes; --quick is a smoke run.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  quick: boolean;
  jsonPath?: string;
  concurrency: number;
  /** Namespaces filled by the create phase, one per list size. */
  listSizes: number[];
  /** Timed full lists per size. */
  listRuns: (size: number) => number;
  gets: number;
  updates: number;
  patches: number;
  watchers: number;
  watchUpdates: number;
  /** The pod start-up phase: one Deployment of `replicas` on `nodes` simulated nodes, per client tuning. */
  podStartup: { replicas: number; nodes: number; tunings: PodStartupTuning[] };
}

/** Client rate limits of one pod start-up run: its own server child with these flags. */
export interface PodStartupTuning {
  id: string;
  title: string;
  serverArgs: string[];
}

/**
 * "tuned": --kube-api-qps/--kube-api-burst 100/100 for controller-manager and scheduler, as
 * Kubernetes' scalability CI passes kube-scheduler, and the simulated kubelets' shared client at 50
 * QPS per node, the budget that many real kubelets (50 QPS each by default) would have between them.
 * "default-qps": every client at its upstream default (20/30, 50/100, and 50 for all the kubelets).
 */
export function podStartupTunings(nodes: number, withDefaults: boolean): PodStartupTuning[] {
  const tuned: PodStartupTuning = {
    id: 'pod-startup', title: 'pod start-up',
    serverArgs: ['--kube-api-qps', '100', '--kube-api-burst', '100', '--simulated-kubelet-api-qps', String(50 * nodes)],
  };
  return withDefaults ? [tuned, { id: 'pod-startup-default-qps', title: 'pod start-up, default QPS', serverArgs: [] }] : [tuned];
}

export const USAGE = `Usage: npm run bench -- [--quick] [--json FILE]

Starts the server as a child process on a temp dir and measures, from 32 keep-alive HTTPS clients:
create/get/update/merge-patch rates and latencies, full lists, watch delivery, RSS, start-up time,
and a raw LevelDB baseline from the same run. Then, on another server child with simulated nodes,
pod start-up of a 1,000-replica Deployment on 100 nodes (pods scheduled/s; p50/p90/p99 start-up
latency against the upstream SLO p99 ≤ 5 s), with tuned client QPS and with the defaults.

  --quick       small counts (pod start-up: 50 pods on 5 nodes, tuned only), a smoke run of about a minute
  --json FILE   where to write the JSON report (default bench/results/bench-<time>.json)

Environment: K8TS_BENCH_NODE_ARGS adds node flags to the server child, e.g. to profile it:
  K8TS_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" npm run bench -- --quick
`;

export function parseBenchArgs(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: 'boolean' }, json: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  const common = { quick, jsonPath: values.json, concurrency: 32 };
  if (quick) {
    return {
      ...common, listSizes: [100, 200, 1000], listRuns: () => 5,
      gets: 2000, updates: 1000, patches: 1000, watchers: 10, watchUpdates: 50,
      podStartup: { replicas: 50, nodes: 5, tunings: podStartupTunings(5, false) },
    };
  }
  return {
    ...common, listSizes: [1000, 2000, 10_000], listRuns: (n) => (n >= 10_000 ? 20 : 50),
    gets: 20_000, updates: 10_000, patches: 10_000, watchers: 50, watchUpdates: 300,
    podStartup: { replicas: 1000, nodes: 100, tunings: podStartupTunings(100, true) },
  };
}
