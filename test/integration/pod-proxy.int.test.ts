// kubectl logs, exec, attach, port-forward, get --raw nodes/proxy and top, as a user runs them: the
// real API server proxies to a kubelet HTTPS server (started here, with the cluster CA) whose
// containers are real log files and a stand-in runtime; the Node's status says where it listens.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { createSummaryProvider, type NodeReading } from '../../src/kubelet/stats/index.ts';
import WebSocket from 'ws';
import { kubectl, kubectlBinaries, kubectlOk, readKubeconfig, spawnKubectl, startTestServer, type TestServer } from '../helpers/index.ts';
import { runningPod, startEchoServer, startTestKubelet, testCerts, type TestKubelet } from './kubelet-server-fixtures.ts';

const T = { timeout: 60_000 };
type Obj = Record<string, any>;

let server: TestServer;
let kubelet: TestKubelet;
let dir: string;
let echo: Awaited<ReturnType<typeof startEchoServer>>;
const clock = new FakeClock(Date.now());
let node: NodeReading = { cpuUsageCoreNanoSeconds: 100e9, memoryCapacityBytes: 8 * 2 ** 30, memoryUsageBytes: 2 * 2 ** 30, memoryWorkingSetBytes: 2 ** 30, memoryRssBytes: 2 ** 29 };

const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: server.kubeconfigPath, input });
const ok = (args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath });

before(async () => {
  server = await startTestServer();
  dir = await mkdtemp(join(tmpdir(), 'k8ts-pod-proxy-'));
  const ca = { cert: await readFile(join(server.certsDir, 'ca.crt'), 'utf8'), key: await readFile(join(server.certsDir, 'ca.key'), 'utf8') };
  const certs = await testCerts(ca);
  const summaries = createSummaryProvider({
    runtime: { listContainerStats: () => kubelet.runtime.listContainerStats(), listContainers: (f) => kubelet.runtime.listContainers(f), listPodSandbox: (f) => kubelet.runtime.listPodSandbox(f) } as TestKubelet['runtime'],
    nodeName: 'n', pods: () => [...kubelet.pods.values()], clock, readNode: async () => node, housekeepingIntervalMs: 0,
  });
  kubelet = await startTestKubelet(certs, () => summaries.summary());
  echo = await startEchoServer();
  kubelet.runtime.ports.set(80, echo.port);

  await registerNode('n', kubelet.server.port);
  const logPath = join(dir, 'p.log');
  await writeFile(logPath, '2024-05-01T10:00:00.000000001Z stdout F hello\n2024-05-01T10:00:01Z stderr F world\n');
  const p = await createPod('p', ['c']);
  kubelet.runtime.add({ id: 'c1', sandboxId: 's1', pod: { name: 'p', namespace: 'default', uid: p.metadata.uid! }, name: 'c', state: 'CONTAINER_RUNNING', logPath });
  await reportStatus(runningPod('default', 'p', p.metadata.uid!, [{ name: 'c', id: 'c1' }]));

  const m = await createPod('m', ['a', 'b']);
  await reportStatus(runningPod('default', 'm', m.metadata.uid!, [{ name: 'a', id: 'ma' }, { name: 'b', id: 'mb' }]));
  const w = await createPod('w', ['c']);
  const waiting = runningPod('default', 'w', w.metadata.uid!, [{ name: 'c', id: 'wc' }]);
  (waiting.status as Obj).phase = 'Pending';
  (waiting.status as Obj).containerStatuses[0] = { name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } };
  await reportStatus(waiting);

  // Two samples 10 s apart: node +2.5 s of CPU (250m), the container +1 s (100m).
  const at = (ms: number) => BigInt(ms) * 1_000_000n;
  kubelet.runtime.stats = [{ id: 'c1', podSandboxId: 's1', name: 'c', cpuUsageCoreNanoSeconds: 5_000_000_000n, timestamp: at(clock.now()), memoryWorkingSetBytes: 20n * 2n ** 20n, memoryUsageBytes: 30n * 2n ** 20n, rssBytes: 10n * 2n ** 20n }];
  await summaries.summary();
  clock.step(10_000);
  node = { ...node, cpuUsageCoreNanoSeconds: node.cpuUsageCoreNanoSeconds + 2.5e9 };
  kubelet.runtime.stats = [{ ...kubelet.runtime.stats[0]!, cpuUsageCoreNanoSeconds: 6_000_000_000n, timestamp: at(clock.now()) }];
  await summaries.summary();
});

