// The horizontal pod autoscaler (upstream pkg/controller/podautoscaler/horizontal.go), every HPA
// looked at every 15s: read the target's scale subresource, keep the replicas within
// [minReplicas, maxReplicas], and otherwise compute the replicas from the resource metrics
// (metrics.k8s.io PodMetrics against the pods' requests), stabilize and bound that proposal, and
// write it through the scale subresource, with upstream's conditions, events and status.
import { parseLabelSelector, type LabelSelectorMatcher } from '../../apimachinery/labels.ts';
import type { KObject } from '../../apimachinery/types.ts';
import { parseApiVersion } from '../../apimachinery/types.ts';
import { isNotFound } from '../../client/api-error.ts';
import { splitMetaNamespaceKey } from '../../client/cache/keys.ts';
import { GVR } from '../../client/resources.ts';
import type { ControllerContext, ControllerDescriptor, RunningController } from '../../components/controller-manager/controller-context.ts';
import { Controller } from '../framework/controller.ts';
import { describeError } from '../framework/describe-error.ts';
import { rfc3339Nano } from '../endpoint/pod-endpoints.ts';
import { setCondition, statusEqual } from './hpa-status.ts';
import { computeReplicasForMetrics, type MetricsResult } from './metric-replicas.ts';
import { DEFAULT_CALCULATOR_OPTIONS } from './replica-calculator.ts';
import { behaviorOf, ScalingHistory } from './replica-normalizer.ts';
import { listPodMetrics } from './resource-metrics.ts';

type Obj = Record<string, any>;

/** Upstream's --horizontal-pod-autoscaler-sync-period default. */
const SYNC_PERIOD_MS = 15_000;
const WORKERS = 5;

interface Scale extends KObject { spec: { replicas?: number }; status: { replicas?: number; selector?: string } }

class HorizontalController {
  readonly controller: Controller;
  private readonly hpas;
  private readonly pods;
  private readonly history: ScalingHistory;
  /** Each HPA's last selector, to find pods claimed by two HPAs (upstream's hpaSelectors). */
  private readonly selectors = new Map<string, LabelSelectorMatcher>();

