// From a metrics proposal to the replicas the HPA sets, on a fake clock: the default 5-minute
// downscale stabilization, the min/max bounds and the scale-up limit (upstream's
// normalizeDesiredReplicas), and a spec.behavior's windows and policies, with the AbleToScale and
// ScalingLimited reasons kubectl describe shows.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { convertDesiredReplicasWithRules, ScalingHistory, type Behavior } from '../../src/controllers/podautoscaler/replica-normalizer.ts';

const MIN = 60_000;

describe('without behavior', () => {
  const bounds: [string, number, number, number, number, number, string][] = [
    // name, current, desired, min, max → replicas, reason
    ['within range', 3, 5, 1, 10, 5, 'DesiredWithinRange'],
    ['below minReplicas', 3, 0, 2, 10, 2, 'TooFewReplicas'],
    ['above maxReplicas', 3, 9, 1, 5, 5, 'TooManyReplicas'],
    ['scale-up limit: at most double', 3, 20, 1, 50, 6, 'ScaleUpLimit'],
    ['scale-up limit: at least 4', 1, 20, 1, 50, 4, 'ScaleUpLimit'],
  ];
  for (const [name, current, desired, min, max, replicas, reason] of bounds) {
    test(name, () => assert.deepEqual(
      [convertDesiredReplicasWithRules(current, desired, min, max).replicas, convertDesiredReplicasWithRules(current, desired, min, max).reason], [replicas, reason]));
  }

  test('a scale down waits for the highest recommendation of the last 5 minutes', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 6);
    clock.step(MIN);
    let n = h.normalize('ns/web', undefined, 6, 2, 1, 10);
    assert.equal(n.desiredReplicas, 6);
    assert.deepEqual(n.ableToScale, { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' });
    assert.deepEqual(n.scalingLimited, { status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
    clock.step(3 * MIN);
    assert.equal(h.normalize('ns/web', undefined, 6, 3, 1, 10).desiredReplicas, 6);
    // The initial 6 falls out of the window; 3 (a minute ago) is now the highest.
    clock.step(1.5 * MIN);
    n = h.normalize('ns/web', undefined, 6, 2, 1, 10);
    assert.equal(n.desiredReplicas, 3);
    assert.equal(n.ableToScale.reason, 'ScaleDownStabilized');
    clock.step(6 * MIN);
    n = h.normalize('ns/web', undefined, 3, 2, 1, 10);
    assert.deepEqual([n.desiredReplicas, n.ableToScale.reason], [2, 'ReadyForNewScale']);
  });

  test('a scale up is not delayed, and is limited', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 2);
    const n = h.normalize('ns/web', undefined, 2, 9, 1, 10);
    assert.equal(n.desiredReplicas, 4);
    assert.deepEqual(n.ableToScale.reason, 'ReadyForNewScale');
    assert.deepEqual(n.scalingLimited, { status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
  });

  test('a forgotten HPA starts afresh', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 6);
    h.forget('ns/web');
    assert.equal(h.normalize('ns/web', undefined, 6, 2, 1, 10).desiredReplicas, 2);
  });
});

describe('with behavior', () => {
  test('scaleDown.stabilizationWindowSeconds 0 scales down at once', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 6);
    const n = h.normalize('ns/web', { scaleDown: { stabilizationWindowSeconds: 0 } }, 6, 2, 1, 10);
    assert.equal(n.desiredReplicas, 2);
  });

  test('a scaleDown without a window gets the controller\'s 5 minutes', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 6);
    clock.step(MIN);
    const n = h.normalize('ns/web', { scaleDown: {} }, 6, 2, 1, 10);
    assert.deepEqual([n.desiredReplicas, n.ableToScale.reason], [6, 'ScaleDownStabilized']);
  });

  test('scaleUp window holds a scale up to the lowest recent recommendation', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    const b: Behavior = { scaleUp: { stabilizationWindowSeconds: 120 } };
    h.recordInitialRecommendation('ns/web', 2);
    clock.step(MIN);
    const n = h.normalize('ns/web', b, 2, 5, 1, 10);
    assert.deepEqual([n.desiredReplicas, n.ableToScale.reason], [2, 'ScaleUpStabilized']);
    assert.equal(n.ableToScale.message, 'recent recommendations were lower than current one, applying the lowest recent recommendation');
    clock.step(MIN + 1);
    assert.equal(h.normalize('ns/web', b, 2, 5, 1, 10).desiredReplicas, 5);
  });

  test('policies limit the change per period, counting the scale events within it', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    const b: Behavior = { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] }, scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] } };
    h.recordInitialRecommendation('ns/web', 2);
    let n = h.normalize('ns/web', b, 2, 10, 1, 20);
    assert.deepEqual([n.desiredReplicas, n.scalingLimited.status, n.scalingLimited.reason], [4, 'True', 'ScaleUpLimit']);
    h.storeScaleEvent('ns/web', b, 2, 4);
    clock.step(30_000);
    // Two pods were added within the last 60 s: no more yet.
    n = h.normalize('ns/web', b, 4, 10, 1, 20);
    assert.equal(n.desiredReplicas, 4);
    clock.step(31_000);
    assert.equal(h.normalize('ns/web', b, 4, 10, 1, 20).desiredReplicas, 6);
    // Scaling down by at most half per minute.
    n = h.normalize('ns/web', b, 8, 1, 1, 20);
    assert.deepEqual([n.desiredReplicas, n.scalingLimited.reason], [4, 'ScaleDownLimit']);
  });

  test('selectPolicy Disabled keeps the count; Min picks the smaller change', () => {
    const clock = new FakeClock();
    const h = new ScalingHistory(clock);
    h.recordInitialRecommendation('ns/web', 4);
    assert.equal(h.normalize('ns/web', { scaleUp: { selectPolicy: 'Disabled' } }, 4, 8, 1, 20).desiredReplicas, 4);
    const min: Behavior = { scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] } };
    assert.equal(h.normalize('ns/web', min, 4, 8, 1, 20).desiredReplicas, 5);
    const max: Behavior = { scaleUp: { ...min.scaleUp, selectPolicy: 'Max' } };
    assert.equal(h.normalize('ns/web', max, 4, 20, 1, 20).desiredReplicas, 8);
  });

  test('maxReplicas below the policy limit is TooManyReplicas', () => {
    const h = new ScalingHistory(new FakeClock());
    const n = h.normalize('ns/web', { scaleUp: {} }, 2, 10, 1, 5);
    assert.deepEqual([n.desiredReplicas, n.scalingLimited.reason, n.scalingLimited.message], [5, 'TooManyReplicas', 'the desired replica count is more than the maximum replica count']);
  });
});
