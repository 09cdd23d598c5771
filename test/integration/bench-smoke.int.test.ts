// `npm run bench -- --quick` end to end, so the benchmark code keeps working: every phase runs, does
// some work and sees no errors. It asserts no timings — figures are for people to read, not for CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from '../../bench/report.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('bench --quick reports every phase with work done and zero errors', { timeout: 180_000 }, async () => {
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
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