after(async () => {
  await kubelet?.server.close();
  await echo?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function registerNode(name: string, port: number): Promise<void> {
  const r = await server.request('POST', '/api/v1/nodes', {
    body: {
      apiVersion: 'v1', kind: 'Node', metadata: { name },
      status: {
        capacity: { cpu: '4', memory: '8Gi', pods: '110' },
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }],
        daemonEndpoints: { kubeletEndpoint: { Port: port } },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      },
    },
  });
  assert.equal(r.status, 201, r.body);
}

async function createPod(name: string, containers: string[], nodeName = 'n'): Promise<KObject> {
  const r = await server.request('POST', '/api/v1/namespaces/default/pods', {
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) } },
  });
  assert.equal(r.status, 201, r.body);
  return r.json as KObject;
}

/** What the kubelet would do: post the status, and serve the pod as it now is. */
async function reportStatus(pod: KObject): Promise<void> {
  const path = `/api/v1/namespaces/default/pods/${pod.metadata.name}`;
  const current = (await server.request('GET', path)).json as KObject;
  const r = await server.request('PUT', `${path}/status`, { body: { ...current, status: { ...(current.status as Obj), ...(pod.status as Obj) } } });
  assert.equal(r.status, 200, r.body);
  kubelet.pods.set(pod.metadata.name!, r.json as KObject);
}

describe('kubectl logs', () => {
  test('prints the container log; --tail 1 the last line', T, async () => {
    assert.equal(await ok(['logs', 'p']), 'hello\nworld\n');
    assert.equal(await ok(['logs', 'p', '--tail', '1']), 'world\n');
    assert.equal(await ok(['logs', 'p', '--timestamps', '--tail=1']), '2024-05-01T10:00:01.000000000Z world\n');
    assert.equal(await ok(['logs', 'p', '--limit-bytes=3']), 'hel');
  });

  test('a wrong container, a missing choice, a waiting container: upstream\'s messages', T, async () => {
    // kubectl checks the name itself first; the API server's answer is the same sentence.
    const wrong = await k(['logs', 'p', '-c', 'wrong']);
    assert.equal(wrong.code, 1);
    assert.equal(wrong.stderr.trim(), 'error: container wrong is not valid for pod p');
    const raw = await k(['get', '--raw', '/api/v1/namespaces/default/pods/p/log?container=wrong']);
    assert.equal(raw.stderr.trim(), 'Error from server (BadRequest): container wrong is not valid for pod p');
    const choose = await k(['get', '--raw', '/api/v1/namespaces/default/pods/m/log']);
    assert.equal(choose.stderr.trim(), 'Error from server (BadRequest): a container name must be specified for pod m, choose one of: [a b]');
    const waiting = await k(['logs', 'w']);
    assert.equal(waiting.stderr.trim(), 'Error from server (BadRequest): container "c" in pod "w" is waiting to start: ContainerCreating');
    const invalid = await k(['get', '--raw', '/api/v1/namespaces/default/pods/p/log?tailLines=-2']);
    assert.match(invalid.stderr, /PodLogOptions "p" is invalid: tailLines: Invalid value: -2: must be greater than or equal to 0/);
  });

  test('-f follows the file until the container stops', T, async () => {
    const logPath = join(dir, 'f.log');
    await writeFile(logPath, '2024-05-01T10:00:00Z stdout F first\n');
    const f = await createPod('f', ['c']);
    kubelet.runtime.add({ id: 'f1', sandboxId: 's2', pod: { name: 'f', namespace: 'default', uid: f.metadata.uid! }, name: 'c', state: 'CONTAINER_RUNNING', logPath });
    await reportStatus(runningPod('default', 'f', f.metadata.uid!, [{ name: 'c', id: 'f1' }]));
    const follow = spawnKubectl(['logs', '-f', 'f'], { kubeconfig: server.kubeconfigPath });
    try {
      await follow.waitForLine(/^first$/);
      await appendFile(logPath, '2024-05-01T10:00:01Z stdout F second\n');
      await follow.waitForLine(/^second$/);
      kubelet.runtime.containers.get('f1')!.state = 'CONTAINER_EXITED';
      assert.equal(await follow.waitForExit(), 0);
      assert.deepEqual(follow.lines, ['first', 'second']);
    } finally {
      await follow.stop();
    }
  });

  test('an unreachable kubelet: kube-apiserver\'s dial error', T, async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await registerNode('gone', port);
    await createPod('q', ['c'], 'gone');
    const r = await k(['logs', 'q']);
    assert.equal(r.stderr.trim(), `Error from server: Get "https://127.0.0.1:${port}/containerLogs/default/q/c": dial tcp 127.0.0.1:${port}: connect: connection refused`);
  });
});

