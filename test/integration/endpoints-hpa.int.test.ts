// The endpoints, EndpointSlice and horizontal pod autoscaler controllers run by the controller
// manager against the real server. Pods' IPs and readiness are written through pods/status as a
// kubelet would; what a user sees is checked with the real kubectl. The HPA reads metrics.k8s.io as
// served by the API server: pods on a simulated node (no kubelet, so no usage) give upstream's
// texts for missing metrics; pods on a node whose kubelet HTTPS server reports their usage in
// /stats/summary are scaled on it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KObject } from '../../src/apimachinery/types.ts';
import { GVR, KubeClient, isConflict } from '../../src/client/index.ts';
import { endpointsController } from '../../src/controllers/endpoint/endpoints-controller.ts';
import { endpointSliceController } from '../../src/controllers/endpointslice/endpointslice-controller.ts';
import { garbageCollectorController } from '../../src/controllers/garbagecollector/garbage-collector.ts';
import type { CoreEvent } from '../../src/controllers/framework/events/types.ts';
import { horizontalPodAutoscalerController } from '../../src/controllers/podautoscaler/horizontal.ts';
import type { Summary } from '../../src/kubelet/stats/summary-types.ts';
import { SIMULATED_NODE_LABEL } from '../../src/nodes/simulation-annotations.ts';
import { createNamespace, kubectl, kubectlOk, uniqueName, waitFor, type TestServer } from '../helpers/index.ts';
import { startControllerCluster, type ControllerCluster } from '../helpers/controller-cluster.ts';
import { startTestKubelet, testCerts } from './kubelet-server-fixtures.ts';

let server: TestServer;
let client: KubeClient;
let cluster: ControllerCluster | undefined;
before(async () => {
  cluster = await startControllerCluster([endpointsController, endpointSliceController, garbageCollectorController, horizontalPodAutoscalerController]);
  ({ server, client } = cluster);
});
after(() => cluster?.close());

type Obj = Record<string, any>;
const T = { timeout: 120_000 };
const WAIT = { timeoutMs: 60_000 };
const k = (...args: string[]) => kubectlOk(args, { kubeconfig: server.kubeconfigPath, timeoutMs: 90_000 });

async function createPod(ns: string, name: string, labels: Record<string, string>, extra: Obj = {}): Promise<KObject> {
  return client.resource(GVR.pods).namespace(ns).create({
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
    spec: { nodeName: 'node-a', containers: [{ name: 'web', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }], ...extra },
  });
}

/** What the kubelet reports: Running with an IP, Ready or not. */
async function setPodStatus(ns: string, name: string, ip: string, ready: boolean, since?: string): Promise<void> {
  const pods = client.resource(GVR.pods).namespace(ns);
  for (;;) {
    const pod = await pods.get(name);
    const now = since ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = ready ? 'True' : 'False';
    pod.status = {
      phase: 'Running', podIP: ip, podIPs: [{ ip }], hostIP: '192.168.0.2', startTime: now,
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status: r, lastTransitionTime: now },
        { type: 'ContainersReady', status: r, lastTransitionTime: now },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
      ],
    };
    try {
      await pods.updateStatus(pod);
      return;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
}

async function createService(ns: string, name: string, extra: Obj = {}): Promise<KObject> {
  return client.resource(GVR.services).namespace(ns).create({
    apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { team: 'a' } },
    spec: { selector: { app: 'web' }, ports: [{ name: 'web', port: 80, targetPort: 'http' }], ...extra },
  });
}

const getEndpoints = (ns: string, name: string) => client.resource(GVR.endpoints).namespace(ns).get(name);
const slicesOf = async (ns: string, svc: string) =>
  (await client.resource(GVR.endpointslices).namespace(ns).list({ labelSelector: `kubernetes.io/service-name=${svc}` })).items;

