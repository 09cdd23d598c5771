// The scheduler against the real server: Node objects created through the API (as a kubelet
// registers them), pods placed by filters and scores and bound through pods/binding, unschedulable
// pods reported with upstream's condition, FailedScheduling event and `kubectl describe` output, and
// preemption of lower-priority pods. One cluster for the file: the tests build on one set of nodes
// and each cleans up its pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, GVR, KubeClient } from '../../src/client/index.ts';
import type { KObject } from '../../src/apimachinery/types.ts';
import { startScheduler } from '../../src/components/scheduler/scheduler.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import type { Pod } from '../../src/scheduler/types.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

let server: TestServer;
let client: KubeClient;
let scheduler: RunningComponent;
before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  scheduler = startScheduler({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    log: (m) => { if (process.env.K8TS_TEST_LOG) process.stderr.write(`${m}\n`); },
  });
});
after(async () => {
  await scheduler?.stop();
  client?.close();
  await server?.close();
});

const nodes = () => client.resource(GVR.nodes);
const pods = (ns: string) => client.resource<Pod>(GVR.pods).namespace(ns);

function node(name: string, labels: Record<string, string>, cpu = '2', extra: Partial<KObject> = {}): KObject {
  const capacity = { cpu, memory: '4Gi', pods: '110' };
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec: {},
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }] },
    ...extra,
  };
}

function pod(name: string, spec: Record<string, unknown> = {}, labels: Record<string, string> = {}, cpu = '100m'): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }], terminationGracePeriodSeconds: 0, ...spec },
  } as Pod;
}

async function nodeOf(ns: string, name: string): Promise<string | undefined> {
  return (await pods(ns).get(name)).spec.nodeName || undefined;
}

const scheduledTo = (ns: string, name: string, timeoutMs = 15_000) =>
  waitFor(() => nodeOf(ns, name), { message: `${name} scheduled`, timeoutMs });

/** The pod's PodScheduled=False message once the scheduler reported it. */
async function unschedulableMessage(ns: string, name: string): Promise<string> {
  return waitFor(async () => {
    const c = (await pods(ns).get(name)).status?.conditions?.find((x) => x.type === 'PodScheduled');
    return c?.status === 'False' && c.reason === 'Unschedulable' ? c.message : undefined;
  }, { message: `${name} reported unschedulable`, timeoutMs: 15_000 });
}

async function events(ns: string, name: string): Promise<CoreEvent[]> {
  const list = await client.resource<CoreEvent>(GVR.events).namespace(ns).list({ fieldSelector: `involvedObject.name=${name}` });
  return list.items;
}

async function cleanup(ns: string): Promise<void> {
  await pods(ns).deleteCollection({}, { gracePeriodSeconds: 0 });
  await waitFor(async () => (await pods(ns).list()).items.length === 0, { message: 'pods gone' });
}

async function rejectsWith(p: Promise<unknown>, code: number, message: string): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    const e = err as ApiError;
    assert.ok(e instanceof ApiError, String(err));
    assert.equal(e.status.code, code);
    assert.equal(e.status.message, message);
    return true;
  });
}

