// The kubelet core against the real API server, on the fake runtime (src/kubelet/testing): the node
// registers Ready with its capacity and a Lease; a pod bound to it goes Running with container
// statuses; a container exiting 1 goes to CrashLoopBackOff with a growing restart count and
// growing back-off delays; a graceful delete stops the containers within the grace period before
// the final delete; a restarted kubelet adopts running containers without restarting them.
// The kubelet's clock is a FakeClock run at 20× real time, so back-offs and grace periods pass
// quickly while staying in the kubelet's own time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { FakeClock, GVR, KubeClient } from '../../src/client/index.ts';
import { startKubelet, type RunningKubelet } from '../../src/kubelet/kubelet.ts';
import { FakeRuntime, type FakeProcess } from '../../src/kubelet/testing/fake-runtime.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

type Obj = Record<string, any>;

const NODE = 'kubelet-fake-0';
const BUSYBOX = 'docker.io/library/busybox:latest';

let server: TestServer;
let client: KubeClient;
let clock: FakeClock;
let ticker: NodeJS.Timeout;
let runtime: FakeRuntime;
let kubelet: RunningKubelet | undefined;
let dataDir: string;

function start(): Promise<RunningKubelet> {
  return startKubelet({
    client, runtime, nodeName: NODE, dataDir, hostIP: '10.0.0.10', podCIDR: '10.88.0.0/24', kubeletPort: 10250, clock,
    log: process.env.K8TS_TEST_LOG ? (m) => process.stderr.write(`${m}\n`) : () => {},
  });
}

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  dataDir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-'));
  clock = new FakeClock(Date.now());
  ticker = setInterval(() => clock.step(100), 5);
  runtime = new FakeRuntime({ clock, images: [BUSYBOX], registry: [BUSYBOX] });
  runtime.behaviour = (config, sandbox) => behaviours.get(`${sandbox.metadata.name}/${config.metadata.name}`)?.();
  kubelet = await start();
});
after(async () => {
  await kubelet?.stop();
  clearInterval(ticker);
  await runtime?.close();
  client?.close();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Per "pod/container": how its fake process behaves (default: from its command). */
const behaviours = new Map<string, () => FakeProcess>();

const kc = (args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath });
const st = (o: KObject) => (o.status ?? {}) as Obj;

function pod(name: string, spec: Obj): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: NODE, ...spec } };
}

async function getPod(ns: string, name: string): Promise<KObject> {
  return client.resource(GVR.pods).namespace(ns).get(name);
}

async function events(ns: string, name: string): Promise<Obj[]> {
  const list = await client.resource(GVR.events).namespace(ns).list({ fieldSelector: `involvedObject.name=${name}` });
  return list.items as Obj[];
}

/** Waits until the object's events include each "<type> <reason>: <message>" (events are written asynchronously). */
async function eventsInclude(ns: string, name: string, want: string[]): Promise<void> {
  let seen: string[] = [];
  await waitFor(async () => {
    seen = (await events(ns, name)).map((e) => `${e.type} ${e.reason}: ${e.message}`);
    return want.every((w) => seen.includes(w));
  }, { message: `events of ${name}: ${want.join(' | ')}` }).catch((err) => {
    throw new Error(`${(err as Error).message}\nseen:\n${seen.join('\n')}`);
  });
}

