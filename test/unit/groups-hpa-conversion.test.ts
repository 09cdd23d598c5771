// autoscaling v1 ↔ v2: the stored v2 object seen through v1 and back, as upstream's conversion.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { hpaV1, hpaV2 } from '../../src/registry/groups/autoscaling/hpa.ts';
import { defaultHPA } from '../../src/registry/groups/autoscaling/hpa-strategy.ts';
import { METRIC_SPECS_ANNOTATION, METRIC_STATUSES_ANNOTATION } from '../../src/registry/groups/autoscaling/hpa-conversion.ts';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

function v1(spec: Record<string, unknown>, status?: Record<string, unknown>): KObject {
  const o: KObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: ref, maxReplicas: 5, ...spec } };
  if (status) o.status = status;
  return o;
}

describe('HorizontalPodAutoscaler versions', () => {
  test('both versions share one stored resource in the v2 shape', () => {
    assert.equal(hpaV1.storageVersion, 'v2');
    assert.equal(hpaV2.storageVersion, 'v2');
    assert.equal(hpaV1.resource, hpaV2.resource);
  });

  test('v1 targetCPUUtilizationPercentage is stored as a v2 cpu Utilization metric', () => {
    const stored = hpaV1.convertToStorage!(v1({ minReplicas: 2, targetCPUUtilizationPercentage: 60 }));
    assert.equal(stored.apiVersion, 'autoscaling/v2');
    assert.deepEqual(stored.spec, {
      scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }],
    });
  });

  test('a v1 HPA without target reads back with the default 80% (v2 defaulting)', () => {
    const stored = hpaV1.convertToStorage!(v1({}));
    defaultHPA(stored);
    const back = hpaV1.convertFromStorage!(stored);
    assert.deepEqual(back.spec, { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
    assert.equal(back.metadata.annotations, undefined);
  });

  test('other v2 metrics survive a v1 round trip through the annotation', () => {
    const v2obj: KObject = {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
      spec: {
        scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5,
        metrics: [
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
        ],
      },
      status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }] },
    };
    const asV1 = hpaV1.convertFromStorage!(v2obj);
    assert.equal((asV1.spec as any).targetCPUUtilizationPercentage, 50);
    assert.equal((asV1.status as any).currentCPUUtilizationPercentage, 30);
    assert.deepEqual(JSON.parse(asV1.metadata.annotations![METRIC_SPECS_ANNOTATION]!), [{ type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } }]);
    const again = hpaV1.convertToStorage!(asV1);
    assert.deepEqual(again.spec, v2obj.spec);
    assert.deepEqual(again.status, v2obj.status);
    assert.equal(again.metadata.annotations, undefined);
  });

  test('the v1 strategy defaults through the v2 form: minReplicas 1 and the 80% CPU target', () => {
    const o = v1({});
    hpaV1.strategy.defaults!(o);
    assert.equal(o.apiVersion, 'autoscaling/v1');
    assert.deepEqual(o.spec, { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 });
  });

  test('the v1 strategy validates with the upstream field paths', () => {
    const errs = hpaV1.strategy.validate!(v1({ minReplicas: 0, targetCPUUtilizationPercentage: 50 }), { namespace: 'default', dryRun: false, now: () => new Date() });
    assert.deepEqual(errs.map((e) => e.field), ['spec.minReplicas']);
  });

  test('defaults complete a given behavior', () => {
    const o: KObject = { metadata: { name: 'h' }, spec: { scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } };
    defaultHPA(o);
    assert.deepEqual((o.spec as any).behavior, {
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  test('the table reads a v1-shaped object too', () => {
    const cells = hpaV1.table!.cells(v1({ minReplicas: 1, targetCPUUtilizationPercentage: 70 }, { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 12 }), new Date());
    assert.equal(cells[2], 'cpu: 12%/70%');
  });
});

describe('every metric source type converts both ways', () => {
  const selector = { matchLabels: { queue: 'jobs' } };
  const described = { apiVersion: 'v1', kind: 'Service', name: 'front' };
  // [name, v2 spec metric, its v1 annotation form, v2 status metric, its v1 annotation form]
  const cases: [string, object, object, object, object][] = [
    ['Resource by value',
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
      { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
      { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } },
      { type: 'Resource', resource: { name: 'memory', currentAverageValue: '300Mi' } }],
    ['ContainerResource by utilization',
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', targetAverageUtilization: 70 } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 40, averageValue: '200m' } } },
      { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', currentAverageUtilization: 40, currentAverageValue: '200m' } }],
    ['Pods',
      { type: 'Pods', pods: { metric: { name: 'rps', selector }, target: { type: 'AverageValue', averageValue: '10' } } },
      { type: 'Pods', pods: { metricName: 'rps', selector, targetAverageValue: '10' } },
      { type: 'Pods', pods: { metric: { name: 'rps', selector }, current: { averageValue: '7' } } },
      { type: 'Pods', pods: { metricName: 'rps', selector, currentAverageValue: '7' } }],
    ['Object by value',
      { type: 'Object', object: { describedObject: described, metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } },
      { type: 'Object', object: { target: described, metricName: 'hits', targetValue: '2k' } },
      { type: 'Object', object: { describedObject: described, metric: { name: 'hits' }, current: { value: '1k' } } },
      { type: 'Object', object: { target: described, metricName: 'hits', currentValue: '1k' } }],
    ['Object by average value',
      { type: 'Object', object: { describedObject: described, metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '50' } } },
      { type: 'Object', object: { target: described, metricName: 'hits', averageValue: '50' } },
      { type: 'Object', object: { describedObject: described, metric: { name: 'hits' }, current: { averageValue: '20' } } },
      { type: 'Object', object: { target: described, metricName: 'hits', averageValue: '20' } }],
    ['External by value',
      { type: 'External', external: { metric: { name: 'queue', selector }, target: { type: 'Value', value: '30' } } },
      { type: 'External', external: { metricName: 'queue', metricSelector: selector, targetValue: '30' } },
      { type: 'External', external: { metric: { name: 'queue', selector }, current: { value: '12' } } },
      { type: 'External', external: { metricName: 'queue', metricSelector: selector, currentValue: '12' } }],
    ['External by average value',
      { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '5' } } },
      { type: 'External', external: { metricName: 'queue', targetAverageValue: '5' } },
      { type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '3' } } },
      { type: 'External', external: { metricName: 'queue', currentAverageValue: '3' } }],
  ];
  for (const [name, specV2, specV1, statusV2, statusV1] of cases) {
    test(name, () => {
      const stored: KObject = {
        apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
        spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, metrics: [specV2] },
        status: { currentReplicas: 2, desiredReplicas: 2, currentMetrics: [statusV2] },
      };
      const asV1 = hpaV1.convertFromStorage!(stored);
      const annotations = asV1.metadata.annotations!;
      assert.deepEqual(JSON.parse(annotations[METRIC_SPECS_ANNOTATION]!), [specV1]);
      assert.deepEqual(JSON.parse(annotations[METRIC_STATUSES_ANNOTATION]!), [statusV1]);
      const back = hpaV1.convertToStorage!(asV1);
      assert.deepEqual(back.spec, stored.spec);
      assert.deepEqual(back.status, stored.status);
      assert.equal(back.metadata.annotations, undefined);
    });
  }
});
