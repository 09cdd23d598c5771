// Simulated nodes (src/nodes) against the real server, seen through kubectl and the API as a user
// would: nodes registered Ready with capacity and Lease heartbeats, bound pods brought to Running
// with addresses from the node's pod CIDR, the annotation-driven exits, crash loops and readiness,
// graceful deletion, and a Node applied at run time with the simulated label being adopted.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import type { Lease } from '../../src/controllers/framework/lease-lock.ts';
import { SimulatedNodes } from '../../src/nodes/simulated-nodes.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

type Obj = Record<string, any>;

let server: TestServer;
let client: KubeClient;
let sim: SimulatedNodes;
before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  sim = new SimulatedNodes({ client, count: 3, capacity: { cpu: '8', memory: '32Gi' }, leaseRenewIntervalMs: 500, podTerminationMs: 300 });
  await sim.start();
});
after(async () => {
  await sim?.stop();
  client?.close();
  await server?.close();
});

const kc = (args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath });
const status = (o: KObject) => (o.status ?? {}) as Obj;

function pod(name: string, o: { annotations?: Record<string, string>; restartPolicy?: string; nodeName?: string; container?: Obj; initContainers?: Obj[] } = {}): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      ...(o.restartPolicy ? { restartPolicy: o.restartPolicy } : {}),
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      containers: [{ name: 'app', image: 'nginx', ...o.container }],
    },
  };
}

async function getPod(ns: string, name: string): Promise<KObject> {
  return client.resource(GVR.pods).namespace(ns).get(name);
}

