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
}

export const USAGE = `Usage: npm run bench -- [--quick] [--json FILE]

Starts the server as a child process on a temp dir and measures, from 32 keep-alive HTTPS clients:
create/get/update/merge-patch rates and latencies, full lists, watch delivery, RSS, start-up time,
and a raw LevelDB baseline from the same run.

  --quick       small counts, a smoke run of about half a minute
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
    };
  }
  return {
    ...common, listSizes: [1000, 2000, 10_000], listRuns: (n) => (n >= 10_000 ? 20 : 50),
    gets: 20_000, updates: 10_000, patches: 10_000, watchers: 50, watchUpdates: 300,
  };
}
