// Upstream's ReplicaCalculator (pkg/controller/podautoscaler/replica_calculator.go) and the ratios of
// metrics/utilization.go for resource metrics, as pure functions over the pods and their usage: group
// the pods (ready, unready, missing a sample, ignored), compare usage with the target, leave the
// count alone within the tolerance, and otherwise ceil(ratio × pods counted). Errors carry
// upstream's texts, which end up in the HPA's conditions and events.
import { parseQuantityMilli } from '../../apimachinery/quantity.ts';
import type { PodMetric, PodMetricsInfo } from './resource-metrics.ts';

type Obj = Record<string, any>;

export interface CalculatorOptions {
  /** --horizontal-pod-autoscaler-tolerance. */
  tolerance: number;
  /** --horizontal-pod-autoscaler-cpu-initialization-period. */
  cpuInitializationPeriodMs: number;
  /** --horizontal-pod-autoscaler-initial-readiness-delay. */
  delayOfInitialReadinessStatusMs: number;
  /** The clock's now, ms since the epoch. */
  now: number;
}

/** kube-controller-manager's defaults. */
export const DEFAULT_CALCULATOR_OPTIONS: Omit<CalculatorOptions, 'now'> = {
  tolerance: 0.1,
  cpuInitializationPeriodMs: 5 * 60_000,
  delayOfInitialReadinessStatusMs: 30_000,
};

export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
}

function time(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * groupPods: deleted and failed pods are ignored, pending ones unready, pods without a sample
 * missing. For cpu only, a pod that is not Ready, or whose sample predates its readiness (within
 * the initialization period), is unready too, since start-up cpu would skew the average.
 */
export function groupPods(pods: readonly Obj[], metrics: PodMetricsInfo, resource: string, opts: CalculatorOptions): PodGroups {
  const g: PodGroups = { readyPodCount: 0, unreadyPods: new Set(), missingPods: new Set(), ignoredPods: new Set() };
  for (const pod of pods) {
    const name: string = pod.metadata?.name ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp || phase === 'Failed') { g.ignoredPods.add(name); continue; }
    if (phase === 'Pending') { g.unreadyPods.add(name); continue; }
    const metric = metrics.get(name);
    if (!metric) { g.missingPods.add(name); continue; }
    if (resource === 'cpu' && cpuUnready(pod, metric, opts)) { g.unreadyPods.add(name); continue; }
    g.readyPodCount++;
  }
  return g;
}

function cpuUnready(pod: Obj, metric: PodMetric, opts: CalculatorOptions): boolean {
  const ready = ((pod.status?.conditions ?? []) as Obj[]).find((c) => c?.type === 'Ready');
  const start = time(pod.status?.startTime);
  if (!ready || start === undefined) return true;
  const transition = time(ready.lastTransitionTime) ?? 0;
  if (start + opts.cpuInitializationPeriodMs > opts.now) {
    return ready.status === 'False' || metric.timestamp < transition + metric.windowMs;
  }
  // Past initialization: only a pod that has never been ready is left out.
  return ready.status === 'False' && start + opts.delayOfInitialReadinessStatusMs > transition;
}

