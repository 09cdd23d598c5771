// `npm run conformance -- --kubeconfig FILE`: runs the behaviour scenarios against any cluster (k8ts or
// a real one) using only kubectl and @kubernetes/client-node, prints a table and writes a JSON report.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { ClusterTraits, ContextDeps } from './framework/context.ts';
import { FlagError, USAGE, parseRunFlags, type RunOptions } from './framework/flags.ts';
import { kubectlRunner, type KubectlRunner } from './framework/kubectl.ts';
import { loadKubeConfig } from './framework/kubeconfig.ts';
import { rawRequester, type RawRequester } from './framework/raw.ts';
import { formatRow, formatTotals, tableHeader, totalsOf, type Report } from './framework/report.ts';
import { SkipError, runAll } from './framework/runner.ts';
import type { Scenario } from './framework/scenario.ts';
import { allScenarios } from './scenarios/index.ts';

const out = (line: string) => process.stdout.write(`${line}\n`);

function selected(opts: RunOptions): Scenario[] {
  const all = allScenarios();
  return opts.focus ? all.filter((s) => opts.focus!.test(s.name) || opts.focus!.test(s.upstream.codename)) : all;
}

async function serverVersion(raw: RawRequester): Promise<string> {
  const res = await raw('GET', '/version');
  if (res.status !== 200) throw new Error(`GET /version answered ${res.status}: ${res.body.slice(0, 200)}`);
  return String(res.json?.gitVersion ?? 'unknown');
}

/** The client version, or undefined when the binary cannot be run (kubectl scenarios then SKIP). */
async function kubectlVersion(kubectl: KubectlRunner): Promise<string | undefined> {
  try {
    const r = await kubectl(['version', '--client', '-o', 'json']);
    if (r.code !== 0) return undefined;
    return String(JSON.parse(r.stdout).clientVersion?.gitVersion ?? 'unknown');
  } catch {
    return undefined;
  }
}

/** kubectl that makes every use SKIP the scenario, for a machine without the binary. */
function missingKubectl(bin: string): KubectlRunner {
  const fail = (): never => {
    throw new SkipError(`kubectl binary ${JSON.stringify(bin)} cannot be run`);
  };
  const run = (async () => fail()) as unknown as KubectlRunner;
  run.ok = async () => fail();
  run.spawn = () => fail();
  return run;
}

async function clusterTraits(kc: KubeConfig): Promise<ClusterTraits> {
  try {
    await kc.makeApiClient(CoreV1Api).readNamespacedServiceAccount({ name: 'default', namespace: 'default' });
    return { createsDefaultServiceAccount: true };
  } catch {
    return { createsDefaultServiceAccount: false };
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: RunOptions | 'help';
  try {
    // Under `npm run`, the cwd is the package root; INIT_CWD is where the user typed the command.
    opts = parseRunFlags(argv, process.env, process.env.INIT_CWD ?? process.cwd());
  } catch (err) {
    if (!(err instanceof FlagError)) throw err;
    process.stderr.write(`conformance: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const scenarios = selected(opts);
  if (opts.list) {
    for (const s of scenarios) out(`${s.name}\n    ${s.upstream.codename}  (${s.upstream.release}, ${s.upstream.file})`);
    out(`${scenarios.length} scenarios`);
    return 0;
  }
  if (scenarios.length === 0) {
    process.stderr.write(`conformance: no scenario matches --focus ${opts.focus}\n`);
    return 2;
  }

  const kc = loadKubeConfig(opts.kubeconfig);
  const raw = rawRequester(kc);
  let version: string;
  try {
    version = await serverVersion(raw);
  } catch (err) {
    process.stderr.write(`conformance: cannot reach the server in ${opts.kubeconfig}: ${(err as Error).message}\n`);
    return 1;
  }
  const cacheDir = await mkdtemp(join(tmpdir(), 'conformance-kubectl-'));
  try {
    let kubectl = kubectlRunner(opts.kubectl, opts.kubeconfig, cacheDir);
    const kubectlVer = await kubectlVersion(kubectl);
    if (!kubectlVer) kubectl = missingKubectl(opts.kubectl);
    const deps: ContextDeps = { kc, kubectl, raw, traits: await clusterTraits(kc) };

    const started = new Date();
    out(`server ${kc.getCurrentCluster()?.server} (${version}), kubectl ${kubectlVer ?? 'not found'}, ${scenarios.length} scenarios`);
    out(tableHeader());
    const t0 = performance.now();
    const results = await runAll(scenarios, deps, (r) => out(formatRow(r)));
    const durationMs = Math.round(performance.now() - t0);
    out('');
    out(formatTotals(results, durationMs));

    const report: Report = {
      serverVersion: version,
      kubectlVersion: kubectlVer ?? 'not found',
      server: kc.getCurrentCluster()?.server ?? '',
      started: started.toISOString(),
      durationMs,
      totals: totalsOf(results),
      scenarios: results,
    };
    await writeFile(opts.jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    out(`JSON report: ${opts.jsonPath}`);
    return report.totals.fail === 0 ? 0 : 1;
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`conformance: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
