// `npm run bench`: starts the server as a user would, loads it from 32 keep-alive HTTPS clients, and
// prints rates, latencies, memory and start-up time next to the kube-apiserver bar and a raw LevelDB
// baseline from the same run; then pod start-up on simulated nodes and, as root, on a real kubelet with
// containerd. Any non-2xx answer is counted and printed, and fails the run (exit 1).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BAR_RSS_MIB, barFor, judge, memoryGoalMiB } from './bar.ts';
import { DATA_KEYS, VALUE_BYTES, configMapsPath, type ObjectRef } from './configmaps.ts';
import { ApiClient } from './https-client.ts';
import { kubeletRunErrors, runKubeletPodStartup } from './kubelet-runs.ts';
import { levelDbBaseline } from './leveldb-baseline.ts';
import { USAGE, parseBenchArgs, type BenchOptions } from './options.ts';
import { createConfigMaps, createNamespace, getConfigMaps, mergePatchConfigMaps, updateConfigMaps } from './phases/crud.ts';
import { listConfigMaps } from './phases/list.ts';
import { podStartup, type PodStartupDetail } from './phases/pod-startup.ts';
import { measurePhase, type PhaseContext, type PhaseResult } from './phases/phase.ts';
import { watchDelivery } from './phases/watch.ts';
import { readMemory, startRssSampler } from './proc-stats.ts';
import { formatReport, throughput, type BenchReport, type PodStartupRun } from './report.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
/** "Idle" RSS is read after this pause, so start-up or load work still finishing is not counted as load. */
const SETTLE_MS = 1000;

