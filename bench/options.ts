// Command line of `npm run bench`: the default run takes a few minutes; --quick is a smoke run.
import { parseArgs } from 'node:util';
import { DEFAULT_KUBE_API_BURST, DEFAULT_KUBE_API_QPS } from '../src/kubelet/kubelet.ts';

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
  /** The kubelet pod start-up phase: per kubelet client tuning, a server child with a real kubelet on containerd. */
  kubeletPodStartup: { tunings: KubeletTuning[] };
}

/** The kubelet's --kube-api-qps/--kube-api-burst of one kubelet run, and its rounds of pods created at once. */
export interface KubeletTuning {
  id: string;
  title: string;
  kubeletAPIQPS: number;
  kubeletAPIBurst: number;
  serverArgs: string[];
  /** One round per entry: that many pods created concurrently, timed to Ready, then deleted. */
  podCounts: number[];
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

/**
 * The kubelet at its upstream client defaults with 1, 10 and 50 pods; then, but for --quick, 50 pods
 * again with twice the budget, to show what the kubelet's own rate limit costs.
 */
export function kubeletTunings(quick: boolean): KubeletTuning[] {
  const defaults: KubeletTuning = {
    id: 'kubelet-pod-startup', title: 'kubelet pod start-up',
    kubeletAPIQPS: DEFAULT_KUBE_API_QPS, kubeletAPIBurst: DEFAULT_KUBE_API_BURST, serverArgs: [],
    podCounts: quick ? [1, 10] : [1, 10, 50],
  };
  if (quick) return [defaults];
  return [defaults, {
    id: 'kubelet-pod-startup-qps100', title: 'kubelet pod start-up, QPS 100',
    kubeletAPIQPS: 100, kubeletAPIBurst: 200, serverArgs: ['--kubelet-api-qps', '100', '--kubelet-api-burst', '200'],
    podCounts: [50],
  }];
}

export const USAGE = `Usage: npm run bench -- [--quick] [--json FILE]

Starts the server as a child process on a temp dir and measures, from 32 keep-alive HTTPS clients:
create/get/update/merge-patch rates and latencies, full lists, watch delivery, RSS, start-up time,
and a raw LevelDB baseline from the same run. Then, on another server child with simulated nodes,
pod start-up of a 1,000-replica Deployment on 100 nodes (pods scheduled/s; p50/p90/p99 start-up
latency against the upstream SLO p99 ≤ 5 s), with tuned client QPS and with the defaults.
Last, as root with containerd, k8ts with a real kubelet on containerd: pod start-up latency (POST →
Ready, warm image) of 1, 10 and 50 busybox pods created at once, against the same SLO, at the
kubelet's default --kube-api-qps 50 and again for 50 pods at 100 (skipped, saying why, otherwise).

  --quick       small counts (pod start-up: 50 pods on 5 nodes, tuned only; kubelet: 1 and 10 pods at
                default QPS), a smoke run of about two minutes
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
      kubeletPodStartup: { tunings: kubeletTunings(true) },
    };
  }
  return {
    ...common, listSizes: [1000, 2000, 10_000], listRuns: (n) => (n >= 10_000 ? 20 : 50),
    gets: 20_000, updates: 10_000, patches: 10_000, watchers: 50, watchUpdates: 300,
    podStartup: { replicas: 1000, nodes: 100, tunings: podStartupTunings(100, true) },
    kubeletPodStartup: { tunings: kubeletTunings(false) },
  };
}