describe('simulated nodes', { timeout: 120_000 }, () => {
  test('registered nodes are Ready with their capacity, in kubectl get nodes -o wide, and heartbeat through Leases', async () => {
    const wide = await kc(['get', 'nodes', '-o', 'wide']);
    const lines = wide.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$/);
    for (const [i, name] of ['sim-node-0', 'sim-node-1', 'sim-node-2'].entries()) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      assert.ok(line, wide);
      assert.match(line!, new RegExp(`^${name}\\s+Ready\\s+<none>\\s+\\S+\\s+v\\d+\\.\\d+\\.\\d+\\S*\\s+172\\.18\\.0\\.${i + 2}\\s+<none>`));
    }
    const node = await client.resource(GVR.nodes).get('sim-node-1');
    assert.deepEqual({ cpu: status(node).capacity.cpu, memory: status(node).capacity.memory, pods: status(node).capacity.pods }, { cpu: '8', memory: '32Gi', pods: '110' });
    assert.equal(status(node).allocatable.cpu, '8');
    assert.equal((node.spec as Obj).podCIDR, '10.244.1.0/24');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'sim-node-1');
    assert.equal(node.metadata.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels?.['k8ts.io/simulated'], 'true');
    const ready = (status(node).conditions as Obj[]).find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
    assert.deepEqual((status(node).conditions as Obj[]).map((c) => `${c.type}=${c.status}`).sort(),
      ['DiskPressure=False', 'MemoryPressure=False', 'PIDPressure=False', 'Ready=True']);

    const leases = client.resource<Lease>(GVR.leases).namespace('kube-node-lease');
    const first = await waitFor(() => leases.get('sim-node-1'), { message: 'lease' });
    assert.equal(first.spec?.holderIdentity, 'sim-node-1');
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    assert.equal(first.metadata.ownerReferences?.[0]?.kind, 'Node');
    await waitFor(async () => (await leases.get('sim-node-1')).spec?.renewTime !== first.spec?.renewTime, { message: 'lease renewed' });
    assert.match(await kc(['describe', 'node', 'sim-node-0']), /Ready\s+True\s+.*KubeletReady\s+kubelet is posting ready status/);
  });

  test('a pod bound through pods/binding becomes Running and Ready with an IP from its node CIDR, shown by kubectl get pods -o wide', async () => {
    const ns = await createNamespace(server);
    await client.resource(GVR.pods).namespace(ns).create(pod('web', { initContainers: [{ name: 'init', image: 'busybox' }] }));
    await client.resource(GVR.pods).namespace(ns).createSubresource('web', 'binding', {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { apiVersion: 'v1', kind: 'Node', name: 'sim-node-2' },
    });
    const running = await waitFor(async () => {
      const p = await getPod(ns, 'web');
      return status(p).phase === 'Running' && (status(p).conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
    }, { message: 'pod Running and Ready', timeoutMs: 20_000 });
    const st = status(running);
    assert.match(st.podIP, /^10\.244\.2\.(\d+)$/);
    assert.deepEqual(st.podIPs, [{ ip: st.podIP }]);
    assert.equal(st.hostIP, '172.18.0.4');
    assert.ok(st.startTime);
    assert.equal(st.qosClass, 'BestEffort');
    assert.deepEqual((st.conditions as Obj[]).map((c) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
    const cs = st.containerStatuses[0];
    assert.deepEqual([cs.name, cs.ready, cs.started, cs.restartCount, cs.image], ['app', true, true, 0, 'nginx']);
    assert.ok(cs.state.running.startedAt);
    assert.equal(st.initContainerStatuses[0].state.terminated.reason, 'Completed');

    const wide = await kc(['get', 'pods', '-n', ns, '-o', 'wide']);
    assert.match(wide, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES\n/);
    assert.match(wide, new RegExp(`\\nweb\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+${st.podIP.replace(/\./g, '\\.')}\\s+sim-node-2\\s+<none>\\s+<none>`));
  });

  test('pods on one node get distinct addresses', async () => {
    const ns = await createNamespace(server);
    for (const n of ['a', 'b', 'c']) await client.resource(GVR.pods).namespace(ns).create(pod(n, { nodeName: 'sim-node-0' }));
    const ips = await waitFor(async () => {
      const items = (await client.resource(GVR.pods).namespace(ns).list()).items;
      const got = items.map((p) => status(p).podIP).filter(Boolean);
      return got.length === 3 ? got : undefined;
    }, { message: 'three pod IPs' });
    assert.equal(new Set(ips).size, 3, ips.join(' '));
    for (const ip of ips) assert.match(ip, /^10\.244\.0\.\d+$/);
  });

  test('simulate-exit-code with restartPolicy Never ends the pod Succeeded or Failed', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    await pods.create(pod('ok', { nodeName: 'sim-node-0', restartPolicy: 'Never', annotations: { 'k8ts.io/simulate-exit-code': '0', 'k8ts.io/simulate-run-seconds': '1' } }));
    await pods.create(pod('bad', { nodeName: 'sim-node-1', restartPolicy: 'Never', annotations: { 'k8ts.io/simulate-exit-code': '3' } }));
    const ok = await waitFor(async () => { const p = await getPod(ns, 'ok'); return status(p).phase === 'Succeeded' ? p : undefined; }, { message: 'ok Succeeded', timeoutMs: 20_000 });
    const bad = await waitFor(async () => { const p = await getPod(ns, 'bad'); return status(p).phase === 'Failed' ? p : undefined; }, { message: 'bad Failed', timeoutMs: 20_000 });
    const okTerm = status(ok).containerStatuses[0].state.terminated;
    assert.deepEqual([okTerm.exitCode, okTerm.reason], [0, 'Completed']);
    assert.ok(Date.parse(okTerm.finishedAt) - Date.parse(okTerm.startedAt) >= 1000, 'ran for simulate-run-seconds');
    const badTerm = status(bad).containerStatuses[0].state.terminated;
    assert.deepEqual([badTerm.exitCode, badTerm.reason], [3, 'Error']);
    const ready = (status(bad).conditions as Obj[]).find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason], ['False', 'PodCompleted']);
    const table = await kc(['get', 'pods', '-n', ns]);
    assert.match(table, /\nbad\s+0\/1\s+Error\s+0\s/);
    assert.match(table, /\nok\s+0\/1\s+Completed\s+0\s/);
  });

  test('simulate-exit-code with restartPolicy Always crash-loops: restarts grow and the container waits in CrashLoopBackOff', async () => {
    const ns = await createNamespace(server);
    await client.resource(GVR.pods).namespace(ns).create(pod('crash', { nodeName: 'sim-node-2', annotations: { 'k8ts.io/simulate-exit-code': '1', 'k8ts.io/simulate-run-seconds': '1' } }));
    const p = await waitFor(async () => {
      const got = await getPod(ns, 'crash');
      const cs = status(got).containerStatuses?.[0];
      return cs?.restartCount >= 1 && cs.state?.waiting?.reason === 'CrashLoopBackOff' ? got : undefined;
    }, { message: 'CrashLoopBackOff', timeoutMs: 20_000 });
    const cs = status(p).containerStatuses[0];
    assert.equal(status(p).phase, 'Running');
    assert.match(cs.state.waiting.message, new RegExp(`^back-off 10s restarting failed container=app pod=crash_${ns}\\(${p.metadata.uid}\\)$`));
    assert.deepEqual([cs.lastState.terminated.exitCode, cs.lastState.terminated.reason], [1, 'Error']);
    assert.match(await kc(['get', 'pod', 'crash', '-n', ns]), /\ncrash\s+0\/1\s+CrashLoopBackOff\s+1 \(\S+ ago\)\s/);
  });

  test('simulate-never-ready keeps the pod Running but not Ready; a readiness probe delay makes it Ready later', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    await pods.create(pod('never', { nodeName: 'sim-node-0', annotations: { 'k8ts.io/simulate-never-ready': 'true' } }));
    await pods.create(pod('slow', { nodeName: 'sim-node-1', container: { readinessProbe: { initialDelaySeconds: 2, tcpSocket: { port: 80 } } } }));
    const never = await waitFor(async () => { const p = await getPod(ns, 'never'); return status(p).phase === 'Running' ? p : undefined; }, { message: 'never Running' });
    const ready = (status(never).conditions as Obj[]).find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['False', 'ContainersNotReady', 'containers with unready status: [app]']);
    const slowFirst = await waitFor(async () => { const p = await getPod(ns, 'slow'); return status(p).phase === 'Running' ? p : undefined; }, { message: 'slow Running' });
    assert.equal(status(slowFirst).containerStatuses[0].ready, false, 'not ready before initialDelaySeconds');
    await waitFor(async () => status(await getPod(ns, 'slow')).containerStatuses[0].ready === true, { message: 'slow becomes ready', timeoutMs: 15_000 });
    assert.match(await kc(['get', 'pod', 'never', '-n', ns]), /\nnever\s+0\/1\s+Running\s+0\s/);
  });

  test('kubectl delete pod completes: the simulated kubelet stops the containers and removes the pod', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    await pods.create(pod('gone', { nodeName: 'sim-node-2' }));
    const running = await waitFor(async () => { const p = await getPod(ns, 'gone'); return status(p).phase === 'Running' ? p : undefined; }, { message: 'Running' });
    const watch = await pods.watch({ resourceVersion: running.metadata.resourceVersion });
    const seen: { type: string; obj: KObject }[] = [];
    const reading = (async () => {
      for await (const ev of watch) {
        seen.push({ type: ev.type, obj: ev.object as KObject });
        if (ev.type === 'DELETED') break;
      }
    })();
    const out = await kc(['delete', 'pod', 'gone', '-n', ns, '--timeout=30s']);
    assert.match(out, /pod "gone" deleted/);
    await waitFor(() => seen.some((e) => e.type === 'DELETED'), { message: 'DELETED event' });
    watch.stop();
    await reading.catch(() => {});
    const modified = seen.filter((e) => e.type === 'MODIFIED').map((e) => e.obj);
    assert.ok(modified.some((p) => p.metadata.deletionTimestamp), 'marked for deletion first (graceful)');
    const last = modified.at(-1)!;
    assert.equal(status(last).phase, 'Succeeded', 'containers stopped before the pod went away');
    assert.equal(status(last).containerStatuses[0].state.terminated.exitCode, 0);
  });

  test('a Node applied with the k8ts.io/simulated=true label is adopted at run time', async () => {
    const manifest = `apiVersion: v1
kind: Node
metadata:
  name: added-node
  labels:
    k8ts.io/simulated: "true"
`;
    await kubectlOk(['apply', '-f', '-'], { kubeconfig: server.kubeconfigPath, input: manifest });
    const node = await waitFor(async () => {
      const n = await client.resource(GVR.nodes).get('added-node');
      return (status(n).conditions as Obj[] | undefined)?.some((c) => c.type === 'Ready' && c.status === 'True') ? n : undefined;
    }, { message: 'adopted node Ready', timeoutMs: 20_000 });
    assert.equal((node.spec as Obj).podCIDR, '10.244.3.0/24', 'the first free pod CIDR');
    assert.equal(status(node).capacity.cpu, '8');
    await waitFor(() => client.resource(GVR.leases).namespace('kube-node-lease').get('added-node'), { message: 'lease for the added node' });
    const ns = await createNamespace(server);
    await client.resource(GVR.pods).namespace(ns).create(pod('on-added', { nodeName: 'added-node' }));
    const p = await waitFor(async () => { const got = await getPod(ns, 'on-added'); return status(got).phase === 'Running' ? got : undefined; }, { message: 'pod on added node Running' });
    assert.match(status(p).podIP, /^10\.244\.3\.\d+$/);
    assert.match(await kc(['get', 'nodes']), /\nadded-node\s+Ready\s/);
  });
});
