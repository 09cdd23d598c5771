// The horizontal pod autoscaler (upstream pkg/controller/podautoscaler/horizontal.go), every HPA
// looked at every 15s: read the target's scale subresource, keep the replicas within
// [minReplicas, maxReplicas], and otherwise compute the replicas from the metrics. Resource metrics
// come from the metrics.k8s.io API; when it is not served (no metrics pipeline yet) the HPA says so
// in its ScalingActive condition and events, with upstream's messages, and does not scale.
import type { KObject } from '../../apimachinery/types.ts';
import { parseApiVersion } from '../../apimachinery/types.ts';
import { StatusError } from '../../apimachinery/errors.ts';
import { isNotFound } from '../../client/api-error.ts';
import { splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { describeError } from '../framework/describe-error.ts';
import { rfc3339Nano } from '../endpoint/pod-endpoints.ts';

type Obj = Record<string, any>;

/** Upstream's --horizontal-pod-autoscaler-sync-period default. */
const SYNC_PERIOD_MS = 15_000;
const WORKERS = 5;

interface Condition { type: string; status: 'True' | 'False'; lastTransitionTime?: string; reason: string; message: string }
interface Scale extends KObject { spec: { replicas?: number }; status: { replicas?: number; selector?: string } }

function setCondition(status: Obj, type: string, value: 'True' | 'False', reason: string, message: string, now: string): void {
  const conditions: Condition[] = status.conditions ??= [];
  const existing = conditions.find((c) => c.type === type);
  if (!existing) {
    conditions.push({ type, status: value, lastTransitionTime: now, reason, message });
    return;
  }
  if (existing.status !== value) existing.lastTransitionTime = now;
  Object.assign(existing, { status: value, reason, message });
}

/** The error text client-go gives for a 404 without a Status body (an API group that is not served). */
function metricsError(err: unknown, resource: string): string {
  if (err instanceof StatusError && err.code === 404) return `the server could not find the requested resource (get ${resource})`;
  return describeError(err);
}

class HorizontalController {
  readonly controller: Controller;
  private readonly hpas;

  constructor(private readonly ctx: ControllerContext) {
    const informer = ctx.informers.forResource(GVR.horizontalpodautoscalers);
    this.hpas = informer.lister();
    this.controller = new Controller({
      name: 'horizontalpodautoscaler', workers: WORKERS, caches: [informer], clock: ctx.clock, log: ctx.log,
      reconcile: async (key) => {
        if (!this.hpas.get(key)) return;
        try {
          await this.reconcileAutoscaler(key);
        } catch (err) {
          ctx.log(`${key}: ${describeError(err)}`);
        }
        // Every HPA is looked at again after the sync period, whatever happened.
        this.controller.enqueueAfter(key, SYNC_PERIOD_MS);
      },
    });
    const enqueue = (obj: KObject) => this.controller.enqueue(obj);
    informer.addEventHandler({ onAdd: enqueue, onUpdate: (old, hpa) => { if (old.metadata.resourceVersion !== hpa.metadata.resourceVersion) enqueue(hpa); } });
  }

  private now(): string { return rfc3339Nano(Math.floor(this.ctx.clock.now() / 1000) * 1000); }

  private async reconcileAutoscaler(key: string): Promise<void> {
    const { namespace } = splitMetaNamespaceKey(key);
    const cached = this.hpas.get(key);
    if (!cached) return;
    const hpa = structuredClone(cached) as KObject;
    const spec = hpa.spec as Obj;
    const originalStatus = JSON.stringify(hpa.status ?? {});
    const status: Obj = (hpa.status ??= {}) as Obj;
    const now = this.now();
    const ref = spec.scaleTargetRef as { apiVersion?: string; kind: string; name: string };
    const reference = `${ref.kind}/${ref.name}`;

    // The target's scale subresource.
    let scale: Scale;
    let scaleClient;
    try {
      const info = this.ctx.client.resources.forKind(parseApiVersion(ref.apiVersion ?? '').group, ref.kind);
      if (!info || !(info.subresources ?? []).includes('scale')) throw new Error(`no scale subresource for ${ref.apiVersion}/${ref.kind}`);
      scaleClient = this.ctx.client.resource(info).namespace(namespace);
      scale = await scaleClient.getSubresource<Scale>(ref.name, 'scale');
    } catch (err) {
      const msg = describeError(err);
      this.ctx.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
      setCondition(status, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`, now);
      await this.updateStatusIfNeeded(hpa, originalStatus);
      throw new Error(`failed to query scale subresource for ${reference}: ${msg}`);
    }
    setCondition(status, 'AbleToScale', 'True', 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale', now);
    const currentReplicas = scale.spec.replicas ?? 0;
    const minReplicas: number = spec.minReplicas ?? 1;
    const maxReplicas: number = spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;

    if (currentReplicas === 0 && minReplicas !== 0) {
      // Scaled to zero by hand: autoscaling is off until someone scales it up again.
      desiredReplicas = 0;
      rescale = false;
      setCondition(status, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now);
    } else if (currentReplicas > maxReplicas) {
      rescaleReason = 'Current number of replicas above Spec.MaxReplicas';
      desiredReplicas = maxReplicas;
    } else if (currentReplicas < minReplicas) {
      rescaleReason = 'Current number of replicas below Spec.MinReplicas';
      desiredReplicas = minReplicas;
    } else {
      const err = await this.computeReplicasForMetrics(hpa, status, scale, now, namespace);
      // No metric could be read: report it and leave the target alone.
      status.currentReplicas = currentReplicas;
      await this.updateStatusIfNeeded(hpa, originalStatus);
      this.ctx.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', err);
      throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${err}`);
    }

    if (rescale) {
      try {
        await scaleClient.updateSubresource(ref.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desiredReplicas } });
      } catch (err) {
        const msg = describeError(err);
        this.ctx.recorder.eventf(hpa, 'Warning', 'FailedRescale', 'New size: %d; reason: %s; error: %s', desiredReplicas, rescaleReason, msg);
        setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`, now);
        status.currentReplicas = currentReplicas;
        await this.updateStatusIfNeeded(hpa, originalStatus);
        throw new Error(`failed to rescale ${reference}: ${msg}`);
      }
      setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`, now);
      this.ctx.recorder.eventf(hpa, 'Normal', 'SuccessfulRescale', 'New size: %d; reason: %s', desiredReplicas, rescaleReason);
      status.lastScaleTime = now;
    } else {
      desiredReplicas = currentReplicas;
    }
    status.currentReplicas = currentReplicas;
    status.desiredReplicas = desiredReplicas;
    await this.updateStatusIfNeeded(hpa, originalStatus);
  }

  /**
   * Reads every metric of the spec; returns the error text of the first that failed (upstream's
   * "invalid metrics (n invalid out of m), first error is: …"). Only resource metrics exist here, and
   * only through metrics.k8s.io; with it not served every metric fails.
   */
  private async computeReplicasForMetrics(hpa: KObject, status: Obj, scale: Scale, now: string, namespace: string): Promise<string> {
    const metrics: Obj[] = (hpa.spec as Obj).metrics ?? [];
    if (!scale.status.selector) {
      this.ctx.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
      setCondition(status, 'ScalingActive', 'False', 'InvalidSelector', 'the HPA target\'s scale is missing a selector', now);
      return 'selector is required';
    }
    let first: { reason: string; message: string; error: string } | undefined;
    for (const m of metrics) {
      let error: string;
      let reason: string;
      if (m.type === 'Resource' || m.type === 'ContainerResource') {
        const source = m.type === 'Resource' ? m.resource : m.containerResource;
        const res = source?.name ?? '';
        const what = source?.target?.averageValue !== undefined ? 'usage' : 'utilization';
        let cause: string;
        try {
          await this.ctx.client.request({ method: 'GET', path: `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`, query: { labelSelector: scale.status.selector } });
          // Served: turning pod usage into a replica count is not implemented yet; say so rather than guess.
          cause = `unable to get metrics for resource ${res}: computing replicas from the resource metrics API is not implemented by this controller yet`;
        } catch (err) {
          cause = `unable to get metrics for resource ${res}: unable to fetch metrics from resource metrics API: ${metricsError(err, 'pods.metrics.k8s.io')}`;
        }
        const inner = `failed to get ${res} ${what}: ${cause}`;
        reason = m.type === 'Resource' ? 'FailedGetResourceMetric' : 'FailedGetContainerResourceMetric';
        this.ctx.recorder.event(hpa, 'Warning', reason, inner);
        error = `failed to get ${res} resource metric value: ${inner}`;
        first ??= { reason, message: `the HPA was unable to compute the replica count: ${inner}`, error };
      } else {
        reason = `FailedGet${m.type}Metric`;
        const inner = `unable to get metric of type ${m.type}: the custom and external metrics APIs are not served`;
        this.ctx.recorder.event(hpa, 'Warning', reason, inner);
        error = inner;
        first ??= { reason, message: `the HPA was unable to compute the replica count: ${inner}`, error };
      }
    }
    if (!first) {
      setCondition(status, 'ScalingActive', 'False', 'InvalidMetricSourceType', 'the HPA was unable to compute the replica count: no metrics are specified', now);
      return 'no metrics are specified';
    }
    setCondition(status, 'ScalingActive', 'False', first.reason, first.message, now);
    return `invalid metrics (${metrics.length} invalid out of ${metrics.length}), first error is: ${first.error}`;
  }

  private async updateStatusIfNeeded(hpa: KObject, originalStatus: string): Promise<void> {
    if (JSON.stringify(hpa.status) === originalStatus) return;
    try {
      await this.ctx.client.resource(GVR.horizontalpodautoscalers).namespace(hpa.metadata.namespace!).updateStatus(hpa);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const horizontalPodAutoscalerController: ControllerDescriptor = {
  name: 'horizontal-pod-autoscaler',
  start(ctx): RunningController {
    const c = new HorizontalController(ctx);
    void c.controller.run();
    return c.controller;
  },
};