const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));
const step = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<number> {
  let opts: BenchOptions | 'help';
  try {
    opts = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (opts === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }

  const root = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  // The server child running now (for the kubelet phase, with its kubelet's pods and containerd).
  let server: { stop(): Promise<unknown> } | undefined;
  // Interrupted: stop the server and remove its dirs before exiting, leaving nothing behind.
  const stopOnSignal = () => {
    void Promise.resolve(server?.stop())
      .then(() => rm(root, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const report = await runBench(opts, root, (s) => { server = s; });
    process.stdout.write(`${formatReport(report)}\n`);
    const jsonPath = resolve(opts.jsonPath ?? join(BENCH_DIR, 'results', `bench-${report.startedAt.replace(/[:.]/g, '-')}.json`));
    await mkdir(dirname(jsonPath), { recursive: true });
    await writeFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`JSON report: ${jsonPath}\n`);
    return report.errorCount === 0 ? 0 : 1;
  } finally {
    await server?.stop();
    await rm(root, { recursive: true, force: true });
  }
}

async function runBench(opts: BenchOptions, root: string, track: (s: { stop(): Promise<unknown> } | undefined) => void): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const loadAverageAtStart = loadavg();
  const c = opts.concurrency;

  step('cold start');
  let server = await startServerProcess(root);
  track(server);
  const cold = { readyMs: server.readyMs, listeningMs: server.listeningMs };
  await settle();
  const idleAfterStartMiB = readMemory(server.pid).rssMiB;

  const client = new ApiClient(server.url, server.credentials, c);
  const ctx: PhaseContext = { serverPid: server.pid };
  const namespaces = opts.listSizes.map((count) => ({ name: `bench-${count}`, count }));
  for (const ns of namespaces) await createNamespace(client, ns.name);
  const objects: ObjectRef[] = [];
  const phases: PhaseResult[] = [];
  const sampler = startRssSampler(server.pid);

  step(`create ${namespaces.reduce((a, n) => a + n.count, 0)} ConfigMaps`);
  phases.push(await measurePhase(ctx, { id: 'create', title: 'create', unit: 'requests' },
    () => createConfigMaps(client, namespaces, c, objects)));
  step('get');
  phases.push(await measurePhase(ctx, { id: 'get', title: 'get', unit: 'requests' },
    () => getConfigMaps(client, objects, opts.gets, c)));
  step('update');
  phases.push(await measurePhase(ctx, { id: 'update', title: 'update (PUT)', unit: 'requests' },
    () => updateConfigMaps(client, objects, opts.updates, c)));
  step('merge-patch');
  phases.push(await measurePhase(ctx, { id: 'merge-patch', title: 'merge-patch', unit: 'requests' },
    () => mergePatchConfigMaps(client, objects, opts.patches, c)));
  for (const ns of namespaces) {
    step(`list ${ns.count}`);
    phases.push(await measurePhase(ctx, { id: `list-${ns.count}`, title: `list of ${ns.count.toLocaleString('en-US')}`, unit: 'lists' },
      () => listConfigMaps(client, ns.name, ns.count, opts.listRuns(ns.count))));
  }
  step(`watch: ${opts.watchers} watchers × ${opts.watchUpdates} updates`);
  phases.push(await measurePhase(ctx, { id: 'watch', title: 'watch delivery', unit: 'events' },
    () => watchDelivery(client, { namespace: 'bench-watch', watchers: opts.watchers, updates: opts.watchUpdates, concurrency: c })));

  const maxUnderLoadMiB = sampler.stop();
  const sample = objects[0]!;
  const valueBytes = (await client.request('GET', configMapsPath(sample.namespace, sample.name))).body.length;
  await settle();
  const afterLoad = readMemory(server.pid);
  client.close();
  const shutdownExitCodes = [await server.stop()];

  step('warm start');
  server = await startServerProcess(root);
  track(server);
  const objectsExpected = objects.length + opts.watchUpdates;
  await settle();
  const idleAfterWarmStartMiB = readMemory(server.pid).rssMiB;
  const objectsFound = await countObjects(server, [...namespaces.map((n) => n.name), 'bench-watch']);
  const warm = { readyMs: server.readyMs, listeningMs: server.listeningMs, objectsExpected, objectsFound };
  shutdownExitCodes.push(await server.stop());
  track(undefined);

  // Its own server child with simulated nodes and client flags, so the phases above are unaffected.
  const podStartupRuns: PodStartupRun[] = [];
  const { replicas, nodes } = opts.podStartup;
  for (const tuning of opts.podStartup.tunings) {
    step(`${tuning.title}: Deployment of ${replicas} replicas on ${nodes} simulated nodes (${tuning.serverArgs.join(' ') || 'default flags'})`);
    server = await startServerProcess(join(root, tuning.id), ['--simulated-nodes', String(nodes), ...tuning.serverArgs]);
    track(server);
    const podClient = new ApiClient(server.url, server.credentials, 4);
    let detail: PodStartupDetail | undefined;
    try {
      phases.push(await measurePhase({ serverPid: server.pid }, { id: tuning.id, title: tuning.title, unit: 'pods' },
        () => podStartup(podClient, { namespace: 'bench-pods', replicas, nodes }, (d) => { detail = d; })));
    } finally {
      podClient.close();
    }
    const shutdownExitCode = await server.stop();
    track(undefined);
    podStartupRuns.push({ id: tuning.id, title: tuning.title, serverArgs: tuning.serverArgs, ...detail!, shutdownExitCode });
  }

  // Last of the server children: its containerd and pods must not weigh on the phases above.
  const kubelet = await runKubeletPodStartup(opts.kubeletPodStartup.tunings, root, track, step);
  phases.push(...kubelet.phases);

  step('raw LevelDB baseline');
  const base = await levelDbBaseline(join(root, 'leveldb-baseline'), { puts: objects.length, gets: opts.gets, concurrency: c, valueBytes });
  const baseline = {
    levelVersion: base.levelVersion, valueBytes,
    groupCommitPut: throughput(base.groupCommitPut), syncPut: throughput(base.syncPut), get: throughput(base.get),
  };

  const judged = phases.map((p) => {
    const bar = barFor(p.id);
    return bar ? { ...p, bar, verdict: judge(bar, p.opsPerSec, p.latency) } : p;
  });
  const rate = (id: string) => phases.find((p) => p.id === id)!.opsPerSec;
  const goalMiB = memoryGoalMiB();
  const errorCount = phases.reduce((a, p) => a + p.errorCount, 0)
    + baseline.groupCommitPut.errorCount + baseline.syncPut.errorCount + baseline.get.errorCount
    + Math.abs(objectsExpected - objectsFound)
    + shutdownExitCodes.filter((code) => code !== 0).length
    + podStartupRuns.filter((p) => p.shutdownExitCode !== 0).length
    + kubeletRunErrors(kubelet.report);

  return {
    schema: 'k8ts-bench/1',
    startedAt,
    quick: opts.quick,
    machine: {
      cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version,
      loadAverageAtStart, loadAverageAtEnd: loadavg(),
    },
    config: { concurrency: c, dataKeys: DATA_KEYS, valueBytes: VALUE_BYTES, objects: objects.length, transport: 'HTTPS/1.1 keep-alive, client certificate' },
    startup: { cold, warm },
    memory: {
      idleAfterStartMiB, maxUnderLoadMiB, peakMiB: afterLoad.peakRssMiB, idleAfterLoadMiB: afterLoad.rssMiB, idleAfterWarmStartMiB,
      bar: { lowMiB: BAR_RSS_MIB.low, highMiB: BAR_RSS_MIB.high }, goalMiB, meetsGoal: afterLoad.peakRssMiB <= goalMiB,
    },
    phases: judged,
    baseline,
    podStartup: podStartupRuns,
    kubeletPodStartup: kubelet.report,
    ratios: {
      createVsLevelGroupCommitPut: rate('create') / baseline.groupCommitPut.opsPerSec,
      createVsLevelSyncPut: rate('create') / baseline.syncPut.opsPerSec,
      getVsLevelGet: rate('get') / baseline.get.opsPerSec,
    },
    shutdownExitCodes,
    errorCount,
  };
}

/** ConfigMaps listed back from the given namespaces: what a restart must not lose. */
async function countObjects(server: ServerProcess, namespaces: string[]): Promise<number> {
  const client = new ApiClient(server.url, server.credentials, 1);
  try {
    let n = 0;
    for (const ns of namespaces) {
      const res = await client.request('GET', configMapsPath(ns));
      // Every namespace also gets kube-root-ca.crt from the controller manager: not the bench's.
      if (res.status === 200) n += (JSON.parse(res.body.toString('utf8')) as { items: { metadata: { name: string } }[] }).items.filter((i) => i.metadata.name !== 'kube-root-ca.crt').length;
    }
    return n;
  } finally {
    client.close();
  }
}

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
