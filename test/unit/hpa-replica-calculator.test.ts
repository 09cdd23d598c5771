// The HPA's replica calculation on fixed inputs, table-driven after upstream's
// replica_calculator_test.go: pods (requests, phase, readiness) and the PodMetrics the metrics API
// would serve, through to the replica count, the utilization, the metric status and the texts of the
// conditions and events a user reads in `kubectl describe hpa`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { computeReplicasForMetrics, type MetricContext } from '../../src/controllers/podautoscaler/metric-replicas.ts';
import { formatMilliQuantity, parseGoDuration } from '../../src/controllers/podautoscaler/milli-quantity.ts';
import { DEFAULT_CALCULATOR_OPTIONS, getRawResourceReplicas, getResourceReplicas, type CalculatorOptions } from '../../src/controllers/podautoscaler/replica-calculator.ts';
import { resourceMetricFromList, type PodMetricsItem } from '../../src/controllers/podautoscaler/resource-metrics.ts';

type Obj = Record<string, any>;

const NOW = Date.parse('2025-01-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const OPTS: CalculatorOptions = { ...DEFAULT_CALCULATOR_OPTIONS, now: NOW };

interface PodSpec {
  name?: string;
  request?: string | null;
  phase?: string;
  ready?: 'True' | 'False' | null;
  /** Minutes since start; default 10 (past the cpu initialization period). */
  startedMinAgo?: number;
  /** Minutes since the Ready condition last changed; default = since start. */
  readySinceMinAgo?: number;
  deleted?: boolean;
  resource?: string;
}

function pod(p: PodSpec, i: number): Obj {
  const start = NOW - (p.startedMinAgo ?? 10) * 60_000;
  const transition = p.readySinceMinAgo === undefined ? start : NOW - p.readySinceMinAgo * 60_000;
  const resource = p.resource ?? 'cpu';
  return {
    metadata: { name: p.name ?? `p${i}`, namespace: 'ns', labels: { app: 'web' }, ...(p.deleted ? { deletionTimestamp: iso(NOW) } : {}) },
    spec: { containers: [{ name: 'web', resources: p.request === null ? {} : { requests: { [resource]: p.request ?? '1' } } }] },
    status: {
      phase: p.phase ?? 'Running', startTime: iso(start),
      conditions: p.ready === null ? [] : [{ type: 'Ready', status: p.ready ?? 'True', lastTransitionTime: iso(transition) }],
    },
  };
}

/** PodMetrics as served: one container per pod, usage as a quantity string, sampled a minute ago over 30s. */
function podMetrics(usage: Record<string, string>, resource = 'cpu', sampledMinAgo = 1): PodMetricsItem[] {
  return Object.entries(usage).map(([name, q]) => ({
    metadata: { name, namespace: 'ns' }, timestamp: iso(NOW - sampledMinAgo * 60_000), window: '30s',
    containers: [{ name: 'web', usage: { [resource]: q, ...(resource === 'cpu' ? { memory: '10Mi' } : { cpu: '10m' }) } }],
  }));
}

describe('utilization targets (GetResourceReplicas)', () => {
  const cases: { name: string; current: number; target: number; pods: PodSpec[]; usage: Record<string, string>; replicas?: number; utilization?: number; raw?: string; error?: string; resource?: string }[] = [
    { name: 'scale up: ceil(ratio × ready pods)', current: 3, target: 30, pods: [{}, {}, {}], usage: { p0: '300m', p1: '500m', p2: '700m' }, replicas: 5, utilization: 50, raw: '500m' },
    { name: 'scale down', current: 5, target: 50, pods: [{}, {}, {}, {}, {}], usage: { p0: '100m', p1: '300m', p2: '500m', p3: '250m', p4: '250m' }, replicas: 3, utilization: 28, raw: '280m' },
    { name: 'within the 0.1 tolerance: unchanged', current: 3, target: 100, pods: [{ request: '900m' }, { request: '1' }, { request: '1100m' }], usage: { p0: '1010m', p1: '1030m', p2: '1020m' }, replicas: 3, utilization: 102, raw: '1020m' },
    { name: 'just past the tolerance scales', current: 4, target: 100, pods: [{}, {}, {}, {}], usage: { p0: '1120m', p1: '1120m', p2: '1120m', p3: '1120m' }, replicas: 5, utilization: 112 },
    { name: 'unready pod on scale-up counts as 0%: less scale', current: 3, target: 30, pods: [{ ready: 'False' }, {}, {}], usage: { p0: '300m', p1: '500m', p2: '700m' }, replicas: 4, utilization: 60, raw: '600m' },
    { name: 'unready pod without a Ready condition is left out', current: 3, target: 30, pods: [{ ready: null }, {}, {}], usage: { p0: '900m', p1: '500m', p2: '700m' }, replicas: 4, utilization: 60 },
    { name: 'pod once ready, now unready, past initialization: counted', current: 3, target: 30, pods: [{ ready: 'False', readySinceMinAgo: 2 }, {}, {}], usage: { p0: '300m', p1: '500m', p2: '700m' }, replicas: 5, utilization: 50 },
    { name: 'sample older than readiness within initialization: unready', current: 3, target: 30, pods: [{ startedMinAgo: 2, readySinceMinAgo: 0.5 }, {}, {}], usage: { p0: '3', p1: '500m', p2: '700m' }, replicas: 4, utilization: 60 },
    { name: 'memory ignores readiness', current: 2, target: 50, resource: 'memory', pods: [{ ready: 'False', request: '100Mi', resource: 'memory' }, { request: '100Mi', resource: 'memory' }], usage: { p0: '100Mi', p1: '100Mi' }, replicas: 4, utilization: 100, raw: '104857600' },
    { name: 'pending pod on scale-up counts as 0%', current: 3, target: 30, pods: [{ phase: 'Pending' }, {}, {}], usage: { p1: '500m', p2: '700m' }, replicas: 4, utilization: 60 },
    { name: 'missing sample on scale-down counts as 100% of its request', current: 4, target: 100, pods: [{}, {}, {}, {}], usage: { p0: '400m', p1: '95m' }, replicas: 3, utilization: 24 },
    { name: 'missing sample on scale-up counts as 0%', current: 3, target: 50, pods: [{}, {}, {}], usage: { p0: '1', p1: '1' }, replicas: 4, utilization: 100 },
    { name: 'missing sample turning scale-up into scale-down: unchanged', current: 3, target: 50, pods: [{}, {}, {}, {}, {}], usage: { p0: '600m', p1: '600m' }, replicas: 3, utilization: 60 },
    { name: 'deleted and failed pods are ignored', current: 3, target: 50, pods: [{ deleted: true }, { phase: 'Failed' }, {}], usage: { p0: '1', p1: '1', p2: '1' }, replicas: 2, utilization: 100 },
    { name: 'missing request', current: 1, target: 50, pods: [{ request: null }], usage: { p0: '500m' }, error: 'missing request for cpu in container web of Pod p0' },
    { name: 'every pod unready', current: 2, target: 50, pods: [{ phase: 'Pending' }, { phase: 'Pending' }], usage: { p0: '1', p1: '1' }, error: 'did not receive metrics for targeted pods (pods might be unready)' },
    { name: 'no pods', current: 1, target: 50, pods: [], usage: { p0: '1' }, error: 'no pods returned by selector while calculating replica count' },
    { name: 'metrics only for pods that are gone', current: 1, target: 100, pods: [{ name: 'new' }], usage: { 'an-older-pod-name': '100m' }, error: 'no metrics returned matched known pods' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const resource = c.resource ?? 'cpu';
      const run = () => getResourceReplicas(c.current, c.target, resource, '', resourceMetricFromList(podMetrics(c.usage, resource), resource, ''), c.pods.map(pod), OPTS);
      if (c.error) {
        assert.throws(run, { message: c.error });
        return;
      }
      const r = run();
      assert.equal(r.replicas, c.replicas);
      assert.equal(r.utilization, c.utilization);
      if (c.raw) assert.equal(formatMilliQuantity(r.rawUtilization), c.raw);
    });
  }

  test('a target above 100% counts a missing pod at the target, not at its request', () => {
    const pods = [{}, {}, {}, {}].map(pod);
    const metrics = resourceMetricFromList(podMetrics({ p0: '500m', p1: '500m' }), 'cpu', '');
    // 50% of a 200% target; missing pods at 200% make the average 125% → ratio .625 → ceil(2.5) = 3.
    assert.deepEqual(getResourceReplicas(4, 200, 'cpu', '', metrics, pods, OPTS), { replicas: 3, utilization: 50, rawUtilization: 500 });
  });

  test('sidecars (restartable init containers) count in the requests', () => {
    const p = pod({}, 0);
    p.spec.initContainers = [{ name: 'proxy', restartPolicy: 'Always', resources: { requests: { cpu: '1' } } }, { name: 'init', resources: {} }];
    const metrics = resourceMetricFromList(podMetrics({ p0: '1' }), 'cpu', '');
    assert.equal(getResourceReplicas(1, 100, 'cpu', '', metrics, [p], OPTS).utilization, 50);
  });
});

