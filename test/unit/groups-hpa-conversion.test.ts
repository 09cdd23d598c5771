// autoscaling v1 ↔ v2: the stored v2 object seen through v1 and back, as upstream's conversion.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../../src/apimachinery/types.ts';
import { hpaV1, hpaV2 } from '../../src/registry/groups/autoscaling/hpa.ts';
import { defaultHPA } from '../../src/registry/groups/autoscaling/hpa-strategy.ts';
import { METRIC_SPECS_ANNOTATION } from '../../src/registry/groups/autoscaling/hpa-conversion.ts';

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
