// From the metrics' proposal to the replicas the HPA sets (upstream's normalizeDesiredReplicas and
// normalizeDesiredReplicasWithBehaviors): stabilization over the recent recommendations of each HPA
// (by default the highest of the last 5 minutes, so a dip does not scale down at once), then the
// bounds: minReplicas, maxReplicas and the scale-up limit (or behavior's policies). Each step
// reports the reason and message of the AbleToScale and ScalingLimited conditions.
import type { Clock } from '../../client/clock.ts';

type Obj = Record<string, any>;

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: { type: 'Pods' | 'Percent'; value: number; periodSeconds: number }[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

export interface Normalized {
  desiredReplicas: number;
  ableToScale: { reason: string; message: string };
  scalingLimited: { status: 'True' | 'False'; reason: string; message: string };
}

interface Recommendation { recommendation: number; timestamp: number }
interface ScaleEvent { replicaChange: number; timestamp: number; outdated: boolean }

const SCALE_UP_LIMIT_FACTOR = 2.0;
const SCALE_UP_LIMIT_MINIMUM = 4.0;

/** behavior's defaults (SetDefaults_HorizontalPodAutoscalerBehavior) for rules left out. */
const DEFAULT_SCALE_UP: Required<ScalingRules> = {
  stabilizationWindowSeconds: 0, selectPolicy: 'Max',
  policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
};
const DEFAULT_SCALE_DOWN: Omit<Required<ScalingRules>, 'stabilizationWindowSeconds'> = {
  selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

const STABILIZED_DOWN = { reason: 'ScaleDownStabilized', message: 'recent recommendations were higher than current one, applying the highest recent recommendation' };
const STABILIZED_UP = { reason: 'ScaleUpStabilized', message: 'recent recommendations were lower than current one, applying the lowest recent recommendation' };
const READY = { reason: 'ReadyForNewScale', message: 'recommended size matches current size' };
const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const SCALE_UP_LIMIT = { reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' };
const TOO_MANY = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
const SCALE_DOWN_LIMIT = { reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' };
const TOO_FEW = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };

export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/** convertDesiredReplicasWithRules: minReplicas, then the lower of maxReplicas and the scale-up limit. */
export function convertDesiredReplicasWithRules(currentReplicas: number, desiredReplicas: number, minReplicas: number, maxReplicas: number): { replicas: number; reason: string; message: string } {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const [maximum, limiting] = maxReplicas > scaleUpLimit ? [scaleUpLimit, SCALE_UP_LIMIT] : [maxReplicas, TOO_MANY];
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, ...TOO_FEW };
  if (desiredReplicas > maximum) return { replicas: maximum, ...limiting };
  return { replicas: desiredReplicas, ...WITHIN_RANGE };
}

function rulesOf(rules: ScalingRules | undefined, defaults: Omit<ScalingRules, 'stabilizationWindowSeconds'>, windowSeconds: number): Required<ScalingRules> {
  return {
    stabilizationWindowSeconds: rules?.stabilizationWindowSeconds ?? windowSeconds,
    selectPolicy: rules?.selectPolicy ?? defaults.selectPolicy!,
    policies: rules?.policies?.length ? rules.policies : defaults.policies!,
  };
}

/**
 * The recommendations and scale events of every HPA, kept in memory as upstream's controller does
 * (a restarted controller starts afresh), timed by the injected clock.
 */
export class ScalingHistory {
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleUpEvents = new Map<string, ScaleEvent[]>();
  private readonly scaleDownEvents = new Map<string, ScaleEvent[]>();

  /** downscaleStabilisationWindowMs: --horizontal-pod-autoscaler-downscale-stabilization (5m). */
  constructor(private readonly clock: Clock, private readonly downscaleStabilisationWindowMs = 5 * 60_000) {}

  /** The first look at an HPA counts its current size as a recommendation (recordInitialRecommendation). */
  recordInitialRecommendation(key: string, currentReplicas: number): void {
    if (!this.recommendations.has(key)) this.recommendations.set(key, [{ recommendation: currentReplicas, timestamp: this.clock.now() }]);
  }

  forget(key: string): void {
    this.recommendations.delete(key);
    this.scaleUpEvents.delete(key);
    this.scaleDownEvents.delete(key);
  }

  /** normalizeDesiredReplicas (no behavior) or normalizeDesiredReplicasWithBehaviors. */
  normalize(key: string, behavior: Behavior | undefined, currentReplicas: number, prenormalized: number, minReplicas: number, maxReplicas: number): Normalized {
    if (!behavior) {
      const stabilized = this.stabilizeRecommendation(key, prenormalized);
      const converted = convertDesiredReplicasWithRules(currentReplicas, stabilized, minReplicas, maxReplicas);
      return {
        desiredReplicas: converted.replicas,
        ableToScale: stabilized !== prenormalized ? STABILIZED_DOWN : READY,
        scalingLimited: { status: converted.replicas === stabilized ? 'False' : 'True', reason: converted.reason, message: converted.message },
      };
    }
    const up = rulesOf(behavior.scaleUp, DEFAULT_SCALE_UP, DEFAULT_SCALE_UP.stabilizationWindowSeconds);
    const down = rulesOf(behavior.scaleDown, DEFAULT_SCALE_DOWN, Math.trunc(this.downscaleStabilisationWindowMs / 1000));
    const stabilized = this.stabilizeRecommendationWithBehaviors(key, up, down, currentReplicas, prenormalized);
    const converted = this.convertDesiredReplicasWithBehaviorRate(key, up, down, currentReplicas, stabilized.recommendation, minReplicas, maxReplicas);
    return {
      desiredReplicas: converted.replicas,
      ableToScale: stabilized.recommendation !== prenormalized ? stabilized.condition : READY,
      scalingLimited: { status: converted.replicas === stabilized.recommendation ? 'False' : 'True', reason: converted.reason, message: converted.message },
    };
  }

  /** storeScaleEvent: only kept when the HPA has a behavior, whose policies count them. */
  storeScaleEvent(key: string, behavior: Behavior | undefined, prevReplicas: number, newReplicas: number): void {
    if (!behavior) return;
    const upward = newReplicas > prevReplicas;
    const rules = upward ? rulesOf(behavior.scaleUp, DEFAULT_SCALE_UP, 0) : rulesOf(behavior.scaleDown, DEFAULT_SCALE_DOWN, 0);
    const longest = Math.max(0, ...rules.policies.map((p) => p.periodSeconds));
    const store = upward ? this.scaleUpEvents : this.scaleDownEvents;
    const events = store.get(key) ?? [];
    const now = this.clock.now();
    const cutoff = now - longest * 1000;
    for (const e of events) if (e.timestamp < cutoff) e.outdated = true;
    const event: ScaleEvent = { replicaChange: Math.abs(newReplicas - prevReplicas), timestamp: now, outdated: false };
    const reuse = events.map((e, i) => (e.outdated ? i : -1)).filter((i) => i >= 0).pop();
    if (reuse !== undefined) events[reuse] = event; else events.push(event);
    store.set(key, events);
  }

  /** The highest recommendation within the downscale window, this one included; this one is recorded. */
  private stabilizeRecommendation(key: string, prenormalized: number): number {
    const now = this.clock.now();
    const cutoff = now - this.downscaleStabilisationWindowMs;
    const recs = this.recommendations.get(key) ?? [];
    let max = prenormalized;
    let old = -1;
    recs.forEach((r, i) => {
      if (r.timestamp < cutoff) old = i;
      else if (r.recommendation > max) max = r.recommendation;
    });
    const rec = { recommendation: prenormalized, timestamp: now };
    if (old >= 0) recs[old] = rec; else recs.push(rec);
    this.recommendations.set(key, recs);
    return max;
  }

  private stabilizeRecommendationWithBehaviors(key: string, up: Required<ScalingRules>, down: Required<ScalingRules>, currentReplicas: number, desired: number): { recommendation: number; condition: { reason: string; message: string } } {
    const now = this.clock.now();
    const upCutoff = now - up.stabilizationWindowSeconds * 1000;
    const downCutoff = now - down.stabilizationWindowSeconds * 1000;
    let upRecommendation = desired;
    let downRecommendation = desired;
    let old = -1;
    const recs = this.recommendations.get(key) ?? [];
    recs.forEach((r, i) => {
      if (r.timestamp > upCutoff) upRecommendation = Math.min(r.recommendation, upRecommendation);
      if (r.timestamp > downCutoff) downRecommendation = Math.max(r.recommendation, downRecommendation);
      if (r.timestamp < upCutoff && r.timestamp < downCutoff) old = i;
    });
    let recommendation = currentReplicas;
    if (recommendation < upRecommendation) recommendation = upRecommendation;
    if (recommendation > downRecommendation) recommendation = downRecommendation;
    const rec = { recommendation: desired, timestamp: now };
    if (old >= 0) recs[old] = rec; else recs.push(rec);
    this.recommendations.set(key, recs);
    return { recommendation, condition: desired >= currentReplicas ? STABILIZED_UP : STABILIZED_DOWN };
  }

  private convertDesiredReplicasWithBehaviorRate(key: string, up: Required<ScalingRules>, down: Required<ScalingRules>, currentReplicas: number, desired: number, minReplicas: number, maxReplicas: number): { replicas: number; reason: string; message: string } {
    const upEvents = this.scaleUpEvents.get(key) ?? [];
    const downEvents = this.scaleDownEvents.get(key) ?? [];
    if (desired > currentReplicas) {
      const limit = Math.max(currentReplicas, this.scaleLimit(currentReplicas, upEvents, downEvents, up, true));
      const [maximum, limiting] = maxReplicas > limit ? [limit, SCALE_UP_LIMIT] : [maxReplicas, TOO_MANY];
      if (desired > maximum) return { replicas: maximum, ...limiting };
    } else if (desired < currentReplicas) {
      const limit = Math.min(currentReplicas, this.scaleLimit(currentReplicas, upEvents, downEvents, down, false));
      const [minimum, limiting] = minReplicas < limit ? [limit, SCALE_DOWN_LIMIT] : [minReplicas, TOO_FEW];
      if (desired < minimum) return { replicas: minimum, ...limiting };
    }
    return { replicas: desired, ...WITHIN_RANGE };
  }

  /** calculateScaleUpLimitWithScalingRules / calculateScaleDownLimitWithBehaviors. */
  private scaleLimit(currentReplicas: number, upEvents: ScaleEvent[], downEvents: ScaleEvent[], rules: Required<ScalingRules>, upward: boolean): number {
    if (rules.selectPolicy === 'Disabled') return currentReplicas;
    // Scaling up, "Min" picks the smallest change (the lowest limit); scaling down, the highest.
    const pickLowest = (rules.selectPolicy === 'Min') === upward;
    let result = pickLowest ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    for (const policy of rules.policies) {
      const added = this.changeInPeriod(policy.periodSeconds, upEvents);
      const deleted = this.changeInPeriod(policy.periodSeconds, downEvents);
      const periodStart = currentReplicas - added + deleted;
      let proposed: number;
      if (policy.type === 'Pods') proposed = upward ? periodStart + policy.value : periodStart - policy.value;
      else proposed = upward ? Math.ceil(periodStart * (1 + policy.value / 100)) : Math.trunc(periodStart * (1 - policy.value / 100));
      result = pickLowest ? Math.min(result, proposed) : Math.max(result, proposed);
    }
    return Number.isFinite(result) ? result : currentReplicas;
  }

  private changeInPeriod(periodSeconds: number, events: ScaleEvent[]): number {
    const cutoff = this.clock.now() - periodSeconds * 1000;
    return events.filter((e) => e.timestamp > cutoff).reduce((sum, e) => sum + e.replicaChange, 0);
  }
}

/** The HPA's behavior as the controller reads it (undefined when none is set). */
export function behaviorOf(spec: Obj): Behavior | undefined {
  return spec.behavior ? (spec.behavior as Behavior) : undefined;
}