  constructor(private readonly ctx: ControllerContext) {
    const informer = ctx.informers.forResource(GVR.horizontalpodautoscalers);
    const podInformer = ctx.informers.forResource(GVR.pods);
    this.hpas = informer.lister();
    this.pods = podInformer.lister();
    this.history = new ScalingHistory(ctx.clock);
    this.controller = new Controller({
      name: 'horizontalpodautoscaler', workers: WORKERS, caches: [informer, podInformer], clock: ctx.clock, log: ctx.log,
      reconcile: async (key) => {
        if (!this.hpas.get(key)) {
          this.history.forget(key);
          this.selectors.delete(key);
          return;
        }
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
    // Our own status writes do not call for another look before the sync period.
    informer.addEventHandler({
      onAdd: enqueue,
      onUpdate: (old, hpa) => { if (JSON.stringify(old.spec) !== JSON.stringify(hpa.spec)) enqueue(hpa); },
      // A deleted HPA's reconcile drops its history and selector.
      onDelete: (obj) => this.controller.enqueue(obj),
    });
  }

  private now(): string { return rfc3339Nano(Math.floor(this.ctx.clock.now() / 1000) * 1000); }

  private async reconcileAutoscaler(key: string): Promise<void> {
    const { namespace } = splitMetaNamespaceKey(key);
    const cached = this.hpas.get(key);
    if (!cached) return;
    const hpa = structuredClone(cached) as KObject;
    const spec = hpa.spec as Obj;
    const originalStatus = structuredClone(hpa.status ?? {}) as Obj;
    const status: Obj = (hpa.status ??= {}) as Obj;
    const now = this.now();
    const ref = spec.scaleTargetRef as { apiVersion?: string; kind: string; name: string };
    const reference = `${ref.kind}/${namespace}/${ref.name}`;

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
    this.history.recordInitialRecommendation(key, currentReplicas);
    const minReplicas: number = spec.minReplicas ?? 1;
    const maxReplicas: number = spec.maxReplicas;
    let desiredReplicas = 0;
    let rescaleReason = '';
    let rescale = true;
    let metricStatuses: Obj[] | undefined;
    let partialError: string | undefined;

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
      const result = await this.computeReplicasForMetrics(key, hpa, scale, namespace);
      if (result.scalingActive) setCondition(status, 'ScalingActive', result.scalingActive.status, result.scalingActive.reason, result.scalingActive.message, now);
      metricStatuses = result.statuses;
      if (result.replicas === -1) {
        // No metric usable: report it and leave the target alone.
        this.setStatus(hpa, currentReplicas, status.desiredReplicas ?? 0, metricStatuses, false, now);
        await this.updateStatusIfNeeded(hpa, originalStatus);
        this.ctx.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', result.error ?? '');
        throw new Error(`failed to compute desired number of replicas based on listed metrics for ${reference}: ${result.error}`);
      }
      // Some metrics failed but the others scale up: scale, and report the failure afterwards.
      partialError = result.error;
      let rescaleMetric = '';
      if (result.replicas > desiredReplicas) {
        desiredReplicas = result.replicas;
        rescaleMetric = result.metricName;
      }
      if (desiredReplicas > currentReplicas) rescaleReason = `${rescaleMetric} above target`;
      if (desiredReplicas < currentReplicas) rescaleReason = 'All metrics below target';
      const n = this.history.normalize(key, behaviorOf(spec), currentReplicas, desiredReplicas, minReplicas, maxReplicas);
      setCondition(status, 'AbleToScale', 'True', n.ableToScale.reason, n.ableToScale.message, now);
      setCondition(status, 'ScalingLimited', n.scalingLimited.status, n.scalingLimited.reason, n.scalingLimited.message, now);
      desiredReplicas = n.desiredReplicas;
      rescale = desiredReplicas !== currentReplicas;
    }

    if (rescale) {
      try {
        await scaleClient.updateSubresource(ref.name, 'scale', { ...scale, spec: { ...scale.spec, replicas: desiredReplicas } });
      } catch (err) {
        const msg = describeError(err);
        this.ctx.recorder.eventf(hpa, 'Warning', 'FailedRescale', 'New size: %d; reason: %s; error: %s', desiredReplicas, rescaleReason, msg);
        setCondition(status, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`, now);
        this.setStatus(hpa, currentReplicas, status.desiredReplicas ?? 0, metricStatuses, false, now);
        await this.updateStatusIfNeeded(hpa, originalStatus);
        throw new Error(`failed to rescale ${reference}: ${msg}`);
      }
      setCondition(status, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desiredReplicas}`, now);
      this.ctx.recorder.eventf(hpa, 'Normal', 'SuccessfulRescale', 'New size: %d; reason: %s', desiredReplicas, rescaleReason);
      this.history.storeScaleEvent(key, behaviorOf(spec), currentReplicas, desiredReplicas);
    } else {
      desiredReplicas = currentReplicas;
    }
    this.setStatus(hpa, currentReplicas, desiredReplicas, metricStatuses, rescale, now);
    await this.updateStatusIfNeeded(hpa, originalStatus);
    if (partialError) throw new Error(partialError);
  }

  /** validateAndParseSelector, then the metrics against the pods the selector matches. */
  private async computeReplicasForMetrics(key: string, hpa: KObject, scale: Scale, namespace: string): Promise<MetricsResult> {
    // A selector problem: an event, ScalingActive=False, and no metric statuses.
    const invalid = (eventReason: string, event: string, reason: string, message: string): MetricsResult => {
      this.ctx.recorder.event(hpa, 'Warning', eventReason, event);
      return { replicas: -1, metricName: '', statuses: undefined, scalingActive: { status: 'False', reason, message }, error: event };
    };
    const selector = scale.status.selector;
    if (!selector) return invalid('SelectorRequired', 'selector is required', 'InvalidSelector', 'the HPA target\'s scale is missing a selector');
    let matcher: LabelSelectorMatcher;
    try {
      matcher = parseLabelSelector(selector);
    } catch (err) {
      const msg = `couldn't convert selector into a corresponding internal selector object: ${(err as Error).message}`;
      return invalid('InvalidSelector', msg, 'InvalidSelector', msg);
    }
    this.selectors.set(key, matcher);
    const pods = this.pods.namespace(namespace).list(matcher);
    const selecting = this.hpasSelecting(namespace, pods);
    if (selecting.length > 1) {
      const msg = `pods by selector ${selector} are controlled by multiple HPAs: [${selecting.join(' ')}]`;
      return invalid('AmbiguousSelector', msg, 'AmbiguousSelector', msg);
    }
    const spec = hpa.spec as Obj;
    return computeReplicasForMetrics((spec.metrics ?? []) as Obj[], {
      specReplicas: scale.spec.replicas ?? 0,
      pods,
      listPodMetrics: () => listPodMetrics(this.ctx.client, namespace, selector),
      calc: { ...DEFAULT_CALCULATOR_OPTIONS, now: this.ctx.clock.now() },
      warn: (reason, message) => this.ctx.recorder.event(hpa, 'Warning', reason, message),
    });
  }

  /** The HPAs ("namespace/name", sorted) whose last selector matches any of these pods. */
  private hpasSelecting(namespace: string, pods: readonly KObject[]): string[] {
    const out: string[] = [];
    for (const [key, matcher] of this.selectors) {
      if (!key.startsWith(`${namespace}/`)) continue;
      if (pods.some((p) => matcher.matches(p.metadata.labels))) out.push(key);
    }
    return out.sort();
  }

  /** setStatus: the status rebuilt from the counts, the metric statuses and the conditions kept. */
  private setStatus(hpa: KObject, currentReplicas: number, desiredReplicas: number, metrics: Obj[] | undefined, rescale: boolean, now: string): void {
    const old = (hpa.status ?? {}) as Obj;
    const lastScaleTime = rescale ? now : old.lastScaleTime;
    hpa.status = {
      ...(lastScaleTime ? { lastScaleTime } : {}),
      currentReplicas, desiredReplicas,
      ...(metrics && metrics.length > 0 ? { currentMetrics: metrics } : {}),
      ...(old.conditions ? { conditions: old.conditions } : {}),
    };
  }

  private async updateStatusIfNeeded(hpa: KObject, originalStatus: Obj): Promise<void> {
    if (statusEqual(hpa.status as Obj, originalStatus)) return;
    try {
      await this.ctx.client.resource(GVR.horizontalpodautoscalers).namespace(hpa.metadata.namespace!).updateStatus(hpa);
    } catch (err) {
      if (isNotFound(err)) return;
      this.ctx.recorder.event(hpa, 'Warning', 'FailedUpdateStatus', describeError(err));
      throw new Error(`failed to update status for ${hpa.metadata.name}: ${describeError(err)}`);
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