describe('endpoints', { concurrency: 2 }, () => {
  test('ready pods under addresses, unready under notReadyAddresses, the named targetPort resolved', T, async () => {
    const ns = await createNamespace(server, 'ep');
    await createPod(ns, 'a', { app: 'web' });
    await createPod(ns, 'b', { app: 'web' });
    await createPod(ns, 'other', { app: 'db' });
    await setPodStatus(ns, 'a', '10.244.1.5', true);
    await setPodStatus(ns, 'b', '10.244.1.6', false);
    await setPodStatus(ns, 'other', '10.244.1.7', true);
    await createService(ns, 'web');

    const ep = await waitFor(async () => {
      const e = await getEndpoints(ns, 'web');
      return (e.subsets as Obj[] | undefined)?.[0]?.notReadyAddresses ? e : undefined;
    }, { ...WAIT, message: 'endpoints with both pods' });
    const subset = (ep.subsets as Obj[])[0]!;
    assert.equal((ep.subsets as Obj[]).length, 1);
    assert.deepEqual(subset.addresses.map((a: Obj) => [a.ip, a.nodeName, a.targetRef.kind, a.targetRef.name]), [['10.244.1.5', 'node-a', 'Pod', 'a']]);
    assert.deepEqual(subset.notReadyAddresses.map((a: Obj) => a.ip), ['10.244.1.6']);
    assert.deepEqual(subset.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(ep.metadata.labels, { team: 'a' });
    assert.match(ep.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(await k('get', 'endpoints', 'web', '-n', ns), /^web\s+10\.244\.1\.5:8080\s+/m);

    // b becomes ready: both addresses ready.
    await setPodStatus(ns, 'b', '10.244.1.6', true);
    await waitFor(async () => {
      const s = ((await getEndpoints(ns, 'web')).subsets as Obj[] | undefined)?.[0];
      return s?.addresses?.length === 2 && !s.notReadyAddresses;
    }, { ...WAIT, message: 'b ready' });
    assert.match(await k('get', 'endpoints', 'web', '-n', ns), /10\.244\.1\.5:8080,10\.244\.1\.6:8080/);
  });

  test('publishNotReadyAddresses lists unready pods as ready; a service without selector is left alone', T, async () => {
    const ns = await createNamespace(server, 'ep');
    await createPod(ns, 'a', { app: 'web' });
    await setPodStatus(ns, 'a', '10.244.2.5', false);
    await createService(ns, 'all', { publishNotReadyAddresses: true });
    await client.resource(GVR.services).namespace(ns).create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'manual' }, spec: { ports: [{ port: 80 }] } });
    await client.resource(GVR.endpoints).namespace(ns).create({
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 80 }] }],
    });
    const ep = await waitFor(async () => ((await getEndpoints(ns, 'all')).subsets as Obj[] | undefined)?.[0], { ...WAIT, message: 'endpoints' });
    assert.deepEqual(ep.addresses.map((a: Obj) => a.ip), ['10.244.2.5']);
    assert.equal(ep.notReadyAddresses, undefined);
    const manual = await getEndpoints(ns, 'manual');
    assert.deepEqual((manual.subsets as Obj[])[0]!.addresses, [{ ip: '192.0.2.1' }]);
  });

  test('EndpointSlices: generateName, labels, owner, conditions and ports as upstream; the kubernetes service is not touched', T, async () => {
    const ns = await createNamespace(server, 'eps');
    await createPod(ns, 'a', { app: 'web' });
    await createPod(ns, 'b', { app: 'web' });
    await setPodStatus(ns, 'a', '10.244.3.5', true);
    await setPodStatus(ns, 'b', '10.244.3.6', false);
    const svc = await createService(ns, 'web');
    const slice = await waitFor(async () => {
      const [s] = await slicesOf(ns, 'web');
      return (s?.endpoints as Obj[] | undefined)?.length === 2 ? s : undefined;
    }, { ...WAIT, message: 'slice with two endpoints' });
    assert.match(slice.metadata.name!, /^web-[a-z0-9]{5}$/);
    assert.equal(slice.metadata.generateName, 'web-');
    assert.deepEqual(slice.metadata.labels, { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    assert.deepEqual(slice.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    assert.equal(slice.addressType, 'IPv4');
    assert.deepEqual(slice.ports, [{ name: 'web', port: 8080, protocol: 'TCP' }]);
    const byPod = Object.fromEntries((slice.endpoints as Obj[]).map((e) => [e.targetRef.name, e]));
    assert.deepEqual(byPod.a.addresses, ['10.244.3.5']);
    assert.deepEqual(byPod.a.conditions, { ready: true, serving: true, terminating: false });
    assert.deepEqual(byPod.b.conditions, { ready: false, serving: false, terminating: false });
    assert.equal(byPod.a.nodeName, 'node-a');
    assert.ok(slice.metadata.annotations?.['endpoints.kubernetes.io/last-change-trigger-time']);
    assert.match(await k('get', 'endpointslices', '-n', ns), new RegExp(`^${slice.metadata.name}\\s+IPv4\\s+8080\\s+10\\.244\\.3\\.5,10\\.244\\.3\\.6\\s+`, 'm'));

    // Deleting the service: the endpoints go, the slices with it through their owner reference.
    await k('delete', 'service', 'web', '-n', ns);
    await waitFor(async () => (await slicesOf(ns, 'web')).length === 0, { ...WAIT, message: 'slices collected' });
    const defaults = await client.resource(GVR.endpointslices).namespace('default').list({ labelSelector: 'endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io' });
    assert.equal(defaults.items.filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'kubernetes').length, 0);
  });

  test('a service selecting no ready pod keeps one empty placeholder slice', T, async () => {
    const ns = await createNamespace(server, 'eps');
    await createService(ns, 'empty');
    const [slice] = await waitFor(async () => { const s = await slicesOf(ns, 'empty'); return s.length ? s : undefined; }, { ...WAIT, message: 'placeholder' });
    assert.ok(!(slice!.endpoints as Obj[] | undefined)?.length);
    assert.equal((await slicesOf(ns, 'empty')).length, 1);
  });
});