describe('nodes/proxy', () => {
  test('kubectl get --raw reaches the kubelet\'s own paths', T, async () => {
    assert.equal(await ok(['get', '--raw', '/api/v1/nodes/n/proxy/healthz']), 'ok');
    const pods = JSON.parse(await ok(['get', '--raw', '/api/v1/nodes/n/proxy/pods']));
    assert.ok(pods.items.some((p: Obj) => p.metadata.name === 'p'));
  });
});

describe('kubectl exec, attach, port-forward', () => {
  for (const { label, bin } of kubectlBinaries().filter((b) => /PATH|1\.27|1\.30|1\.33/.test(b.label))) {
    test(`${label}: exec prints, reads stdin and passes the exit code`, T, async () => {
      const run = (args: string[], input?: string) => kubectl(args, { kubeconfig: server.kubeconfigPath, bin, input });
      const hi = await run(['exec', 'p', '--', 'echo', 'hi', 'there']);
      assert.deepEqual([hi.code, hi.stdout], [0, 'hi there\n'], hi.stderr);
      const cat = await run(['exec', '-i', 'p', '--', 'cat'], 'from stdin\n');
      assert.deepEqual([cat.code, cat.stdout], [0, 'from stdin\n'], cat.stderr);
      const exit = await run(['exec', 'p', '--', 'exit', '3']);
      assert.equal(exit.code, 3);
      assert.match(exit.stderr, /command terminated with exit code 3/);
    });
  }

  test('exec into a container that is not running: the kubelet\'s answer', T, async () => {
    const r = await k(['exec', 'm', '-c', 'a', '--', 'echo']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'error: unable to upgrade connection: container not found ("a")');
  });

  test('attach reaches the container', T, async () => {
    const r = await k(['attach', 'p']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /attached/);
  });

  for (const { label, bin } of kubectlBinaries().filter((b) => /PATH|1\.27/.test(b.label))) {
    test(`${label}: port-forward reaches a port in the pod`, T, async () => {
      await portForward(bin);
    });
  }

  async function portForward(bin: string): Promise<void> {
    const pf = spawnKubectl(['port-forward', 'pod/p', ':80'], { kubeconfig: server.kubeconfigPath, bin });
    try {
      const line = await pf.waitForLine(/Forwarding from 127\.0\.0\.1:\d+ -> 80/);
      const local = Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]);
      const reply = await new Promise<string>((resolve, reject) => {
        const s = connect(local, '127.0.0.1', () => s.write('ping\n'));
        s.on('data', (d) => { resolve(d.toString()); s.end(); });
        s.on('error', reject);
      });
      assert.equal(reply, 'echo: ping\n');
    } finally {
      await pf.stop();
    }
  }

  test('an upgrade is authenticated like any other request', T, async () => {
    const ws = new WebSocket(`${server.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/p/exec?command=echo&stdout=true`, ['v5.channel.k8s.io'], {
      ca: readKubeconfig(server.kubeconfigPath).ca,
    });
    const answer = await new Promise<{ status: number; body: string }>((resolve) => {
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      ws.on('open', () => resolve({ status: 101, body: '' }));
      ws.on('error', () => {});
    });
    assert.equal(answer.status, 401);
    assert.equal(JSON.parse(answer.body).reason, 'Unauthorized');
  });

  test('exec without an upgrade is refused', T, async () => {
    const r = await server.request('POST', '/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true');
    assert.equal(r.status, 400);
    assert.equal(r.json.message, 'Upgrade request required');
  });
});

describe('kubectl top', () => {
  test('top node shows the kubelet\'s usage against allocatable', T, async () => {
    const out = await ok(['top', 'node', 'n']);
    assert.match(out, /^n\s+250m\s+6%\s+1024Mi\s+12%\s*$/m, out);
  });

  test('top pod shows the container usage', T, async () => {
    const out = await ok(['top', 'pod', 'p']);
    assert.match(out, /^p\s+100m\s+20Mi\s*$/m, out);
    // m's containers report no stats: metrics-server's answer.
    const missing = await k(['top', 'pod', 'm']);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/m" not found');
  });
});
