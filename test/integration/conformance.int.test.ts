// `npm run conformance` against the real server, as a user runs it: a child process given only the
// kubeconfig, printing the table and writing the JSON report. The cluster is the API server plus the
// controller-manager, the scheduler and three simulated nodes, as `npm start -- --simulated-nodes 3`
// runs them, so the workload scenarios see pods scheduled, running and completing. Every scenario must pass; the ones k8ts
// is known to fail are todo with the reason, so they show up until the server is fixed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allScenarios } from '../../conformance/scenarios/index.ts';
import { startClientComponents, type RunningComponents } from '../../src/components/run-components.ts';
import { startTestServer, type TestServer } from '../helpers/index.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Scenarios k8ts fails today, by name, with what upstream does instead. */
const KNOWN_GAPS: Record<string, string> = {};

interface ReportEntry {
  name: string;
  upstream: string;
  status: 'PASS' | 'FAIL' | 'SKIP';
  durationMs: number;
  error: string | null;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  report: { serverVersion: string; kubectlVersion: string; started: string; scenarios: ReportEntry[] };
}

let server: TestServer;
let components: RunningComponents;
let dir: string;
let run: Run;

before(async () => {
  server = await startTestServer();
  components = startClientComponents({
    components: ['controller-manager', 'scheduler', 'simulated-nodes'],
    kubeconfigPath: server.kubeconfigPath,
    leaderElect: false,
    leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    log: () => {},
    simulatedNodes: { count: 3, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, qps: 50 },
  });
  dir = await mkdtemp(join(tmpdir(), 'k8ts-conformance-'));
  const jsonPath = join(dir, 'report.json');
  const args = ['run', '--silent', 'conformance', '--', '--kubeconfig', server.kubeconfigPath, '--json', jsonPath, '--kubectl', process.env.KUBECTL ?? 'kubectl'];
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('npm', args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KUBECONFIG: '' } });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c ?? 1, stdout: out, stderr: err }));
  });
  let report: Run['report'];
  try {
    report = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (err) {
    throw new Error(`no JSON report (exit ${code}): ${(err as Error).message}\nstdout: ${stdout}\nstderr: ${stderr}`);
  }
  run = { code, stdout, stderr, report };
});

after(async () => {
  await components?.stop();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run conformance against k8ts', { timeout: 180_000 }, () => {
  test('the JSON report lists every scenario with its upstream name, and the versions', () => {
    const expected = allScenarios().map((s) => [s.name, s.upstream.codename]);
    assert.deepEqual(run.report.scenarios.map((s) => [s.name, s.upstream]), expected);
    assert.match(run.report.serverVersion, /^v\d+\.\d+\.\d+/);
    assert.match(run.report.kubectlVersion, /^v\d+\.\d+\.\d+/);
    assert.ok(!Number.isNaN(Date.parse(run.report.started)), 'started is a timestamp');
    assert.ok(run.report.scenarios.length >= 40, `${run.report.scenarios.length} scenarios`);
    for (const s of run.report.scenarios) {
      assert.ok(Number.isInteger(s.durationMs) && s.durationMs >= 0, `${s.name}: durationMs`);
      assert.equal(s.error === null, s.status === 'PASS', `${s.name}: error is set exactly when it did not pass`);
    }
  });

  test('the printed table has a row per scenario, the totals and the report path; the exit code follows the failures', () => {
    for (const s of run.report.scenarios) assert.ok(run.stdout.includes(`${s.status.padEnd(4)}`) && run.stdout.includes(s.upstream), `row for ${s.name}`);
    const failed = run.report.scenarios.filter((s) => s.status === 'FAIL').length;
    const passed = run.report.scenarios.filter((s) => s.status === 'PASS').length;
    assert.match(run.stdout, new RegExp(`^${passed} passed, ${failed} failed, 0 skipped \\(${run.report.scenarios.length} scenarios\\)`, 'm'));
    assert.match(run.stdout, /^JSON report: .*report\.json$/m);
    assert.equal(run.code, failed === 0 ? 0 : 1, `exit code with ${failed} failures (stderr: ${run.stderr})`);
  });

  test('every known gap names a scenario that exists', () => {
    const names = new Set(allScenarios().map((s) => s.name));
    for (const name of Object.keys(KNOWN_GAPS)) assert.ok(names.has(name), `KNOWN_GAPS lists ${name}`);
  });

  describe('scenarios', () => {
    for (const s of allScenarios()) {
      const gap = KNOWN_GAPS[s.name];
      test(s.name, gap ? { todo: gap } : {}, () => {
        const entry = run.report.scenarios.find((r) => r.name === s.name);
        assert.ok(entry, `${s.name} is in the report`);
        assert.equal(entry.status, 'PASS', `${s.upstream.codename}: ${entry.error ?? ''}`);
      });
    }
  });
});
