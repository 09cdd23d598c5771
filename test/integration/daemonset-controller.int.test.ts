// The DaemonSet controller against the real server: one pod per eligible node, pinned by the
// required node affinity `metadata.name In [node]` and bound by a scheduler (here a stand-in that
// binds through pods/binding), default tolerations, taints and nodeSelector deciding eligibility,
// nodes joining, a rolling image update, and `kubectl rollout status ds/…` printing upstream's text.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient } from '../../src/client/index.ts';
import { daemonSetControllerDescriptor } from '../../src/controllers/daemonset/daemonset-controller.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { createNamespace, kubectlOk, uniqueName, waitFor, type TestServer } from '../helpers/index.ts';
import { startControllerCluster, type ControllerCluster } from '../helpers/controller-cluster.ts';
import { KubeletStandIn, affinityNodeName } from '../helpers/kubelet-stand-in.ts';

type Obj = Record<string, any>;

let server: TestServer;
let client: KubeClient;
let cluster: ControllerCluster | undefined;
before(async () => {
  cluster = await startControllerCluster([daemonSetControllerDescriptor]);
  ({ server, client } = cluster);
});
after(() => cluster?.close());

/** Nodes are cluster-wide: each test labels its own and selects them with nodeSelector. */
async function createNodes(pool: string, names: string[], taints: Obj[] = []): Promise<void> {
  for (const name of names) {
    await client.resource(GVR.nodes).create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { pool, 'kubernetes.io/hostname': name } }, spec: { taints } });
  }
}

function daemonSet(name: string, pool: string, extra: Obj = {}): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { nodeSelector: { pool }, containers: [{ name: 'agent', image: 'agent:1' }] } },
      ...extra,
    },
  };
}

const listPods = async (ns: string) => (await client.resource(GVR.pods).namespace(ns).list()).items as Obj[];
const podsByNode = async (ns: string) => Object.fromEntries((await listPods(ns)).filter((p) => !p.metadata.deletionTimestamp).map((p) => [affinityNodeName(p as KObject), p]));
const getDs = async (ns: string, name: string) => await client.resource(GVR.daemonsets).namespace(ns).get(name) as Obj;

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