describe('scheduler', { timeout: 180_000 }, () => {
  before(async () => {
    await nodes().create(node('n1', { zone: 'a' }));
    await nodes().create(node('n2', { zone: 'b' }));
    await nodes().create(node('n3', { zone: 'b' }));
  });

  test('pods spread over the nodes, bound through pods/binding with a Scheduled event and PodScheduled=True', async () => {
    const ns = await createNamespace(server);
    for (const n of ['a', 'b', 'c']) await pods(ns).create(pod(n));
    const placed = await Promise.all(['a', 'b', 'c'].map((n) => scheduledTo(ns, n)));
    assert.deepEqual([...placed].sort(), ['n1', 'n2', 'n3'], 'least allocated spreads one pod per node');
    const a = await pods(ns).get('a');
    const cond = a.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'True');
    const ev = await waitFor(async () => (await events(ns, 'a')).find((e) => e.reason === 'Scheduled'), { message: 'Scheduled event' });
    assert.equal(ev.message, `Successfully assigned ${ns}/a to ${a.spec.nodeName}`);
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.source.component, 'default-scheduler');
    await cleanup(ns);
  });

  test('a pod bigger than any node stays Pending with the upstream message, then goes to a big enough new node', async () => {
    const ns = await createNamespace(server);
    await pods(ns).create(pod('huge', {}, {}, '16'));
    const msg = await unschedulableMessage(ns, 'huge');
    const want = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..';
    assert.equal(msg, want);
    const ev = await waitFor(async () => (await events(ns, 'huge')).find((e) => e.reason === 'FailedScheduling'), { message: 'FailedScheduling event' });
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.message, want);
    const described = await kubectlOk(['describe', 'pod', 'huge', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(described, /Status:\s+Pending/);
    assert.match(described, /Warning\s+FailedScheduling\s+\S+\s+default-scheduler\s+0\/3 nodes are available: 3 Insufficient cpu\. preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.\./);
    assert.match(described, /PodScheduled\s+False/);

    await nodes().create(node('big', { zone: 'c' }, '32'));
    assert.equal(await scheduledTo(ns, 'huge'), 'big');
    const after = await kubectlOk(['describe', 'pod', 'huge', '-n', ns], { kubeconfig: server.kubeconfigPath });
    assert.match(after, new RegExp(`Normal\\s+Scheduled\\s+\\S+\\s+default-scheduler\\s+Successfully assigned ${ns}/huge to big`));
    assert.match(after, /PodScheduled\s+True/);
    await cleanup(ns);
    await nodes().delete('big');
    await waitFor(async () => (await nodes().list()).items.length === 3, { message: 'big node gone' });
  });

  test('nodeSelector and required node affinity pick matching nodes; none matching is reported', async () => {
    const ns = await createNamespace(server);
    await pods(ns).create(pod('sel', { nodeSelector: { zone: 'a' } }));
    assert.equal(await scheduledTo(ns, 'sel'), 'n1');
    const affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] }] } } };
    await pods(ns).create(pod('aff', { affinity }));
    assert.match((await scheduledTo(ns, 'aff'))!, /^n[23]$/);
    await pods(ns).create(pod('nowhere', { nodeSelector: { zone: 'z' } }));
    assert.equal(await unschedulableMessage(ns, 'nowhere'),
      "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
    await cleanup(ns);
  });

  test('an untolerated taint keeps pods off a node until it is removed; a toleration lets them on', async () => {
    const ns = await createNamespace(server);
    await nodes().patch('n1', { spec: { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] } }, 'merge');
    await pods(ns).create(pod('tainted', { nodeSelector: { zone: 'a' } }));
    assert.equal(await unschedulableMessage(ns, 'tainted'),
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: x}, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
    await pods(ns).create(pod('tolerant', { nodeSelector: { zone: 'a' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' }] }));
    assert.equal(await scheduledTo(ns, 'tolerant'), 'n1');
    await nodes().patch('n1', { spec: { taints: null } }, 'merge');
    assert.equal(await scheduledTo(ns, 'tainted'), 'n1', 'retried when the node changed');
    await cleanup(ns);
  });

  test('a cordoned node is reported as unschedulable', async () => {
    const ns = await createNamespace(server);
    await nodes().patch('n1', { spec: { unschedulable: true } }, 'merge');
    try {
      await pods(ns).create(pod('cordoned', { nodeSelector: { zone: 'a' } }));
      assert.equal(await unschedulableMessage(ns, 'cordoned'),
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
    } finally {
      await nodes().patch('n1', { spec: { unschedulable: null } }, 'merge');
    }
    assert.equal(await scheduledTo(ns, 'cordoned'), 'n1');
    await cleanup(ns);
  });

  test('host ports: one pod per node per port', async () => {
    const ns = await createNamespace(server);
    const spec = (n: string) => pod(n, {
      nodeSelector: { zone: 'b' },
      containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }],
    });
    await pods(ns).create(spec('p1'));
    await pods(ns).create(spec('p2'));
    const placed = [await scheduledTo(ns, 'p1'), await scheduledTo(ns, 'p2')].sort();
    assert.deepEqual(placed, ['n2', 'n3']);
    await pods(ns).create(spec('p3'));
    assert.equal(await unschedulableMessage(ns, 'p3'),
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..");
    const freed = await nodeOf(ns, 'p1');
    await pods(ns).delete('p1', { gracePeriodSeconds: 0 });
    assert.equal(await scheduledTo(ns, 'p3'), freed, 'retried when the pod holding the port went away');
    await cleanup(ns);
  });

  test('required pod anti-affinity puts one pod per node; the fourth waits', async () => {
    const ns = await createNamespace(server);
    const affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    for (const n of ['w1', 'w2', 'w3']) await pods(ns).create(pod(n, { affinity }, { app: 'web' }));
    const placed = await Promise.all(['w1', 'w2', 'w3'].map((n) => scheduledTo(ns, n)));
    assert.deepEqual([...placed].sort(), ['n1', 'n2', 'n3']);
    await pods(ns).create(pod('w4', { affinity }, { app: 'web' }));
    assert.equal(await unschedulableMessage(ns, 'w4'),
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..");
    // Pod affinity: follows the pod it is attracted to.
    const follow = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'zone' }] } };
    await pods(ns).create(pod('near-w1', { affinity: follow, nodeSelector: { zone: 'a' } }));
    assert.equal(await scheduledTo(ns, 'near-w1'), 'n1');
    await cleanup(ns);
  });

  test('topology spread with DoNotSchedule balances zones within maxSkew', async () => {
    const ns = await createNamespace(server);
    const tsc = [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'ts' } } }];
    // Zone b has two nodes, zone a one: without the constraint, least-allocated would favour b.
    for (let i = 0; i < 4; i++) {
      await pods(ns).create(pod(`ts${i}`, { topologySpreadConstraints: tsc }, { app: 'ts' }));
      await scheduledTo(ns, `ts${i}`);
    }
    const zoneOf: Record<string, string> = { n1: 'a', n2: 'b', n3: 'b' };
    const zones = (await pods(ns).list()).items.map((p) => zoneOf[p.spec.nodeName!]).sort();
    assert.deepEqual(zones, ['a', 'a', 'b', 'b']);
    // A constraint on a key no node has cannot be met.
    const bad = [{ ...tsc[0], topologyKey: 'rack' }];
    await pods(ns).create(pod('norack', { topologySpreadConstraints: bad }, { app: 'ts' }));
    assert.equal(await unschedulableMessage(ns, 'norack'),
      "0/3 nodes are available: 3 node(s) didn't match pod topology spread constraints (missing required label). preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..");
    await cleanup(ns);
  });

  test('a high-priority pod preempts a low-priority one: victim deleted, nominatedNodeName set, then bound', async () => {
    const ns = await createNamespace(server);
    const pcs = client.resource(GVR.priorityclasses);
    await pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 100 } as KObject);
    await pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as KObject);
    for (const n of ['n1', 'n2', 'n3']) {
      await pods(ns).create(pod(`low-${n}`, { priorityClassName: 'low', nodeName: undefined, nodeSelector: { 'kubernetes.io/hostname': n } }, {}, '1500m'));
    }
    for (const n of ['n1', 'n2', 'n3']) assert.equal(await scheduledTo(ns, `low-${n}`), n);
    const low = await pods(ns).get('low-n1');
    assert.equal(low.spec.priority, 100, 'priority admission resolved the class');

    const high = await pods(ns).create(pod('high', { priorityClassName: 'high' }, {}, '1500m'));
    assert.equal(high.spec.priority, 1000);
    assert.equal(high.spec.preemptionPolicy, 'PreemptLowerPriority');
    const nominated = await waitFor(async () => (await pods(ns).get('high')).status?.nominatedNodeName, { message: 'nominated', timeoutMs: 15_000 });
    assert.match(nominated, /^n[123]$/);
    const victim = `low-${nominated}`;
    await waitFor(async () => !(await pods(ns).list()).items.some((p) => p.metadata.name === victim), { message: 'victim deleted', timeoutMs: 15_000 });
    assert.equal(await scheduledTo(ns, 'high'), nominated);
    const ev = (await events(ns, victim)).find((e) => e.reason === 'Preempted');
    assert.equal(ev?.message, `Preempted by pod ${high.metadata.uid} on node ${nominated}`);
    const failed = (await events(ns, 'high')).find((e) => e.reason === 'FailedScheduling');
    assert.equal(failed?.message, '0/3 nodes are available: 3 Insufficient cpu.', 'a successful preemption adds no postfilter message');
    // The other low pods were left alone.
    assert.equal((await pods(ns).list()).items.filter((p) => p.metadata.name!.startsWith('low-')).length, 2);

    // preemptionPolicy: Never waits instead.
    await pcs.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'polite' }, value: 2000, preemptionPolicy: 'Never' } as KObject);
    await pods(ns).create(pod('polite', { priorityClassName: 'polite' }, {}, '1500m'));
    assert.equal(await unschedulableMessage(ns, 'polite'), '0/3 nodes are available: 3 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never..');
    await cleanup(ns);
  });

  test('priority admission: an unknown class is refused, the global default applies, system classes resolve', async () => {
    const ns = await createNamespace(server);
    await rejectsWith(pods(ns).create(pod('x', { priorityClassName: 'nope' })), 403,
      'pods "x" is forbidden: no PriorityClass with name nope was found');
    const critical = await pods(ns).create(pod('crit', { priorityClassName: 'system-cluster-critical', nodeSelector: { zone: 'none' } }));
    assert.equal(critical.spec.priority, 2000000000);
    await client.resource(GVR.priorityclasses).create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'everyone' }, value: 7, globalDefault: true } as KObject);
    try {
      const d = await pods(ns).create(pod('dflt', { nodeSelector: { zone: 'none' } }));
      assert.equal(d.spec.priorityClassName, 'everyone');
      assert.equal(d.spec.priority, 7);
      await rejectsWith(pods(ns).create(pod('y', { priority: 5, nodeSelector: { zone: 'none' } })), 403,
        'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 7 from the given PriorityClass name');
    } finally {
      await client.resource(GVR.priorityclasses).delete('everyone');
    }
    await cleanup(ns);
  });
});
