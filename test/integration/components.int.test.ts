// The control-plane components as a user runs them: `npm start -- --components=…` processes that
// reach the API server through a kubeconfig and elect a leader through kube-system Leases, and the
// controller manager starting its controllers only while it leads.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { ControllerDescriptor } from '../../src/components/controller-manager/controller-context.ts';
import type { Lease } from '../../src/controllers/framework/lease-lock.ts';
import { waitFor, type TestServer } from '../helpers/index.ts';
import { closeServerWithClient, startServerWithClient } from '../helpers/server-with-client.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FAST_ELECTION = ['--leader-elect-lease-duration=2s', '--leader-elect-renew-deadline=1s', '--leader-elect-retry-period=200ms'];

let server: TestServer;
let client: KubeClient;
before(async () => ({ server, client } = await startServerWithClient()));
after(() => closeServerWithClient({ server, client }));

async function leaseSpec(name: string): Promise<NonNullable<Lease['spec']> | undefined> {
  try {
    return (await client.resource<Lease>(GVR.leases).namespace('kube-system').get(name)).spec;
  } catch {
    return undefined;
  }
}

interface Proc { child: ChildProcess; stderr: () => string; exited: Promise<number | null> }

function startComponents(args: string[]): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d; });
  child.stdout!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

async function terminate(p: Proc): Promise<number | null> {
  if (p.child.exitCode === null) p.child.kill('SIGTERM');
  return p.exited;
}

describe('components', { timeout: 120_000 }, () => {
  test('controller managers in separate processes: one leads the kube-controller-manager Lease, the other takes over when it stops', async () => {
    const first = startComponents(['--components=controller-manager,scheduler', '--kubeconfig', server.kubeconfigPath, ...FAST_ELECTION]);
    let second: Proc | undefined;
    try {
      await waitFor(() => /started controller-manager, scheduler \(API server https:\/\/127\.0\.0\.1:\d+\)/.test(first.stderr()), { message: 'first process started', timeoutMs: 30_000 });
      await waitFor(() => first.stderr().includes('controller-manager: running controllers: '), { message: 'first leads', timeoutMs: 15_000 });
      const holder1 = (await waitFor(async () => (await leaseSpec('kube-controller-manager'))?.holderIdentity, { message: 'lease held' }))!;
      assert.ok((await waitFor(async () => (await leaseSpec('kube-scheduler'))?.holderIdentity)), 'the scheduler holds its own Lease');

      second = startComponents(['--components=controller-manager', '--kubeconfig', server.kubeconfigPath, ...FAST_ELECTION]);
      await waitFor(() => second!.stderr().includes(`controller-manager: new leader elected: ${holder1}`), { message: 'second sees the first lead', timeoutMs: 30_000 });
      assert.equal(second.stderr().includes('running controllers: '), false, 'the second does not run controllers');

      assert.equal(await terminate(first), 0);
      const holder2 = (await waitFor(async () => {
        const h = (await leaseSpec('kube-controller-manager'))?.holderIdentity;
        return h && h !== holder1 ? h : undefined;
      }, { message: 'second takes over', timeoutMs: 15_000 }))!;
      await waitFor(() => second!.stderr().includes('controller-manager: running controllers: '), { message: 'second runs the controllers' });
      assert.match(second.stderr(), new RegExp(`successfully acquired lease kube-system/kube-controller-manager`));
      assert.ok(second.stderr().includes(`controller-manager: new leader elected: ${holder2}`), 'the new holder is the second process');
      assert.equal((await leaseSpec('kube-controller-manager'))?.leaseTransitions, 1);
      assert.equal(await terminate(second), 0);
      assert.equal((await leaseSpec('kube-controller-manager'))?.holderIdentity, '', 'released on SIGTERM');
    } finally {
      await terminate(first);
      if (second) await terminate(second);
    }
  });

  test('a components-only process with a kubeconfig that does not exist fails with one line', async () => {
    const p = startComponents(['--components=controller-manager', '--kubeconfig', '/nonexistent/admin.kubeconfig']);
    assert.equal(await p.exited, 1);
    assert.match(p.stderr(), /k8ts: cannot start controller-manager with kubeconfig \/nonexistent\/admin\.kubeconfig: ENOENT/);
  });

  test('in-process controller managers start their controllers only while leading', async () => {
    const starts: string[] = [];
    const stops: string[] = [];
    const descriptor = (who: string): ControllerDescriptor => ({
      name: 'test-controller',
      start: (ctx) => {
        assert.match(ctx.client.userAgent, /^kube-controller-manager\/.*\/test-controller$/);
        starts.push(who);
        return { stop: async () => { stops.push(who); } };
      },
    });
    const logs: string[] = [];
    const settings = { leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 };
    const lease = () => leaseSpec('kube-controller-manager');
    // The earlier test leaves the lease released; wait for any holder from it to be gone.
    await waitFor(async () => !(await lease())?.holderIdentity, { message: 'lease free' });
    const a = startControllerManager({ client, leaderElect: true, leaderElection: settings, controllers: [descriptor('a')], identity: 'cm-a', log: (m) => logs.push(`a ${m}`) });
    await waitFor(() => starts.includes('a'), { message: 'a starts its controllers' });
    const b = startControllerManager({ client, leaderElect: true, leaderElection: settings, controllers: [descriptor('b')], identity: 'cm-b', log: (m) => logs.push(`b ${m}`) });
    await waitFor(() => logs.some((l) => l === 'b controller-manager: new leader elected: cm-a'), { message: 'b observes a' });
    assert.deepEqual(starts, ['a']);
    assert.ok(logs.includes('a controller-manager: running controllers: test-controller'), logs.join('\n'));
    await a.stop();
    assert.deepEqual(stops, ['a']);
    await waitFor(() => starts.includes('b'), { message: 'b takes over', timeoutMs: 5000 });
    await b.stop();
    assert.deepEqual(starts, ['a', 'b']);
    assert.deepEqual(stops, ['a', 'b']);
  });

  test('--leader-elect=false runs the controllers without a Lease', async () => {
    const starts: string[] = [];
    const cm = startControllerManager({
      client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
      controllers: [{ name: 'x', start: () => { starts.push('x'); return { stop: async () => {} }; } }], log: () => {},
    });
    await waitFor(() => starts.length === 1, { message: 'started' });
    await cm.stop();
  });
});
