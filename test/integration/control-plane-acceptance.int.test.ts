// Issue 3's acceptance bullets, end to end, with every piece running together: the API server, the
// controller-manager, the scheduler and simulated nodes, driven by the real kubectl and read back
// with @kubernetes/client-node, as a user of a small cluster would. The last test runs k8ts as a child
// process and SIGKILLs it mid-rollout to show the controllers finish the work after a restart.
// Short node-monitor grace period and Lease interval keep the NotReady/eviction test quick.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppsV1Api, BatchV1Api, CoreV1Api, Watch, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { KubeClient } from '../../src/client/index.ts';
import { startClientComponents, type RunningComponents } from '../../src/components/run-components.ts';
import { SimulatedNodes } from '../../src/nodes/simulated-nodes.ts';
import { clientFor, createNamespace, kubectl, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

type Obj = Record<string, any>;

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LONG = 60_000;

let server: TestServer;
let client: KubeClient;
let sim: SimulatedNodes;
let components: RunningComponents;
let kcfg: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
let batch: BatchV1Api;

before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  // Lease every 500 ms so the 4 s grace period never marks a healthy node NotReady.
  sim = new SimulatedNodes({ client, count: 3, capacity: { cpu: '4', memory: '16Gi', pods: '110' }, leaseRenewIntervalMs: 500, podTerminationMs: 300 });
  await sim.start();
  components = startClientComponents({
    components: ['controller-manager', 'scheduler'],
    kubeconfigPath: server.kubeconfigPath,
    leaderElect: false,
    leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
    controllerFlags: { nodeMonitorGracePeriodMs: 4_000, terminatedPodGCThreshold: 12_500 },
    log: () => {},
  });
  kcfg = clientFor(server.kubeconfigPath);
  core = kcfg.makeApiClient(CoreV1Api);
  apps = kcfg.makeApiClient(AppsV1Api);
  batch = kcfg.makeApiClient(BatchV1Api);
});
after(async () => {
  await components?.stop();
  await sim?.stop();
  client?.close();
  await server?.close();
});