describe('averageValue targets (GetRawResourceReplicas)', () => {
  const cases: { name: string; current: number; target: string; pods: PodSpec[]; usage: Record<string, string>; replicas: number; usage_: string }[] = [
    { name: 'scale up on average usage', current: 2, target: '100Mi', pods: [{}, {}], usage: { p0: '150Mi', p1: '250Mi' }, replicas: 4, usage_: '209715200' },
    { name: 'scale down', current: 4, target: '500m', pods: [{}, {}, {}, {}], usage: { p0: '100m', p1: '100m', p2: '100m', p3: '100m' }, replicas: 1, usage_: '100m' },
    { name: 'within tolerance', current: 3, target: '1', pods: [{}, {}, {}], usage: { p0: '1050m', p1: '1', p2: '950m' }, replicas: 3, usage_: '1' },
    { name: 'missing request does not matter', current: 1, target: '100m', pods: [{ request: null }], usage: { p0: '300m' }, replicas: 3, usage_: '300m' },
    { name: 'missing sample on scale-down counts as the target', current: 3, target: '1', pods: [{}, {}, {}], usage: { p0: '200m', p1: '200m' }, replicas: 2, usage_: '200m' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const resource = c.target.endsWith('Mi') ? 'memory' : 'cpu';
      const metrics = resourceMetricFromList(podMetrics(c.usage, resource), resource, '');
      const target = resource === 'memory' ? Number.parseInt(c.target, 10) * 1024 * 1024 * 1000 : (c.target.endsWith('m') ? Number.parseInt(c.target, 10) : Number(c.target) * 1000);
      const r = getRawResourceReplicas(c.current, target, resource, metrics, c.pods.map(pod), OPTS);
      assert.equal(r.replicas, c.replicas);
      assert.equal(formatMilliQuantity(r.usage), c.usage_);
    });
  }
});