/** calculatePodRequests: each pod's request (milli-units) of its containers and sidecars, or the named container's. */
export function calculatePodRequests(pods: readonly Obj[], container: string, resource: string): Map<string, number> {
  const requests = new Map<string, number>();
  for (const pod of pods) {
    const sidecars = ((pod.spec?.initContainers ?? []) as Obj[]).filter((c) => c.restartPolicy === 'Always');
    let sum = 0;
    for (const c of [...((pod.spec?.containers ?? []) as Obj[]), ...sidecars]) {
      if (container && c.name !== container) continue;
      const q = c.resources?.requests?.[resource];
      if (q === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name}`);
      sum += parseQuantityMilli(String(q));
    }
    requests.set(pod.metadata?.name ?? '', sum);
  }
  return requests;
}

export interface UtilizationRatio {
  usageRatio: number;
  /** Percent of the requests, truncated as upstream's integer division. */
  utilization: number;
  /** Average usage per pod counted, milli-units. */
  rawUtilization: number;
}

/** GetResourceUtilizationRatio: total usage over total requests of the pods with both. */
export function getResourceUtilizationRatio(metrics: PodMetricsInfo, requests: Map<string, number>, targetUtilization: number): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let entries = 0;
  for (const [pod, m] of metrics) {
    const request = requests.get(pod);
    // Requests are checked elsewhere; a sample without a pod is extraneous.
    if (request === undefined) continue;
    metricsTotal += m.value;
    requestsTotal += request;
    entries++;
  }
  if (requestsTotal === 0) throw new Error('no metrics returned matched known pods');
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return { usageRatio: utilization / targetUtilization, utilization, rawUtilization: Math.trunc(metricsTotal / entries) };
}

/** GetMetricUsageRatio: average usage per pod against the target value. */
export function getMetricUsageRatio(metrics: PodMetricsInfo, targetUsage: number): { usageRatio: number; usage: number } {
  let total = 0;
  for (const m of metrics.values()) total += m.value;
  const usage = Math.trunc(total / metrics.size);
  return { usageRatio: usage / targetUsage, usage };
}

const withValue = (value: number): PodMetric => ({ value, timestamp: 0, windowMs: 0 });

function removeMetricsForPods(metrics: PodMetricsInfo, pods: Set<string>): void {
  for (const p of pods) metrics.delete(p);
}

export interface ResourceReplicas {
  replicas: number;
  utilization: number;
  rawUtilization: number;
}

/**
 * GetResourceReplicas (averageUtilization target). `metrics` is what the metrics API gave, `pods`
 * the pods the selector matches. Unready and missing pods are first left out; if that changes
 * the direction or the answer is within the tolerance, the count stays as it is.
 */
export function getResourceReplicas(currentReplicas: number, targetUtilization: number, resource: string, container: string,
  metricsIn: PodMetricsInfo, pods: readonly Obj[], opts: CalculatorOptions): ResourceReplicas {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(metricsIn);
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(pods, metrics, resource, opts);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const requests = calculatePodRequests(pods, container, resource);
  const { usageRatio, utilization, rawUtilization } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  const keep = { replicas: currentReplicas, utilization, rawUtilization };

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (Math.abs(1.0 - usageRatio) <= opts.tolerance) return keep;
    return { replicas: Math.ceil(usageRatio * readyPodCount), utilization, rawUtilization };
  }
  if (missingPods.size > 0) {
    if (usageRatio < 1.0) {
      // Scaling down: a pod without a sample counts as using all its request (or the target, above 100%).
      const fallback = Math.max(100, targetUtilization);
      for (const p of missingPods) metrics.set(p, withValue(Math.trunc(((requests.get(p) ?? 0) * fallback) / 100)));
    } else if (usageRatio > 1.0) {
      for (const p of missingPods) metrics.set(p, withValue(0));
    }
  }
  // Scaling up: unready pods count as using nothing.
  if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, withValue(0));

  const { usageRatio: newUsageRatio } = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (Math.abs(1.0 - newUsageRatio) <= opts.tolerance || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return keep;
  const replicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && replicas > currentReplicas) || (newUsageRatio > 1.0 && replicas < currentReplicas)) return keep;
  return { replicas, utilization, rawUtilization };
}

/** GetRawResourceReplicas / calcPlainMetricReplicas (averageValue target, milli-units). */
export function getRawResourceReplicas(currentReplicas: number, targetUsage: number, resource: string,
  metricsIn: PodMetricsInfo, pods: readonly Obj[], opts: CalculatorOptions): { replicas: number; usage: number } {
  if (pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
  const metrics: PodMetricsInfo = new Map(metricsIn);
  const { readyPodCount, unreadyPods, missingPods, ignoredPods } = groupPods(pods, metrics, resource, opts);
  removeMetricsForPods(metrics, ignoredPods);
  removeMetricsForPods(metrics, unreadyPods);
  if (metrics.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const { usageRatio, usage } = getMetricUsageRatio(metrics, targetUsage);
  const keep = { replicas: currentReplicas, usage };

  const scaleUpWithUnready = unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && missingPods.size === 0) {
    if (Math.abs(1.0 - usageRatio) <= opts.tolerance) return keep;
    return { replicas: Math.ceil(usageRatio * readyPodCount), usage };
  }
  if (missingPods.size > 0) {
    // Scaling down, a pod without a sample counts as using exactly the target; scaling up, nothing.
    if (usageRatio < 1.0) for (const p of missingPods) metrics.set(p, withValue(targetUsage));
    else if (usageRatio > 1.0) for (const p of missingPods) metrics.set(p, withValue(0));
  }
  if (scaleUpWithUnready) for (const p of unreadyPods) metrics.set(p, withValue(0));

  const { usageRatio: newUsageRatio } = getMetricUsageRatio(metrics, targetUsage);
  if (Math.abs(1.0 - newUsageRatio) <= opts.tolerance || (usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) return keep;
  const replicas = Math.ceil(newUsageRatio * metrics.size);
  if ((newUsageRatio < 1.0 && replicas > currentReplicas) || (newUsageRatio > 1.0 && replicas < currentReplicas)) return keep;
  return { replicas, usage };
}