describe('kubelet on the fake runtime', { timeout: 120_000 }, () => {
  test('the node registers Ready with capacity, addresses, runtime version and a Lease', async () => {
    const node = await waitFor(async () => {
      const n = await client.resource(GVR.nodes).get(NODE);
      return (st(n).conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    }, { message: 'node Ready' });
    const s = st(node);
    assert.equal(s.capacity.pods, '110');
    assert.match(s.capacity.cpu, /^\d+$/);
    assert.match(s.capacity.memory, /^\d+(Ki|Mi|Gi)$/);
    assert.ok(s.capacity['ephemeral-storage']);
    assert.deepEqual(s.addresses, [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: NODE }]);
    assert.equal(s.nodeInfo.containerRuntimeVersion, 'containerd://1.6.20');
    assert.equal(s.daemonEndpoints.kubeletEndpoint.Port, 10250);
    const ready = s.conditions.find((c: Obj) => c.type === 'Ready');
    assert.equal(ready.reason, 'KubeletReady');
    assert.equal(ready.message, 'kubelet is posting ready status');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], NODE);
    assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
    assert.equal((node.spec as Obj).podCIDR, '10.88.0.0/24');
    const lease = await waitFor(() => client.resource(GVR.leases).namespace('kube-node-lease').get(NODE));
    assert.equal((lease.spec as Obj).holderIdentity, NODE);
    const wide = await kc(['get', 'node', NODE, '-o', 'wide']);
    assert.match(wide, new RegExp(`${NODE}\\s+Ready\\s+<none>\\s+\\S+\\s+v\\S+\\s+10\\.0\\.0\\.10\\s+<none>\\s+.+containerd://1\\.6\\.20`));
  });

  test('a pod bound to the node goes Running with its container statuses, IP and conditions', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('web', { containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo hi; sleep 3600'] }] }));
    const p = await waitFor(async () => {
      const x = await getPod(ns, 'web');
      return st(x).phase === 'Running' && st(x).containerStatuses?.[0]?.ready ? x : undefined;
    }, { message: 'pod Running and ready' });
    const s = st(p);
    const cs = s.containerStatuses[0];
    assert.equal(cs.name, 'app');
    assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]+$/);
    assert.ok(cs.state.running.startedAt);
    assert.equal(cs.restartCount, 0);
    assert.equal(cs.started, true);
    assert.equal(cs.image, BUSYBOX);
    assert.match(cs.imageID, /^sha256:/);
    assert.match(s.podIP, /^10\.88\.0\.\d+$/);
    assert.deepEqual(s.podIPs, [{ ip: s.podIP }]);
    assert.equal(s.hostIP, '10.0.0.10');
    assert.equal(s.qosClass, 'BestEffort');
    assert.ok(s.startTime);
    const types = Object.fromEntries(s.conditions.map((c: Obj) => [c.type, c.status]));
    assert.deepEqual(types, { PodReadyToStartContainers: 'True', Initialized: 'True', Ready: 'True', ContainersReady: 'True', PodScheduled: 'True' });
    const out = await kc(['get', 'pod', 'web', '-n', ns]);
    assert.match(out, /web\s+1\/1\s+Running\s+0\s+/);
    // busybox means busybox:latest, pulled every time (Always).
    await eventsInclude(ns, 'web', [
      'Normal Pulling: Pulling image "busybox"',
      'Normal Created: Created container: app',
      'Normal Started: Started container app',
    ]);
    assert.ok((await events(ns, 'web')).some((e) => /^Successfully pulled image "busybox" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/.test(e.message)));
  });

  test('a container that exits 1 goes CrashLoopBackOff with a growing restart count and doubling back-off', async () => {
    const ns = await createNamespace(server, 'kubelet');
    const starts: number[] = [];
    behaviours.set('crash/app', () => {
      starts.push(clock.now());
      return { runMs: 0, exitCode: 1 };
    });
    const created = await client.resource(GVR.pods).namespace(ns).create(pod('crash', { containers: [{ name: 'app', image: 'busybox' }] }));
    const uid = created.metadata.uid;
    const looping = await waitFor(async () => {
      const x = await getPod(ns, 'crash');
      const cs = st(x).containerStatuses?.[0];
      return cs?.restartCount >= 2 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? cs : undefined;
    }, { timeoutMs: 20_000, message: 'CrashLoopBackOff with restarts' });
    const waitingPod = await waitFor(async () => {
      const x = await getPod(ns, 'crash');
      return st(x).containerStatuses?.[0]?.state?.waiting ? x : undefined;
    });
    const ready = st(waitingPod).conditions.find((c: Obj) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ContainersNotReady', 'containers with unready status: [app]']);
    assert.match(looping.state.waiting.message, new RegExp(`^back-off (10|20|40|80)s restarting failed container=app pod=crash_${ns}\\(${uid}\\)$`));
    assert.equal(looping.lastState.terminated.exitCode, 1);
    assert.equal(looping.lastState.terminated.reason, 'Error');
    assert.equal(looping.ready, false);
    await waitFor(() => starts.length >= 5, { timeoutMs: 30_000, message: 'five starts' });
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    // Restart 1 at once, then 10 s, 20 s, 40 s (in the kubelet's time).
    assert.ok(gaps[0]! < 10_000, `first restart at once, gaps ${gaps}`);
    assert.ok(gaps[1]! >= 10_000 && gaps[1]! < 20_000, `second after 10 s, gaps ${gaps}`);
    assert.ok(gaps[2]! >= 20_000 && gaps[2]! < 40_000, `third after 20 s, gaps ${gaps}`);
    assert.ok(gaps[3]! >= 40_000 && gaps[3]! < 80_000, `fourth after 40 s, gaps ${gaps}`);
    const p = await getPod(ns, 'crash');
    assert.ok(st(p).containerStatuses[0].restartCount >= 3);
    assert.equal(st(p).phase, 'Running');
    const out = await kc(['get', 'pod', 'crash', '-n', ns]);
    assert.match(out, /crash\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+/);
    await eventsInclude(ns, 'crash', [`Warning BackOff: Back-off restarting failed container app in pod crash_${ns}(${uid})`]);
    const backOff = (await events(ns, 'crash')).find((e) => e.reason === 'BackOff');
    assert.equal(backOff?.involvedObject.fieldPath, 'spec.containers{app}');
    behaviours.delete('crash/app');
  });

  test('a missing image waits in ErrImagePull, then ImagePullBackOff, with the pull events', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('nopull', { containers: [{ name: 'app', image: 'example.com/nope:1' }] }));
    const seen = new Set<string>();
    await waitFor(async () => {
      const reason = st(await getPod(ns, 'nopull')).containerStatuses?.[0]?.state?.waiting?.reason;
      if (reason) seen.add(reason);
      return seen.has('ErrImagePull') && seen.has('ImagePullBackOff');
    }, { timeoutMs: 20_000, intervalMs: 20, message: `ErrImagePull then ImagePullBackOff (seen ${[...seen]}) ${JSON.stringify(st(await getPod(ns, "nopull")).containerStatuses)}` });
    await eventsInclude(ns, 'nopull', [
      'Normal Pulling: Pulling image "example.com/nope:1"',
      'Warning Failed: Failed to pull image "example.com/nope:1": failed to pull and unpack image "example.com/nope:1": failed to resolve reference "example.com/nope:1": example.com/nope:1: not found',
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "example.com/nope:1"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    assert.equal(st(await getPod(ns, 'nopull')).phase, 'Pending');
  });

  test('a pod asking for more cpu than the node has is rejected: Failed, OutOfcpu', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('huge', { containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '1000' } } }] }));
    const p = await waitFor(async () => {
      const x = await getPod(ns, 'huge');
      return st(x).phase === 'Failed' ? x : undefined;
    });
    const node = await client.resource(GVR.nodes).get(NODE);
    const cpu = Number(st(node).allocatable.cpu) * 1000;
    assert.equal(st(p).reason, 'OutOfcpu');
    assert.equal(st(p).message, `Pod was rejected: Node didn't have enough resource: cpu, requested: 1000000, used: 0, capacity: ${cpu}`);
    await eventsInclude(ns, 'huge', [`Warning OutOfcpu: Node didn't have enough resource: cpu, requested: 1000000, used: 0, capacity: ${cpu}`]);
    assert.equal(runtime.containersOf('huge').length, 0);
  });

  test('restartPolicy Never: exit 0 ends Succeeded, exit 2 ends Failed with the termination message', async () => {
    const ns = await createNamespace(server, 'kubelet');
    behaviours.set('fails/app', () => ({ runMs: 1000, exitCode: 2, terminationMessage: 'disk full' }));
    await client.resource(GVR.pods).namespace(ns).create(pod('done', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'sleep 1'] }] }));
    await client.resource(GVR.pods).namespace(ns).create(pod('fails', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox' }] }));
    const done = await waitFor(async () => { const x = await getPod(ns, 'done'); return st(x).phase === 'Succeeded' ? x : undefined; }, { message: 'Succeeded' });
    const t = st(done).containerStatuses[0].state.terminated;
    assert.deepEqual([t.exitCode, t.reason], [0, 'Completed']);
    const ready = st(done).conditions.find((c: Obj) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason], ['False', 'PodCompleted']);
    const failed = await waitFor(async () => { const x = await getPod(ns, 'fails'); return st(x).phase === 'Failed' ? x : undefined; }, { message: 'Failed' });
    const f = st(failed).containerStatuses[0].state.terminated;
    assert.deepEqual([f.exitCode, f.reason, f.message], [2, 'Error', 'disk full']);
    // Stopped, not removed: `kubectl logs` still reads them; the sandbox is stopped.
    await waitFor(() => runtime.containersOf('done').every((c) => c.state === 'CONTAINER_EXITED') && [...runtime.sandboxes.values()].filter((s) => s.metadata.name === 'done').every((s) => s.state === 'SANDBOX_NOTREADY'));
    assert.equal(runtime.containersOf('done').length, 1);
    assert.match(await kc(['get', 'pod', 'done', '-n', ns]), /done\s+0\/1\s+Completed\s+0/);
    behaviours.delete('fails/app');
  });

  test('init containers run to completion in order before the app container', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('inits', {
      initContainers: [
        { name: 'one', image: 'busybox', command: ['sh', '-c', 'sleep 2'] },
        { name: 'two', image: 'busybox', command: ['sh', '-c', 'sleep 1'] },
      ],
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }],
    }));
    const early = await waitFor(async () => { const x = await getPod(ns, 'inits'); return st(x).initContainerStatuses ? x : undefined; });
    assert.equal(st(early).phase, 'Pending');
    const p = await waitFor(async () => { const x = await getPod(ns, 'inits'); return st(x).phase === 'Running' ? x : undefined; }, { message: 'Running' });
    const inits = st(p).initContainerStatuses;
    assert.deepEqual(inits.map((c: Obj) => [c.name, c.state.terminated?.reason, c.ready]), [['one', 'Completed', true], ['two', 'Completed', true]]);
    const order = runtime.calls.filter((c) => /^startContainer (one|two|app)$/.test(c) && runtime.containersOf('inits').length > 0);
    assert.deepEqual(order.slice(-3), ['startContainer one', 'startContainer two', 'startContainer app']);
    const initialized = st(p).conditions.find((c: Obj) => c.type === 'Initialized');
    assert.equal(initialized.status, 'True');
  });

  test('a graceful delete stops the containers with the grace period, then the pod object goes', async () => {
    const ns = await createNamespace(server, 'kubelet');
    behaviours.set('slow/app', () => ({ ignoreSigterm: true }));
    await client.resource(GVR.pods).namespace(ns).create(pod('slow', { terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox' }] }));
    await waitFor(async () => st(await getPod(ns, 'slow')).phase === 'Running');
    const deletedAt = clock.now();
    await client.resource(GVR.pods).namespace(ns).delete('slow', { gracePeriodSeconds: 10 });
    // Still there (Terminating) while the container has its grace period.
    const terminating = await getPod(ns, 'slow');
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.equal(runtime.containersOf('slow')[0]?.state, 'CONTAINER_RUNNING');
    await waitFor(async () => {
      try { await getPod(ns, 'slow'); return false; } catch { return true; }
    }, { timeoutMs: 20_000, message: 'pod object gone' });
    // Gone only after the grace period ran out (SIGKILL), with everything removed from the runtime.
    assert.ok(clock.now() - deletedAt >= 10_000, `deleted after ${clock.now() - deletedAt} ms`);
    assert.ok(runtime.calls.includes('stopContainer app 10'), runtime.calls.filter((c) => c.startsWith('stop')).join('\n'));
    assert.equal(runtime.containersOf('slow').length, 0);
    assert.equal([...runtime.sandboxes.values()].filter((s) => s.metadata.name === 'slow').length, 0);
    await eventsInclude(ns, 'slow', ['Normal Killing: Stopping container app']);
    behaviours.delete('slow/app');
  });

  test('a restarted kubelet adopts running containers without restarting them and cleans up orphans', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('keep', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] }));
    await client.resource(GVR.pods).namespace(ns).create(pod('orphan', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] }));
    const before = await waitFor(async () => {
      const [a, b] = await Promise.all([getPod(ns, 'keep'), getPod(ns, 'orphan')]);
      return st(a).phase === 'Running' && st(b).phase === 'Running' ? st(a).containerStatuses[0] : undefined;
    });
    await kubelet!.stop();
    kubelet = undefined;
    // While the kubelet is down the orphan's object goes; its container keeps running.
    await client.resource(GVR.pods).namespace(ns).delete('orphan', { gracePeriodSeconds: 0 });
    assert.equal(runtime.containersOf('orphan')[0]?.state, 'CONTAINER_RUNNING');
    const mark = runtime.calls.length;
    kubelet = await start();
    await waitFor(() => runtime.containersOf('orphan').length === 0, { timeoutMs: 20_000, message: 'orphan removed' });
    await waitFor(async () => st(await getPod(ns, 'keep')).containerStatuses?.[0]?.ready === true);
    const after = st(await getPod(ns, 'keep')).containerStatuses[0];
    assert.equal(after.containerID, before.containerID);
    assert.equal(after.restartCount, 0);
    assert.equal(after.state.running.startedAt, before.state.running.startedAt);
    const since = runtime.calls.slice(mark);
    assert.ok(!since.some((c) => c === 'runPodSandbox ' + `${ns}/keep`), since.join('\n'));
    assert.equal(runtime.containersOf('keep').length, 1);
    assert.equal(runtime.containersOf('keep')[0]!.state, 'CONTAINER_RUNNING');
  });

  test('a failing liveness probe restarts the container; a failing readiness probe keeps it unready', async () => {
    const ns = await createNamespace(server, 'kubelet');
    let healthy = true;
    behaviours.set('probed/app', () => ({ exec: () => ({ exitCode: healthy ? 0 : 1, stdout: healthy ? '' : 'cat: /tmp/healthy: No such file or directory' }) }));
    behaviours.set('unready/app', () => ({ exec: () => ({ exitCode: 1 }) }));
    const probe = (file: string) => ({ exec: { command: ['cat', file] }, periodSeconds: 1, failureThreshold: 1 });
    await client.resource(GVR.pods).namespace(ns).create(pod('probed', { containers: [{ name: 'app', image: 'busybox', livenessProbe: probe('/tmp/healthy') }] }));
    await client.resource(GVR.pods).namespace(ns).create(pod('unready', { containers: [{ name: 'app', image: 'busybox', readinessProbe: probe('/tmp/ready') }] }));
    await waitFor(async () => st(await getPod(ns, 'probed')).containerStatuses?.[0]?.ready === true, { message: 'probed ready' });
    healthy = false;
    const restarted = await waitFor(async () => {
      const cs = st(await getPod(ns, 'probed')).containerStatuses?.[0];
      return cs?.restartCount >= 1 ? cs : undefined;
    }, { timeoutMs: 20_000, message: 'restart after liveness failure' });
    assert.equal(restarted.lastState.terminated.exitCode, 143);
    await eventsInclude(ns, 'probed', [
      'Warning Unhealthy: Liveness probe failed: cat: /tmp/healthy: No such file or directory',
      'Normal Killing: Container app failed liveness probe, will be restarted',
    ]);
    healthy = true;
    const unready = await waitFor(async () => {
      const x = await getPod(ns, 'unready');
      return st(x).phase === 'Running' && st(x).containerStatuses?.[0]?.started ? x : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    const s = st(await getPod(ns, 'unready'));
    assert.equal(s.containerStatuses[0].ready, false);
    assert.equal(s.containerStatuses[0].restartCount, 0);
    const ready = s.conditions.find((c: Obj) => c.type === 'Ready');
    assert.deepEqual([ready.status, ready.reason], ['False', 'ContainersNotReady']);
    assert.ok(unready);
    behaviours.delete('probed/app');
    behaviours.delete('unready/app');
  });

  test('preStop runs before the container is stopped on delete', async () => {
    const ns = await createNamespace(server, 'kubelet');
    await client.resource(GVR.pods).namespace(ns).create(pod('hooked', {
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], lifecycle: { preStop: { exec: { command: ['sh', '-c', 'echo bye'] } }, postStart: { exec: { command: ['touch', '/started'] } } } }],
    }));
    await waitFor(async () => st(await getPod(ns, 'hooked')).phase === 'Running');
    assert.ok(runtime.calls.includes('execSync app touch /started'));
    await client.resource(GVR.pods).namespace(ns).delete('hooked');
    await waitFor(async () => { try { await getPod(ns, 'hooked'); return false; } catch { return true; } }, { timeoutMs: 20_000, message: 'pod gone' });
    const preStop = runtime.calls.indexOf('execSync app sh -c echo bye');
    const stop = runtime.calls.findIndex((c, i) => i > preStop && c === 'stopContainer app 30');
    assert.ok(preStop >= 0 && stop > preStop, runtime.calls.slice(-10).join('\n'));
  });
});