describe('PodMetrics to per-pod usage', () => {
  const items: PodMetricsItem[] = [
    { metadata: { name: 'a', namespace: 'ns' }, timestamp: iso(NOW), window: '10s', containers: [{ name: 'web', usage: { cpu: '250m', memory: '1Mi' } }, { name: 'log', usage: { cpu: '50m', memory: '1Mi' } }] },
    { metadata: { name: 'b', namespace: 'ns' }, timestamp: iso(NOW), window: '10s', containers: [{ name: 'web', usage: { memory: '1Mi' } }] },
    { metadata: { name: 'c', namespace: 'ns' }, timestamp: iso(NOW), window: '10s', containers: [] },
  ];
  test('a pod sums its containers; a pod lacking the resource or containers is left out', () => {
    const m = resourceMetricFromList(items, 'cpu', '');
    assert.deepEqual([...m.entries()], [['a', { value: 300, timestamp: NOW, windowMs: 10_000 }]]);
  });
  test('a container metric reads the named container, and fails for a pod without it', () => {
    assert.deepEqual([...resourceMetricFromList(items.slice(0, 2), 'cpu', 'web').keys()], ['a']);
    assert.throws(() => resourceMetricFromList(items, 'cpu', 'web'), { message: 'failed to get container metrics: container web not present in metrics for pod ns/c' });
  });
  test('no PodMetrics at all', () => {
    assert.throws(() => resourceMetricFromList([], 'cpu', ''), { message: 'no metrics returned from resource metrics API' });
  });
  test('quantities and windows as written', () => {
    assert.deepEqual([0, 250, 1000, 1500, 2_000_000_000, 12_641_280_000].map(formatMilliQuantity), ['0', '250m', '1', '1500m', '2M', '12641280']);
    assert.deepEqual(['10s', '1m0s', '1.5s', '500ms', ''].map(parseGoDuration), [10_000, 60_000, 1500, 500, 0]);
  });
});

