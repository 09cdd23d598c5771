// Node lifecycle, NoExecute taint eviction and PodGC against the real server with simulated nodes:
// a node whose heartbeat stops goes NotReady (Unknown) with the unreachable taints, its pods are
// marked not ready and evicted after their tolerationSeconds, and all heals when heartbeats resume;
// pods of a deleted node and terminated pods above the threshold are garbage-collected.
// Short settings (grace period, lease interval, quarantine) keep it quick.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient, isNotFound } from '../../src/client/index.ts';
import { startControllerManager } from '../../src/components/controller-manager/controller-manager.ts';
import type { RunningComponent } from '../../src/components/names.ts';
import { nodeLifecycleController } from '../../src/controllers/nodelifecycle/node-lifecycle-controller.ts';
import { taintEvictionController } from '../../src/controllers/nodelifecycle/taint-eviction-controller.ts';
import { startPodGCController } from '../../src/controllers/podgc/pod-gc-controller.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { SimulatedNodes } from '../../src/nodes/simulated-nodes.ts';
import { createNamespace, kubectlOk, startTestServer, waitFor, type TestServer } from '../helpers/index.ts';

type Obj = Record<string, any>;

let server: TestServer;
let client: KubeClient;
let sim: SimulatedNodes;
let cm: RunningComponent;
before(async () => {
  server = await startTestServer();
  client = KubeClient.fromKubeconfig(server.kubeconfigPath);
  sim = new SimulatedNodes({ client, count: 3, leaseRenewIntervalMs: 500, podTerminationMs: 200 });
  await sim.start();
  cm = startControllerManager({
    client, leaderElect: false, leaderElection: { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2000 },
    flags: { nodeMonitorGracePeriodMs: 3000, terminatedPodGCThreshold: 2 },
    controllers: [
      nodeLifecycleController,
      taintEvictionController,
      { name: 'pod-garbage-collector', start: (ctx) => startPodGCController(ctx, { gcCheckPeriodMs: 300, quarantineMs: 1000 }) },
    ],
    log: () => {},
  });
});
after(async () => {
  await cm?.stop();
  await sim?.stop();
  client?.close();
  await server?.close();
});

const kc = (args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath });
const status = (o: KObject) => (o.status ?? {}) as Obj;
const condition = (o: KObject, type: string) => ((status(o).conditions ?? []) as Obj[]).find((c) => c.type === type);

function pod(name: string, nodeName: string, extra: Obj = {}, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }], ...extra },
  };
}

async function runningPod(ns: string, name: string): Promise<KObject> {
  return waitFor(async () => {
    const p = await client.resource(GVR.pods).namespace(ns).get(name);
    return condition(p, 'Ready')?.status === 'True' ? p : undefined;
  }, { message: `${name} Running and Ready`, timeoutMs: 20_000 });
}

