// `npm run bench -- --quick` end to end, so the benchmark code keeps working: every phase runs, does
// some work and sees no errors. It asserts no timings — figures are for people to read, not for CI.
// The kubelet phase needs root and containerd; elsewhere the report must say why it was skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, type BenchOptions } from '../../bench/options.ts';
import type { BenchReport } from '../../bench/report.ts';
import { containerdSkipReason } from '../helpers/containerd.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('bench options: the kubelet phase runs 1, 10 and 50 pods at default QPS and 50 at QPS 100; --quick only 1 and 10', () => {
  const full = parseBenchArgs([]) as BenchOptions;
  assert.deepEqual(full.kubeletPodStartup.tunings.map((t) => [t.kubeletAPIQPS, t.kubeletAPIBurst, t.podCounts, t.serverArgs]), [
    [50, 100, [1, 10, 50], []],
    [100, 200, [50], ['--kubelet-api-qps', '100', '--kubelet-api-burst', '200']],
  ]);
  const quick = parseBenchArgs(['--quick']) as BenchOptions;
  assert.deepEqual(quick.kubeletPodStartup.tunings.map((t) => [t.kubeletAPIQPS, t.podCounts]), [[50, [1, 10]]]);
  assert.throws(() => parseBenchArgs(['--pods', '5']), /Unknown option '--pods'/);
});

test('bench --quick reports every phase with work done and zero errors', { timeout: 360_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-bench-smoke-'));
  try {
    const jsonPath = join(dir, 'report.json');
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--json', jsonPath],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, output);
    assert.match(output, /^phase\s+ops\s+errors\s+ops\/s\s+p50 ms\s+p99 ms/m, 'the table is printed');
    assert.match(output, /^errors: none$/m);

    const report = JSON.parse(await readFile(jsonPath, 'utf8')) as BenchReport;
    const ids = report.phases.map((p) => p.id);
    for (const id of ['create', 'get', 'update', 'merge-patch', 'watch', 'pod-startup']) assert.ok(ids.includes(id), `phase ${id} in ${ids.join(', ')}`);
    assert.equal(ids.filter((id) => id.startsWith('list-')).length, 3, ids.join(', '));
    for (const p of report.phases) {
      assert.ok(p.ops > 0 && p.opsPerSec > 0, `${p.id}: ${p.ops} ops`);
      assert.equal(p.latency.count, p.ops, `${p.id}: a latency per op`);
      assert.deepEqual(p.errors, {}, `${p.id} errors`);
    }
    assert.equal(report.errorCount, 0);
    assert.equal(report.startup.warm.objectsFound, report.startup.warm.objectsExpected, 'a restart keeps every object');
    assert.ok(report.startup.cold.readyMs > 0 && report.startup.warm.readyMs > 0);
    assert.ok(report.memory.idleAfterStartMiB > 0 && report.memory.peakMiB >= report.memory.idleAfterStartMiB);
    for (const b of [report.baseline.groupCommitPut, report.baseline.syncPut, report.baseline.get]) {
      assert.ok(b.ops > 0 && b.errorCount === 0);
    }
    assert.ok(report.ratios.createVsLevelGroupCommitPut > 0 && report.ratios.getVsLevelGet > 0);
    assert.deepEqual(report.shutdownExitCodes, [0, 0], 'SIGTERM shuts the server down cleanly');

    // Pod start-up on its own server child with simulated nodes: every replica Running and Ready.
    assert.match(output, /^pod start-up: Deployment of 50 replicas on 5 simulated nodes/m);
    assert.equal(report.podStartup.length, 1);
    const pods = report.podStartup[0]!;
    assert.equal(pods.podsReady, pods.replicas);
    assert.ok(pods.createdPerSec > 0 && pods.scheduledPerSec > 0 && pods.createToAllReadyMs > 0, JSON.stringify(pods));
    assert.ok(pods.startup.p50Ms <= pods.startup.p90Ms && pods.startup.p90Ms <= pods.startup.p99Ms, JSON.stringify(pods.startup));
    assert.ok(pods.serverArgs.includes('--kube-api-qps'), 'the tuned run passes the client flags');
    assert.equal(pods.shutdownExitCode, 0);
    assert.equal(report.phases.find((p) => p.id === 'pod-startup')?.ops, pods.replicas);

    // Real pods on a kubelet with containerd: 1 then 10 at once, every one Ready, nothing left running.
    const kubelet = report.kubeletPodStartup;
    const skip = containerdSkipReason();
    if (skip) {
      assert.equal(kubelet.skipped, skip);
      assert.match(output, /^kubelet pod start-up on containerd: skipped: /m);
    } else {
      assert.equal(kubelet.skipped, undefined);
      assert.match(output, /^\s+run\s+pods\s+Ready\s+p50 ms\s+p99 ms\s+max ms\s+SLO/m, 'the kubelet table is printed');
      assert.equal(kubelet.runs.length, 1);
      const run = kubelet.runs[0]!;
      assert.equal(run.failure, undefined);
      assert.equal(run.kubeletAPIQPS, 50, 'the kubelet\'s default --kube-api-qps');
      assert.deepEqual(run.rounds.map((r) => [r.pods, r.podsReady, r.startup.count]), [[1, 1, 1], [10, 10, 10]]);
      for (const r of run.rounds) {
        assert.ok(r.startup.p50Ms > 0 && r.startup.p50Ms <= r.startup.p99Ms && r.startup.p99Ms <= r.startup.maxMs, JSON.stringify(r.startup));
        assert.ok(r.deleteToAllGoneMs > 0, 'the pods were deleted and awaited');
        assert.equal(report.phases.find((p) => p.id === r.id)?.ops, r.pods);
      }
      assert.equal(run.shutdownExitCode, 0);
      assert.deepEqual(run.leftovers, [], 'no containerd or shim left running');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