const kc = (args: string[], input?: string) => kubectlOk(args, { kubeconfig: server.kubeconfigPath, input, timeoutMs: 120_000 });
const ready = (p: V1Pod) => p.status?.phase === 'Running' && !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** Pods not being deleted, matching the selector. */
async function livePods(namespace: string, labelSelector?: string): Promise<V1Pod[]> {
  return (await core.listNamespacedPod({ namespace, labelSelector })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** Waits until exactly n live pods match, all Running and Ready (and, when given, running `image`). */
function waitRunning(namespace: string, labelSelector: string, n: number, image?: string): Promise<V1Pod[]> {
  return waitFor(async () => {
    const pods = await livePods(namespace, labelSelector);
    return pods.length === n && pods.every(ready) && (!image || pods.every((p) => p.spec?.containers[0]?.image === image)) ? pods : undefined;
  }, { message: `${n} pods ${labelSelector} Running${image ? ` with ${image}` : ''}`, timeoutMs: LONG });
}

/** Records the events of a client-node watch until stopped. */
async function record<T>(path: string, onEvent: (type: string, obj: T) => void): Promise<{ stop(): void }> {
  const controller = await new Watch(kcfg).watch(path, {}, (type, obj: T) => onEvent(type, obj), () => {});
  return { stop: () => controller.abort() };
}

/** `kubectl get pods -o wide` rows as name → {status, node}. */
async function wideRows(ns: string, selector: string): Promise<Map<string, { status: string; node: string }>> {
  const out = await kc(['get', 'pods', '-n', ns, '-l', selector, '-o', 'wide']);
  const [header, ...rows] = out.trim().split('\n');
  assert.match(header!, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  return new Map(rows.map((r) => {
    const cols = r.split(/\s+/);
    return [cols[0]!, { status: cols[2]!, node: cols[6]! }];
  }));
}

describe('issue 3 acceptance: the control plane end to end', { timeout: 300_000 }, () => {
  test('a Deployment is scheduled over the nodes, rolls out within maxSurge, undoes, scales and deletes with or without cascade', async () => {
    const ns = await createNamespace(server);
    await kc(['create', 'deployment', 'web', '--image=nginx', '--replicas=3', '-n', ns]);
    assert.match(await kc(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s']), /deployment "web" successfully rolled out/);
    await waitRunning(ns, 'app=web', 3);
    const rows = await wideRows(ns, 'app=web');
    assert.deepEqual([...rows.values()].map((r) => r.status), ['Running', 'Running', 'Running']);
    assert.deepEqual([...new Set([...rows.values()].map((r) => r.node))].sort(), ['sim-node-0', 'sim-node-1', 'sim-node-2'], 'one pod per node');

    // The ReplicaSets' desired replicas, summed at every watch event, never pass replicas + maxSurge (25% of 3 → 1).
    const desired = new Map<string, number>();
    let maxSum = 0;
    const watch = await record<Obj>(`/apis/apps/v1/namespaces/${ns}/replicasets`, (type, rs) => {
      if (type === 'DELETED') desired.delete(rs.metadata.name);
      else desired.set(rs.metadata.name, rs.spec.replicas);
      maxSum = Math.max(maxSum, [...desired.values()].reduce((a, b) => a + b, 0));
    });
    try {
      await kc(['set', 'image', 'deployment/web', 'nginx=nginx:1.25', '-n', ns]);
      assert.match(await kc(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s']), /successfully rolled out/);
      await waitFor(() => desired.size === 2 && [...desired.values()].sort().join() === '0,3', { message: 'watch saw old RS 0, new RS 3', timeoutMs: LONG });
    } finally {
      watch.stop();
    }
    assert.ok(maxSum <= 4, `ReplicaSets summed to ${maxSum} > replicas + maxSurge (4)`);
    await waitRunning(ns, 'app=web', 3, 'nginx:1.25');

    await kc(['rollout', 'undo', 'deployment/web', '-n', ns]);
    assert.match(await kc(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s']), /successfully rolled out/);
    const undone = await apps.readNamespacedDeployment({ name: 'web', namespace: ns });
    assert.equal(undone.spec?.template.spec?.containers[0]?.image, 'nginx');
    assert.equal(undone.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3', 'undo re-uses revision 1 as revision 3');
    await waitRunning(ns, 'app=web', 3, 'nginx');
    assert.equal((await apps.listNamespacedReplicaSet({ namespace: ns })).items.length, 2, 'undo re-used the first ReplicaSet');

    await kc(['scale', 'deployment/web', '--replicas=0', '-n', ns]);
    await waitFor(async () => (await core.listNamespacedPod({ namespace: ns })).items.length === 0, { message: 'pods gone at 0 replicas', timeoutMs: LONG });
    await kc(['scale', 'deployment/web', '--replicas=5', '-n', ns]);
    assert.match(await kc(['rollout', 'status', 'deployment/web', '-n', ns, '--timeout=90s']), /successfully rolled out/);
    await waitRunning(ns, 'app=web', 5, 'nginx');

    assert.match(await kc(['delete', 'deployment', 'web', '-n', ns]), /deployment.apps "web" deleted/);
    await waitFor(async () => (await apps.listNamespacedReplicaSet({ namespace: ns })).items.length === 0
      && (await core.listNamespacedPod({ namespace: ns })).items.length === 0, { message: 'ReplicaSets and pods removed by the cascade', timeoutMs: LONG });

    await kc(['create', 'deployment', 'keep', '--image=nginx', '--replicas=2', '-n', ns]);
    await kc(['rollout', 'status', 'deployment/keep', '-n', ns, '--timeout=90s']);
    const before = (await waitRunning(ns, 'app=keep', 2)).map((p) => p.metadata?.name).sort();
    // kubectl waits for the Deployment to be gone, i.e. for the garbage collector to orphan its dependents.
    await kc(['delete', 'deployment', 'keep', '--cascade=orphan', '-n', ns]);
    const rs = (await apps.listNamespacedReplicaSet({ namespace: ns })).items;
    assert.equal(rs.length, 1);
    assert.equal(rs[0]!.metadata?.ownerReferences?.length ?? 0, 0, 'the orphaned ReplicaSet lost its owner reference');
    assert.deepEqual((await waitRunning(ns, 'app=keep', 2)).map((p) => p.metadata?.name).sort(), before, 'the pods stay');
  });

  test('a pod too big for every node stays Pending with the scheduler\'s message; a big enough node applied later runs it', async () => {
    const ns = await createNamespace(server);
    await kc(['apply', '-n', ns, '-f', '-'], `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: app
    image: nginx
    resources:
      requests:
        cpu: "6"
`);
    const pending = await waitFor(async () => {
      const p = await core.readNamespacedPod({ name: 'big', namespace: ns });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    }, { message: 'PodScheduled=False', timeoutMs: LONG });
    assert.equal(pending.reason, 'Unschedulable');
    // Upstream's text, double full stop included (the preemption message ends one sentence inside another).
    assert.equal(pending.message, '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod..');
    assert.match(await kc(['get', 'pod', 'big', '-n', ns]), /\nbig\s+0\/1\s+Pending\s/);

    await kc(['apply', '-f', '-'], `apiVersion: v1
kind: Node
metadata:
  name: big-node
  labels:
    k8ts.io/simulated: "true"
status:
  capacity:
    cpu: "16"
    memory: 64Gi
    pods: "110"
  allocatable:
    cpu: "16"
    memory: 64Gi
    pods: "110"
`);
    try {
      const running = await waitFor(async () => {
        const p = await core.readNamespacedPod({ name: 'big', namespace: ns });
        return ready(p) ? p : undefined;
      }, { message: 'big pod Running', timeoutMs: LONG });
      assert.equal(running.spec?.nodeName, 'big-node');
      assert.match(await kc(['get', 'pod', 'big', '-n', ns, '-o', 'wide']), /\nbig\s+1\/1\s+Running\s+0\s+\S+\s+\S+\s+big-node\s/);
    } finally {
      // The other tests count on three nodes.
      await kc(['delete', 'pod', 'big', '-n', ns, '--wait=false']);
      await kc(['delete', 'node', 'big-node']);
    }
  });

  test('a Job of 5 completions, 2 at a time, completes; a failing Job ends Failed with BackoffLimitExceeded', async () => {
    const ns = await createNamespace(server);
    const job = (name: string, spec: string, exitCode: number) => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
${spec}
  template:
    metadata:
      annotations:
        k8ts.io/simulate-exit-code: "${exitCode}"
        k8ts.io/simulate-run-seconds: "1"
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
`;
    let maxActive = 0;
    const watch = await record<Obj>(`/apis/batch/v1/namespaces/${ns}/jobs`, (_t, j) => {
      if (j.metadata.name === 'five') maxActive = Math.max(maxActive, j.status?.active ?? 0);
    });
    try {
      await kc(['apply', '-n', ns, '-f', '-'], job('five', '  completions: 5\n  parallelism: 2', 0) + '---\n' + job('fails', '  backoffLimit: 1', 1));
      const complete = await waitFor(async () => {
        const j = await batch.readNamespacedJob({ name: 'five', namespace: ns });
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
      }, { message: 'Job five Complete', timeoutMs: LONG });
      assert.equal(complete.status?.succeeded, 5);
      assert.ok(maxActive >= 1 && maxActive <= 2, `active peaked at ${maxActive}`);
      assert.match(await kc(['get', 'job', 'five', '-n', ns]), /\nfive\s+Complete\s+5\/5\s/);

      // Two failures (the first retry after the 10 s back-off) pass backoffLimit 1.
      const failed = await waitFor(async () => {
        const j = await batch.readNamespacedJob({ name: 'fails', namespace: ns });
        return j.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      }, { message: 'Job fails Failed', timeoutMs: 90_000, intervalMs: 250 });
      assert.deepEqual([failed.reason, failed.message], ['BackoffLimitExceeded', 'Job has reached the specified backoff limit']);
      assert.equal((await batch.readNamespacedJob({ name: 'fails', namespace: ns })).status?.failed, 2);
    } finally {
      watch.stop();
    }
  });

  test('a DaemonSet runs a pod on each of the 3 nodes; one created after a NoSchedule taint runs on 2', async () => {
    const ns = await createNamespace(server);
    const ds = (name: string) => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ${name}
spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: agent
        image: busybox
`;
    await kc(['apply', '-n', ns, '-f', '-'], ds('everywhere'));
    assert.match(await kc(['rollout', 'status', 'daemonset/everywhere', '-n', ns, '--timeout=90s']), /daemon set "everywhere" successfully rolled out/);
    const all = await waitRunning(ns, 'app=everywhere', 3);
    assert.deepEqual(all.map((p) => p.spec?.nodeName).sort(), ['sim-node-0', 'sim-node-1', 'sim-node-2']);

    await kc(['taint', 'nodes', 'sim-node-2', 'dedicated=special:NoSchedule']);
    try {
      await kc(['apply', '-n', ns, '-f', '-'], ds('tainted'));
      assert.match(await kc(['rollout', 'status', 'daemonset/tainted', '-n', ns, '--timeout=90s']), /successfully rolled out/);
      const two = await waitRunning(ns, 'app=tainted', 2);
      assert.deepEqual(two.map((p) => p.spec?.nodeName).sort(), ['sim-node-0', 'sim-node-1']);
      const status = (await apps.readNamespacedDaemonSet({ name: 'tainted', namespace: ns })).status!;
      assert.deepEqual([status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady], [2, 2, 2]);
      assert.match(await kc(['get', 'ds', '-n', ns]), /\ntainted\s+2\s+2\s+2\s+2\s+2\s/);
      await waitRunning(ns, 'app=everywhere', 3); // NoSchedule does not evict
    } finally {
      await kc(['taint', 'nodes', 'sim-node-2', 'dedicated-']);
      await kc(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  test('a StatefulSet of 3 creates web-0, web-1, web-2 in order, each after the previous is Ready', async () => {
    const ns = await createNamespace(server);
    const events: string[] = [];
    const seenReady = new Set<string>();
    const watch = await record<V1Pod>(`/api/v1/namespaces/${ns}/pods`, (type, p) => {
      const name = p.metadata!.name!;
      if (type === 'ADDED') events.push(`created ${name}`);
      if (ready(p) && !seenReady.has(name)) {
        seenReady.add(name);
        events.push(`ready ${name}`);
      }
    });
    try {
      await kc(['apply', '-n', ns, '-f', '-'], `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
`);
      assert.match(await kc(['rollout', 'status', 'statefulset/web', '-n', ns, '--timeout=90s']), /partitioned roll out complete: 3 new pods have been updated|roll out complete/);
      await waitFor(() => seenReady.size === 3, { message: 'watch saw 3 pods Ready', timeoutMs: LONG });
    } finally {
      watch.stop();
    }
    assert.deepEqual(events, ['created web-0', 'ready web-0', 'created web-1', 'ready web-1', 'created web-2', 'ready web-2']);
  });

  test('kubectl delete namespace with a ConfigMap, Secret, Deployment and Service completes and the namespace is gone', async () => {
    const ns = await createNamespace(server, 'doomed');
    await kc(['create', 'configmap', 'settings', '--from-literal=a=b', '-n', ns]);
    await kc(['create', 'secret', 'generic', 'creds', '--from-literal=password=x', '-n', ns]);
    await kc(['create', 'deployment', 'app', '--image=nginx', '--replicas=2', '-n', ns]);
    await kc(['create', 'service', 'clusterip', 'app', '--tcp=80:80', '-n', ns]);
    await waitRunning(ns, 'app=app', 2);
    assert.match(await kc(['delete', 'namespace', ns, '--timeout=90s']), new RegExp(`namespace "${ns}" deleted`));
    const get = await kubectl(['get', 'namespace', ns], { kubeconfig: server.kubeconfigPath });
    assert.equal(get.code, 1);
    assert.match(get.stderr, new RegExp(`Error from server \\(NotFound\\): namespaces "${ns}" not found`));
  });

  test('a node whose heartbeat stops goes NotReady and its Deployment pods are recreated on the other nodes', async () => {
    const ns = await createNamespace(server);
    await kc(['apply', '-n', ns, '-f', '-'], `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 2}
      containers:
      - name: nginx
        image: nginx
`);
    const first = await waitRunning(ns, 'app=web', 3);
    const node = first[0]!.spec!.nodeName!;
    const onNode = first.filter((p) => p.spec?.nodeName === node).map((p) => p.metadata!.name!);

    await kc(['annotate', 'node', node, 'k8ts.io/simulate-heartbeat=stopped']);
    try {
      await waitFor(async () => /\n\S+\s+NotReady\s/.test(await kc(['get', 'node', node])), { message: `${node} NotReady`, timeoutMs: LONG, intervalMs: 500 });
      const replaced = await waitFor(async () => {
        const pods = await livePods(ns, 'app=web');
        return pods.length === 3 && pods.every(ready) && pods.every((p) => p.spec?.nodeName !== node) ? pods : undefined;
      }, { message: `3 pods Running off ${node}`, timeoutMs: LONG, intervalMs: 250 });
      assert.ok(replaced.every((p) => !onNode.includes(p.metadata!.name!)), 'the evicted pods were replaced by new ones');
      for (const name of onNode) {
        const p = await core.readNamespacedPod({ name, namespace: ns }).catch(() => undefined);
        assert.ok(!p || p.metadata?.deletionTimestamp, `${name} was evicted`);
      }
    } finally {
      await kc(['annotate', 'node', node, 'k8ts.io/simulate-heartbeat-']);
      await waitFor(async () => /\n\S+\s+Ready\s/.test(await kc(['get', 'node', node])), { message: `${node} Ready again`, timeoutMs: LONG, intervalMs: 500 });
    }
  });
});

describe('issue 3 acceptance: SIGKILL mid-rollout', { timeout: 240_000 }, () => {
  let dir: string;
  let child: ChildProcess | undefined;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'k8ts-kill-')); });
  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts k8ts as a user would (one process: API server, controllers, scheduler, 3 simulated nodes); resolves with its port. */
  function startK8ts(port: number): Promise<number> {
    // One process, so no second candidate: leader election would only add the dead leader's lease wait.
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--port', String(port), '--data-dir', join(dir, 'data'),
      '--certs-dir', join(dir, 'certs'), '--kubeconfig', join(dir, 'admin.kubeconfig'), '--simulated-nodes', '3', '--leader-elect=false',
      // No real kubelet: the pods must land on the simulated nodes only.
      '--components=apiserver,controller-manager,scheduler,simulated-nodes'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const c = child;
    let stdout = '';
    let stderr = '';
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = /listening on https:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
        if (m && /ready in \d+ ms/.test(stderr)) resolve(Number(m[1]));
      };
      c.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d; check(); });
      c.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d; check(); });
      c.once('exit', (code) => reject(new Error(`k8ts exited ${code} during start-up\n${stdout}\n${stderr}`)));
    });
  }

  test('the rollout finishes after k8ts is killed with the new ReplicaSet partly scaled and started again', async () => {
    const kubeconfig = join(dir, 'admin.kubeconfig');
    const k = (args: string[]) => kubectlOk([...args, '-n', 'default'], { kubeconfig, timeoutMs: 120_000 });
    const port = await startK8ts(0);
    const kcfg2 = clientFor(kubeconfig);
    const apps2 = kcfg2.makeApiClient(AppsV1Api);

    // minReadySeconds slows each rollout step so the kill lands mid-way.
    await kubectlOk(['apply', '-n', 'default', '-f', '-'], { kubeconfig, input: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
  minReadySeconds: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
` });
    await k(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    await k(['set', 'image', 'deployment/web', 'nginx=nginx:1.25']);
    const partial = await waitFor(async () => {
      const rs = (await apps2.listNamespacedReplicaSet({ namespace: 'default' })).items;
      const next = rs.find((r) => r.spec?.template?.spec?.containers[0]?.image === 'nginx:1.25');
      const n = next?.spec?.replicas ?? 0;
      return n > 0 && n < 6 ? n : undefined;
    }, { message: 'new ReplicaSet partly scaled', timeoutMs: LONG, intervalMs: 20 });
    const exited = new Promise((r) => child!.once('exit', r));
    child!.kill('SIGKILL');
    await exited;
    assert.ok(partial > 0 && partial < 6);

    let newPort: number;
    try {
      newPort = await startK8ts(port);
    } catch {
      newPort = await startK8ts(0); // the port was taken meanwhile; the kubeconfig is rewritten
    }
    assert.ok(newPort > 0);
    const kcfg3 = clientFor(kubeconfig);
    const apps3 = kcfg3.makeApiClient(AppsV1Api);
    const core3 = kcfg3.makeApiClient(CoreV1Api);
    assert.match(await k(['rollout', 'status', 'deployment/web', '--timeout=120s']), /successfully rolled out/);
    const pods = await waitFor(async () => {
      const items = (await core3.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
      return items.length === 6 && items.every(ready) ? items : undefined;
    }, { message: '6 pods Running', timeoutMs: LONG });
    assert.deepEqual([...new Set(pods.map((p) => p.spec?.containers[0]?.image))], ['nginx:1.25']);
    const rs = (await apps3.listNamespacedReplicaSet({ namespace: 'default' })).items;
    assert.equal(rs.length, 2, 'no extra ReplicaSets');
    const byImage = Object.fromEntries(rs.map((r) => [r.spec?.template?.spec?.containers[0]?.image, r.spec?.replicas]));
    assert.deepEqual(byImage, { nginx: 0, 'nginx:1.25': 6 });
  });
});