describe('DaemonSet controller', { timeout: 120_000 }, () => {
  test('3 nodes → 3 pods, each pinned to its node by required node affinity; rollout status', async () => {
    const ns = await createNamespace(server);
    const pool = uniqueName('pool');
    const nodes = [`${pool}-a`, `${pool}-b`, `${pool}-c`];
    await createNodes(pool, nodes);
    await client.resource(GVR.daemonsets).namespace(ns).create(daemonSet('agent', pool));
    // Before any scheduler runs: three unbound pods, one per node by affinity.
    const pods = await waitFor(async () => {
      const byNode = await podsByNode(ns);
      return Object.keys(byNode).length === 3 ? byNode : undefined;
    }, { message: '3 daemon pods', timeoutMs: 20_000 });
    assert.deepEqual(Object.keys(pods).sort(), nodes);
    const ds = await getDs(ns, 'agent');
    const revisions = (await client.resource(GVR.controllerrevisions).namespace(ns).list()).items as Obj[];
    assert.equal(revisions.length, 1);
    const hash = revisions[0].metadata.labels['controller-revision-hash'];
    assert.equal(revisions[0].metadata.name, `agent-${hash}`);
    assert.equal(revisions[0].revision, 1);
    for (const node of nodes) {
      const pod = pods[node];
      assert.equal(pod.spec.nodeName, undefined, 'the scheduler binds it, not the controller');
      assert.deepEqual(pod.spec.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } });
      assert.deepEqual(pod.spec.tolerations, DEFAULT_TOLERATIONS);
      assert.deepEqual({ ...pod.metadata.labels }, { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
      assert.equal(pod.metadata.generateName, 'agent-');
      assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    const before = await waitFor(async () => {
      const s = (await getDs(ns, 'agent')).status;
      return s?.currentNumberScheduled === 3 ? s : undefined;
    }, { message: 'status counts the pods' });
    assert.deepEqual(before, { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 0, observedGeneration: 1, updatedNumberScheduled: 3, numberUnavailable: 3 });

    const kubelet = new KubeletStandIn(client, { namespace: ns });
    try {
      const out = await kubectlOk(['rollout', 'status', 'ds/agent', '-n', ns, '--timeout=30s'], { kubeconfig: server.kubeconfigPath });
      assert.match(out, /daemon set "agent" successfully rolled out\n$/);
      const status = (await getDs(ns, 'agent')).status;
      assert.deepEqual(status, { currentNumberScheduled: 3, numberMisscheduled: 0, desiredNumberScheduled: 3, numberReady: 3, observedGeneration: 1, updatedNumberScheduled: 3, numberAvailable: 3 });
      for (const p of await listPods(ns)) assert.equal(p.spec.nodeName, affinityNodeName(p as KObject));
      const get = await kubectlOk(['get', 'ds', 'agent', '-n', ns], { kubeconfig: server.kubeconfigPath });
      assert.match(get, new RegExp(`^NAME\\s+DESIRED\\s+CURRENT\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+NODE SELECTOR\\s+AGE\\nagent\\s+3\\s+3\\s+3\\s+3\\s+3\\s+pool=${pool}\\s+\\S+\\n$`));
      const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items.filter((e) => e.involvedObject.name === 'agent');
      const created = events.filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort();
      assert.deepEqual(created, (await listPods(ns)).map((p) => `Created pod: ${p.metadata.name}`).sort());
      assert.ok(events.every((e) => e.source.component === 'daemonset-controller'));
    } finally {
      await kubelet.stop();
    }
  });

  test('taints: a NoSchedule node without toleration gets no pod; tolerations, NoSchedule after the fact and NoExecute', async () => {
    const ns = await createNamespace(server);
    const pool = uniqueName('pool');
    await createNodes(pool, [`${pool}-a`, `${pool}-b`]);
    await createNodes(pool, [`${pool}-tainted`], [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    await client.resource(GVR.daemonsets).namespace(ns).create(daemonSet('agent', pool));
    await waitFor(async () => (await getDs(ns, 'agent')).status?.desiredNumberScheduled === 2, { message: 'desired 2' });
    await waitFor(async () => Object.keys(await podsByNode(ns)).length === 2, { message: '2 pods' });
    assert.deepEqual(Object.keys(await podsByNode(ns)).sort(), [`${pool}-a`, `${pool}-b`]);

    // A DaemonSet tolerating the taint runs there too.
    await client.resource(GVR.daemonsets).namespace(ns).create(daemonSet('tolerant', pool, {
      selector: { matchLabels: { app: 'tolerant' } },
      template: { metadata: { labels: { app: 'tolerant' } }, spec: { nodeSelector: { pool }, tolerations: [{ key: 'dedicated', operator: 'Exists' }], containers: [{ name: 'agent', image: 'agent:1' }] } },
    }));
    await waitFor(async () => (await listPods(ns)).filter((p) => p.metadata.labels.app === 'tolerant').length === 3, { message: 'tolerant on all 3' });

    // Tainting a node NoSchedule later leaves its pod running (upstream: shouldContinueRunning), counted misscheduled.
    await kubectlOk(['taint', 'node', `${pool}-a`, 'maintenance=true:NoSchedule'], { kubeconfig: server.kubeconfigPath });
    await waitFor(async () => (await getDs(ns, 'agent')).status?.numberMisscheduled === 1, { message: 'misscheduled 1' });
    const s = (await getDs(ns, 'agent')).status;
    assert.equal(s.desiredNumberScheduled, 1);
    const agentNodes = async () => (await listPods(ns)).filter((p) => p.metadata.labels.app === 'agent' && !p.metadata.deletionTimestamp).map((p) => affinityNodeName(p as KObject)).sort();
    assert.deepEqual(await agentNodes(), [`${pool}-a`, `${pool}-b`], 'the pod on the newly tainted node stays');
    // NoExecute without toleration: the pod is deleted.
    await kubectlOk(['taint', 'node', `${pool}-b`, 'evict=now:NoExecute'], { kubeconfig: server.kubeconfigPath });
    await waitFor(async () => (await agentNodes()).join() === `${pool}-a`, { message: 'pod on b removed' });
    await waitFor(async () => (await getDs(ns, 'agent')).status?.desiredNumberScheduled === 0, { message: 'desired 0' });
  });

  test('a node joining gets a pod; a node leaving stops being counted', async () => {
    const ns = await createNamespace(server);
    const pool = uniqueName('pool');
    await createNodes(pool, [`${pool}-a`, `${pool}-b`]);
    await client.resource(GVR.daemonsets).namespace(ns).create(daemonSet('agent', pool));
    await waitFor(async () => Object.keys(await podsByNode(ns)).length === 2, { message: '2 pods' });
    await createNodes(pool, [`${pool}-c`]);
    await waitFor(async () => (await podsByNode(ns))[`${pool}-c`], { message: 'pod for the new node' });
    await waitFor(async () => (await getDs(ns, 'agent')).status?.desiredNumberScheduled === 3, { message: 'desired 3' });
    // A node labelled out of the pool loses its (unbound) pod.
    await kubectlOk(['label', 'node', `${pool}-a`, 'pool-', '--overwrite'], { kubeconfig: server.kubeconfigPath });
    await waitFor(async () => !(await podsByNode(ns))[`${pool}-a`], { message: 'pod for a removed' });
    await client.resource(GVR.nodes).delete(`${pool}-c`);
    await waitFor(async () => (await getDs(ns, 'agent')).status?.desiredNumberScheduled === 1, { message: 'desired 1' });
    await waitFor(async () => !(await podsByNode(ns))[`${pool}-c`], { message: 'the unbound pod for the deleted node removed' });
  });

  test('an image update rolls node by node with maxUnavailable 1', async () => {
    const ns = await createNamespace(server);
    const pool = uniqueName('pool');
    const nodes = [`${pool}-a`, `${pool}-b`, `${pool}-c`];
    await createNodes(pool, nodes);
    const kubelet = new KubeletStandIn(client, { namespace: ns });
    const kc = { kubeconfig: server.kubeconfigPath };
    try {
      await client.resource(GVR.daemonsets).namespace(ns).create(daemonSet('agent', pool));
      await kubectlOk(['rollout', 'status', 'ds/agent', '-n', ns, '--timeout=30s'], kc);
      // Track, from a watch, how many nodes have an available (Ready, not terminating) pod.
      const state = new Map<string, Obj>();
      let minAvailable = Infinity;
      const watch = await client.resource(GVR.pods).namespace(ns).watch();
      const watching = (async () => {
        for await (const ev of watch) {
          const p = ev.object as Obj;
          if (ev.type === 'DELETED') state.delete(p.metadata.name);
          else state.set(p.metadata.name, p);
          const availableNodes = new Set([...state.values()]
            .filter((q) => !q.metadata.deletionTimestamp && (q.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True'))
            .map((q) => affinityNodeName(q as KObject)));
          if (state.size >= 3) minAvailable = Math.min(minAvailable, availableNodes.size);
        }
      })().catch(() => {});
      await kubectlOk(['set', 'image', 'ds/agent', 'agent=agent:2', '-n', ns], kc);
      const out = await kubectlOk(['rollout', 'status', 'ds/agent', '-n', ns, '--timeout=60s'], kc);
      assert.match(out, /Waiting for daemon set "agent" rollout to finish: \d out of 3 new pods have been updated\.\.\.\n/);
      assert.match(out, /daemon set "agent" successfully rolled out\n$/);
      watch.stop();
      await watching;
      assert.equal(minAvailable, 2, 'never more than one node without an available pod');
      const pods = (await listPods(ns)).filter((p) => !p.metadata.deletionTimestamp);
      assert.equal(pods.length, 3);
      const revisions = ((await client.resource(GVR.controllerrevisions).namespace(ns).list()).items as Obj[]).sort((a, b) => a.revision - b.revision);
      assert.deepEqual(revisions.map((r) => r.revision), [1, 2]);
      const newHash = revisions[1].metadata.labels['controller-revision-hash'];
      for (const p of pods) {
        assert.equal(p.spec.containers[0].image, 'agent:2');
        assert.equal(p.metadata.labels['controller-revision-hash'], newHash);
        assert.equal(p.metadata.labels['pod-template-generation'], '2');
      }
      const status = (await getDs(ns, 'agent')).status;
      assert.equal(status.updatedNumberScheduled, 3);
      assert.equal(status.observedGeneration, 2);
      assert.equal((await getDs(ns, 'agent')).metadata.annotations['deprecated.daemonset.template.generation'], '2');
      const historyOut = await kubectlOk(['rollout', 'history', 'ds/agent', '-n', ns], kc);
      assert.match(historyOut, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n/);
    } finally {
      await kubelet.stop();
    }
  });
});