describe('computeReplicasForMetrics: statuses, conditions and events', () => {
  function ctx(items: PodMetricsItem[] | Error, pods: Obj[], specReplicas: number, events: string[][]): MetricContext {
    return {
      specReplicas, pods, calc: OPTS,
      listPodMetrics: async () => { if (items instanceof Error) throw items; return items; },
      warn: (reason, message) => events.push([reason, message]),
    };
  }
  const cpu50 = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
  const memValue = { type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', target: { type: 'AverageValue', averageValue: '100Mi' } } };

  test('cpu utilization above target: the proposal, currentMetrics and ValidMetricFound', async () => {
    const events: string[][] = [];
    const r = await computeReplicasForMetrics([cpu50], ctx(podMetrics({ p0: '900m', p1: '700m' }), [{}, {}].map(pod), 2, events));
    assert.equal(r.replicas, 4);
    assert.equal(r.metricName, 'cpu resource utilization (percentage of request)');
    assert.deepEqual(r.statuses, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '800m' } } }]);
    assert.deepEqual(r.scalingActive, { status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    assert.equal(r.error, undefined);
    assert.deepEqual(events, []);
  });

  test('no PodMetrics for the pods: upstream\'s FailedGetResourceMetric texts', async () => {
    const events: string[][] = [];
    const r = await computeReplicasForMetrics([cpu50, memValue], ctx([], [{}].map(pod), 1, events));
    const cpu = 'failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API';
    const mem = 'failed to get memory usage: unable to get metrics for resource memory: no metrics returned from resource metrics API';
    assert.equal(r.replicas, -1);
    assert.deepEqual(r.statuses, [{ type: '' }, { type: '' }]);
    assert.deepEqual(events, [['FailedGetResourceMetric', cpu], ['FailedGetContainerResourceMetric', mem]]);
    assert.deepEqual(r.scalingActive, { status: 'False', reason: 'FailedGetResourceMetric', message: `the HPA was unable to compute the replica count: ${cpu}` });
    assert.equal(r.error, `invalid metrics (2 invalid out of 2), first error is: failed to get cpu resource metric value: ${cpu}`);
  });

  test('metrics API not served', async () => {
    const events: string[][] = [];
    const r = await computeReplicasForMetrics([cpu50], ctx(new Error('unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)'), [{}].map(pod), 1, events));
    assert.equal(events[0]![1], 'failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)');
    assert.equal(r.replicas, -1);
  });

  test('one metric failing while another scales up: scale, and report the failure', async () => {
    const events: string[][] = [];
    const memRequest = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } };
    const r = await computeReplicasForMetrics([memRequest, cpu50], ctx(podMetrics({ p0: '1', p1: '1' }), [{}, {}].map(pod), 2, events));
    assert.equal(r.replicas, 4);
    assert.deepEqual(r.statuses?.map((s) => s.type), ['', 'Resource']);
    assert.equal(r.scalingActive?.reason, 'ValidMetricFound');
    assert.equal(r.error, 'invalid metrics (1 invalid out of 2), first error is: failed to get memory resource metric value: failed to get memory utilization: missing request for memory in container web of Pod p0');
    assert.deepEqual(events, [['FailedGetResourceMetric', 'failed to get memory utilization: missing request for memory in container web of Pod p0']]);
  });

  test('one metric failing while the other would scale down: no scaling', async () => {
    const events: string[][] = [];
    const memRequest = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } } };
    const r = await computeReplicasForMetrics([memRequest, cpu50], ctx(podMetrics({ p0: '100m', p1: '100m' }), [{}, {}].map(pod), 2, events));
    assert.equal(r.replicas, -1);
    assert.equal(r.scalingActive?.reason, 'FailedGetResourceMetric');
  });

  test('container resource averageValue status', async () => {
    const r = await computeReplicasForMetrics([memValue], ctx(podMetrics({ p0: '300Mi' }, 'memory'), [{ request: '1Gi', resource: 'memory' }].map(pod), 1, []));
    assert.equal(r.replicas, 3);
    assert.equal(r.metricName, 'memory resource');
    assert.deepEqual(r.statuses, [{ type: 'ContainerResource', containerResource: { name: 'memory', container: 'web', current: { averageValue: '314572800' } } }]);
  });
});