describe('horizontal pod autoscaler', { concurrency: 2 }, () => {
  async function deployment(ns: string, replicas: number) {
    await client.resource(GVR.deployments).namespace(ns).create({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } },
    });
  }

  /** A Ready node marked simulated: the metrics API asks no kubelet for it, so its pods have no stats. */
  async function simulatedNode(): Promise<string> {
    const nodes = client.resource(GVR.nodes);
    const node = await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: uniqueName('sim'), labels: { [SIMULATED_NODE_LABEL]: 'true' } } });
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    node.status = {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'InternalIP', address: '192.0.2.10' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    };
    await nodes.updateStatus(node);
    return node.metadata.name!;
  }

  /** Two Running, Ready pods of the deployment (as its ReplicaSet would make them) on that node. */
  async function podsOnNode(ns: string, node: string): Promise<void> {
    for (const [name, ip] of [['web-a', '10.244.9.5'], ['web-b', '10.244.9.6']] as const) {
      await createPod(ns, name, { app: 'web' }, {
        nodeName: node, containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
      });
      await setPodStatus(ns, name, ip, true);
    }
  }

  async function hpaWithCondition(ns: string) {
    return waitFor(async () => {
      const h = await client.resource(GVR.horizontalpodautoscalers).namespace(ns).get('web');
      return (h.status as Obj | undefined)?.conditions?.some((c: Obj) => c.type === 'ScalingActive') ? h : undefined;
    }, { ...WAIT, message: 'conditions' });
  }

  async function eventsByReason(ns: string, reasons: string[]): Promise<Record<string, CoreEvent>> {
    const events = await waitFor(async () => {
      const ev = (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items;
      return reasons.every((r) => ev.some((e) => e.reason === r)) ? ev : undefined;
    }, { ...WAIT, message: `events ${reasons.join(', ')}` });
    return Object.fromEntries(events.map((e) => [e.reason, e]));
  }

  test('pods without stats in metrics.k8s.io: ScalingActive False FailedGetResourceMetric with upstream\'s message and events', T, async () => {
    const ns = await createNamespace(server, 'hpa');
    await deployment(ns, 2);
    await podsOnNode(ns, await simulatedNode());
    // What the HPA reads: the metrics API is served but has no sample for these pods.
    const missing = await kubectl(['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods/web-a`], { kubeconfig: server.kubeconfigPath, timeoutMs: 90_000 });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /NotFound/);
    const list = JSON.parse(await k('get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods?labelSelector=app%3Dweb`));
    assert.deepEqual([list.kind, list.items], ['PodMetricsList', []]);

    await k('autoscale', 'deployment', 'web', '--min=1', '--max=5', '--cpu-percent=50', '-n', ns);
    const hpa = await hpaWithCondition(ns);
    const cond = Object.fromEntries(((hpa.status as Obj).conditions as Obj[]).map((c) => [c.type, c]));
    assert.deepEqual([cond.AbleToScale.status, cond.AbleToScale.reason, cond.AbleToScale.message], ['True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale']);
    const cause = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    assert.deepEqual([cond.ScalingActive.status, cond.ScalingActive.reason, cond.ScalingActive.message], ['False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${cause}`]);
    assert.equal(cond.ScalingLimited, undefined);
    assert.equal((hpa.status as Obj).currentReplicas, 2);
    assert.deepEqual((hpa.status as Obj).currentMetrics, [{ type: '' }]);
    const byReason = await eventsByReason(ns, ['FailedGetResourceMetric', 'FailedComputeMetricsReplicas']);
    assert.equal(byReason.FailedGetResourceMetric?.message, cause);
    assert.equal(byReason.FailedGetResourceMetric?.type, 'Warning');
    assert.equal(byReason.FailedGetResourceMetric?.source.component, 'horizontal-pod-autoscaler');
    assert.equal(byReason.FailedComputeMetricsReplicas?.message, `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${cause}`);
    assert.match(await k('get', 'hpa', 'web', '-n', ns), /web\s+Deployment\/web\s+cpu: <unknown>\/50%\s+1\s+5\s+2\s+/);
    const described = await k('describe', 'hpa', 'web', '-n', ns);
    assert.match(described, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API/);
    assert.match(described, /Warning\s+FailedGetResourceMetric\s+.*horizontal-pod-autoscaler\s+failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API/);
    // Nothing was scaled on missing data.
    assert.equal(((await client.resource(GVR.deployments).namespace(ns).get('web')).spec as Obj).replicas, 2);
  });

  test('ContainerResource and averageValue metrics without data: each reported, the first in the condition', T, async () => {
    const ns = await createNamespace(server, 'hpa');
    await deployment(ns, 2);
    await podsOnNode(ns, await simulatedNode());
    await client.resource(GVR.horizontalpodautoscalers).namespace(ns).create({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 4,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
          { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'web', target: { type: 'Utilization', averageUtilization: 60 } } },
        ],
      },
    });
    const hpa = await hpaWithCondition(ns);
    const memory = 'failed to get memory usage: unable to get metrics for resource memory: no metrics returned from resource metrics API';
    const cpu = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    const active = ((hpa.status as Obj).conditions as Obj[]).find((c) => c.type === 'ScalingActive')!;
    assert.deepEqual([active.reason, active.message], ['FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${memory}`]);
    assert.deepEqual((hpa.status as Obj).currentMetrics, [{ type: '' }, { type: '' }]);
    const byReason = await eventsByReason(ns, ['FailedGetResourceMetric', 'FailedGetContainerResourceMetric', 'FailedComputeMetricsReplicas']);
    assert.equal(byReason.FailedGetResourceMetric?.message, memory);
    assert.equal(byReason.FailedGetContainerResourceMetric?.message, cpu);
    assert.equal(byReason.FailedComputeMetricsReplicas?.message, `invalid metrics (2 invalid out of 2), first error is: failed to get memory resource metric value: ${memory}`);
    assert.match(await k('get', 'hpa', 'web', '-n', ns), /web\s+Deployment\/web\s+memory: <unknown>\/100Mi, cpu: <unknown>\/60%\s+1\s+4\s+2\s+/);
  });

  test('cpu above target in real PodMetrics (from a kubelet\'s /stats/summary): scaled up with upstream\'s event, status and conditions', T, async () => {
    const ns = await createNamespace(server, 'hpa');
    // A kubelet HTTPS server (cluster CA) whose summary reports 90m of cpu for each pod.
    const ca = { cert: await readFile(join(server.certsDir, 'ca.crt'), 'utf8'), key: await readFile(join(server.certsDir, 'ca.key'), 'utf8') };
    const uids = new Map<string, string>();
    const summary = async (): Promise<Summary> => {
      const time = new Date().toISOString();
      return {
        node: { nodeName: 'kubelet', startTime: time },
        pods: [...uids].map(([name, uid]) => ({
          podRef: { name, namespace: ns, uid }, startTime: time,
          containers: [{ name: 'web', startTime: time, cpu: { time, usageNanoCores: 90_000_000 }, memory: { time, workingSetBytes: 32 * 2 ** 20 } }],
        })),
      };
    };
    const kubelet = await startTestKubelet(await testCerts(ca), summary);
    try {
      const node = uniqueName('kubelet');
      await client.resource(GVR.nodes).create({
        apiVersion: 'v1', kind: 'Node', metadata: { name: node },
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: kubelet.server.port } },
          conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
        },
      });
      await deployment(ns, 2);
      // Started 10 minutes ago: past the cpu initialization period, so the samples count.
      const started = new Date(Date.now() - 10 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      for (const [name, ip] of [['web-a', '10.244.8.5'], ['web-b', '10.244.8.6']] as const) {
        const pod = await createPod(ns, name, { app: 'web' }, { nodeName: node, containers: [{ name: 'web', image: 'nginx', resources: { requests: { cpu: '100m' } } }] });
        await setPodStatus(ns, name, ip, true, started);
        uids.set(name, pod.metadata.uid!);
      }
      assert.match(await k('top', 'pod', '-n', ns), /^web-a\s+90m\s+32Mi\s*$/m);

      await k('autoscale', 'deployment', 'web', '--min=1', '--max=5', '--cpu-percent=50', '-n', ns);
      // 90% of the requests against 50%: ceil(1.8 × 2) = 4.
      await waitFor(async () => ((await client.resource(GVR.deployments).namespace(ns).get('web')).spec as Obj).replicas === 4, { ...WAIT, message: 'scaled to 4' });
      const hpa = await waitFor(async () => {
        const h = await client.resource(GVR.horizontalpodautoscalers).namespace(ns).get('web');
        return (h.status as Obj | undefined)?.desiredReplicas === 4 ? h : undefined;
      }, { ...WAIT, message: 'status' });
      const status = hpa.status as Obj;
      assert.equal(status.currentReplicas, 2);
      assert.ok(status.lastScaleTime);
      assert.deepEqual(status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 90, averageValue: '90m' } } }]);
      const cond = Object.fromEntries((status.conditions as Obj[]).map((c) => [c.type, [c.status, c.reason, c.message]]));
      assert.deepEqual(cond, {
        AbleToScale: ['True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 4'],
        ScalingActive: ['True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'],
        ScalingLimited: ['False', 'DesiredWithinRange', 'the desired count is within the acceptable range'],
      });
      const rescaled = await eventsByReason(ns, ['SuccessfulRescale']);
      assert.equal(rescaled.SuccessfulRescale?.message, 'New size: 4; reason: cpu resource utilization (percentage of request) above target');
      assert.match(await k('get', 'hpa', 'web', '-n', ns), /web\s+Deployment\/web\s+cpu: 90%\/50%\s+1\s+5\s+2\s+/);
      assert.match(await k('describe', 'hpa', 'web', '-n', ns), /Normal\s+SuccessfulRescale\s+.*New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
    } finally {
      await kubelet.server.close();
    }
  });

  test('replicas below minReplicas are scaled up through the scale subresource', T, async () => {
    const ns = await createNamespace(server, 'hpa');
    await deployment(ns, 1);
    await k('autoscale', 'deployment', 'web', '--min=3', '--max=5', '--cpu-percent=50', '-n', ns);
    await waitFor(async () => ((await client.resource(GVR.deployments).namespace(ns).get('web')).spec as Obj).replicas === 3, { ...WAIT, message: 'scaled to 3' });
    const hpa = await waitFor(async () => {
      const h = await client.resource(GVR.horizontalpodautoscalers).namespace(ns).get('web');
      return (h.status as Obj | undefined)?.desiredReplicas === 3 ? h : undefined;
    }, { ...WAIT, message: 'status' });
    const status = hpa.status as Obj;
    assert.equal(status.currentReplicas, 1);
    assert.ok(status.lastScaleTime);
    const able = (status.conditions as Obj[]).find((c) => c.type === 'AbleToScale')!;
    assert.deepEqual([able.status, able.reason, able.message], ['True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 3']);
    // Events are written after the status, asynchronously.
    const rescaled = await waitFor(async () => (await client.resource<CoreEvent>(GVR.events).namespace(ns).list()).items.find((e) => e.reason === 'SuccessfulRescale'), { ...WAIT, message: 'SuccessfulRescale event' });
    assert.equal(rescaled.message, 'New size: 3; reason: Current number of replicas below Spec.MinReplicas');
    assert.match(await k('describe', 'hpa', 'web', '-n', ns), /Normal\s+SuccessfulRescale\s+.*New size: 3; reason: Current number of replicas below Spec.MinReplicas/);
  });
});