describe('node lifecycle', { timeout: 120_000 }, () => {
  test('a node whose heartbeat stops becomes NotReady with unreachable taints; its pods are evicted after tolerationSeconds; it heals when heartbeats resume', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    const shortToleration = { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }] };
    await pods.create(pod('short', 'sim-node-1', shortToleration));
    await pods.create(pod('default', 'sim-node-1'));
    const defaulted = await runningPod(ns, 'default');
    await runningPod(ns, 'short');
    // DefaultTolerationSeconds: 300 s for not-ready and unreachable.
    assert.deepEqual(((defaulted.spec as Obj).tolerations as Obj[]).map((t) => `${t.key}:${t.effect}:${t.tolerationSeconds}`),
      ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300']);

    await kc(['annotate', 'node', 'sim-node-1', 'k8ts.io/simulate-heartbeat=stopped']);
    const unknown = await waitFor(async () => {
      const n = await client.resource(GVR.nodes).get('sim-node-1');
      return condition(n, 'Ready')?.status === 'Unknown' ? n : undefined;
    }, { message: 'Ready Unknown', timeoutMs: 20_000 });
    const ready = condition(unknown, 'Ready')!;
    assert.deepEqual([ready.reason, ready.message], ['NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.equal(condition(unknown, 'MemoryPressure')?.status, 'Unknown');
    assert.match(await kc(['get', 'node', 'sim-node-1']), /\nsim-node-1\s+NotReady\s/);

    const tainted = await waitFor(async () => {
      const n = await client.resource(GVR.nodes).get('sim-node-1');
      const taints = ((n.spec as Obj).taints ?? []) as Obj[];
      return taints.length === 2 ? taints : undefined;
    }, { message: 'unreachable taints' });
    assert.deepEqual(tainted.map((t) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.ok(tainted.find((t) => t.effect === 'NoExecute')!.timeAdded, 'NoExecute taint carries timeAdded');
    assert.match(await kc(['describe', 'node', 'sim-node-1']), /Taints:\s+node\.kubernetes\.io\/unreachable:NoExecute\n\s+node\.kubernetes\.io\/unreachable:NoSchedule/);

    // Pods on the node are marked not ready; the one tolerating 2 s is evicted, the 300 s one stays.
    await waitFor(async () => condition(await pods.get('default'), 'Ready')?.status === 'False', { message: 'pod marked not ready' });
    const evicted = await waitFor(async () => {
      const p = await pods.get('short');
      return p.metadata.deletionTimestamp ? p : undefined;
    }, { message: 'short-toleration pod evicted', timeoutMs: 15_000 });
    const disruption = condition(evicted, 'DisruptionTarget')!;
    assert.deepEqual([disruption.status, disruption.reason, disruption.message], ['True', 'DeletionByTaintManager', 'Taint manager: deleting due to NoExecute taint']);
    assert.match(await kc(['get', 'pods', '-n', ns]), /\nshort\s+\S+\s+Terminating\s/);
    assert.equal((await pods.get('default')).metadata.deletionTimestamp, undefined, 'the 300 s toleration has not run out');
    const events = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items;
    assert.ok(events.some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod ${ns}/short` && e.involvedObject.name === 'short'), JSON.stringify(events.map((e) => e.reason)));
    assert.ok(events.some((e) => e.reason === 'NodeNotReady' && e.message === 'Node is not ready' && e.involvedObject.name === 'default'));

    // Heartbeats resume: Ready again, taints gone, the terminating pod finishes, the other is Ready again.
    await kc(['annotate', 'node', 'sim-node-1', 'k8ts.io/simulate-heartbeat-']);
    await waitFor(async () => {
      const n = await client.resource(GVR.nodes).get('sim-node-1');
      return condition(n, 'Ready')?.status === 'True' && (((n.spec as Obj).taints ?? []) as Obj[]).length === 0;
    }, { message: 'node Ready without taints', timeoutMs: 20_000 });
    await waitFor(async () => {
      try { await pods.get('short'); return false; } catch (err) { return isNotFound(err); }
    }, { message: 'evicted pod gone' });
    await runningPod(ns, 'default');
    assert.match(await kc(['get', 'node', 'sim-node-1']), /\nsim-node-1\s+Ready\s/);
  });

  test('PodGC deletes the pods of a deleted node, marking them Failed with DisruptionTarget first', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    await pods.create(pod('orphan', 'sim-node-2'));
    const running = await runningPod(ns, 'orphan');
    const watch = await pods.watch({ resourceVersion: running.metadata.resourceVersion });
    const seen: { type: string; obj: KObject }[] = [];
    const reading = (async () => {
      for await (const ev of watch) {
        seen.push({ type: ev.type, obj: ev.object as KObject });
        if (ev.type === 'DELETED') break;
      }
    })();
    await kc(['delete', 'node', 'sim-node-2']);
    await waitFor(() => seen.some((e) => e.type === 'DELETED'), { message: 'orphan deleted', timeoutMs: 20_000 });
    watch.stop();
    await reading.catch(() => {});
    const failed = seen.find((e) => e.type === 'MODIFIED' && status(e.obj).phase === 'Failed')?.obj;
    assert.ok(failed, 'marked Failed before deletion');
    const c = condition(failed!, 'DisruptionTarget')!;
    assert.deepEqual([c.status, c.reason, c.message], ['True', 'DeletionByPodGC', 'PodGC: node no longer exists']);
  });

  test('PodGC keeps at most --terminated-pod-gc-threshold terminated pods', async () => {
    const ns = await createNamespace(server);
    const pods = client.resource(GVR.pods).namespace(ns);
    for (const n of ['done-1', 'done-2', 'done-3', 'done-4']) {
      await pods.create(pod(n, 'sim-node-0', { restartPolicy: 'Never' }, { 'k8ts.io/simulate-exit-code': '0' }));
    }
    await pods.create(pod('alive', 'sim-node-0'));
    await waitFor(async () => {
      const items = (await pods.list()).items;
      const terminated = items.filter((p) => ['Succeeded', 'Failed'].includes(status(p).phase));
      return items.length === 3 && terminated.length === 2;
    }, { message: 'two terminated pods left', timeoutMs: 20_000 });
    assert.ok((await pods.list()).items.some((p) => p.metadata.name === 'alive'), 'running pods are never collected');
  });
});
