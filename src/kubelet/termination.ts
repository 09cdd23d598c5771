// Stopping containers (kuberuntime's killContainer/killPodWithSyncResult): a Killing event, the
// preStop hook within the grace period, then StopContainer with what is left of it (at least 2 s:
// the runtime sends SIGTERM, and SIGKILL when it runs out). The grace period is the pod's
// deletionGracePeriodSeconds, else terminationGracePeriodSeconds (a probe's own for a probe
// failure). Killing a pod stops its regular containers first, then its sidecars in reverse order,
// then its sandboxes.
import type { Clock } from '../client/clock.ts';
import type { EventRecorder } from '../controllers/framework/events/event-recorder.ts';
import { EVENTS, containerRef } from './kubelet-events.ts';
import { isRestartableInitContainer, type KillReason } from './pod-actions.ts';
import { containerInfoFromAnnotations, containerInfoFromLabels } from './runtime-labels.ts';
import type { PodRuntimeStatus } from './runtime-pod-status.ts';
import { isNotFound } from './runtime-pod-status.ts';
import type { RuntimeService } from './runtime/runtime-service.ts';

type Obj = Record<string, any>;

/** minimumGracePeriodInSeconds: always give a container a moment to shut down. */
export const MINIMUM_GRACE_PERIOD_SECONDS = 2;

/** Runs a lifecycle handler (exec/httpGet/sleep) for a container; rejects with its error text. */
export type RunHook = (handler: Obj, pod: Obj, container: Obj, containerId: string, signal: AbortSignal, podIP?: string) => Promise<void>;

/** setTerminationGracePeriod. */
export function terminationGracePeriod(pod: Obj, container: Obj, reason: KillReason): number {
  if (typeof pod.metadata?.deletionGracePeriodSeconds === 'number') return pod.metadata.deletionGracePeriodSeconds;
  const podGrace = pod.spec?.terminationGracePeriodSeconds;
  if (typeof podGrace === 'number') {
    if (reason === 'StartupProbe' && typeof container.startupProbe?.terminationGracePeriodSeconds === 'number') return container.startupProbe.terminationGracePeriodSeconds;
    if (reason === 'LivenessProbe' && typeof container.livenessProbe?.terminationGracePeriodSeconds === 'number') return container.livenessProbe.terminationGracePeriodSeconds;
    return podGrace;
  }
  return MINIMUM_GRACE_PERIOD_SECONDS;
}

export interface KillContainerRequest {
  /** The pod as the API has it; undefined for an orphan (spec restored from its annotations). */
  pod?: Obj;
  containerId: string;
  containerName: string;
  message?: string;
  reason: KillReason;
  gracePeriodOverride?: number;
}

export class ContainerKiller {
  constructor(
    private readonly runtime: RuntimeService,
    private readonly recorder: EventRecorder,
    private readonly runHook: RunHook,
    private readonly clock: Clock,
    private readonly log: (m: string) => void,
  ) {}

  async killContainer(r: KillContainerRequest): Promise<void> {
    let pod = r.pod;
    let spec: Obj | undefined;
    if (pod) {
      spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].find((c: Obj) => c?.name === r.containerName);
    }
    if (!pod || !spec) {
      const restored = await this.restoreSpecs(r.containerId);
      if (!restored) return;
      pod = restored.pod;
      spec = restored.container;
    }
    let grace = r.gracePeriodOverride ?? terminationGracePeriod(pod, spec, r.reason);
    this.recorder.event(containerRef(pod, spec.name), 'Normal', EVENTS.KillingContainer, r.message || `Stopping container ${spec.name}`);
    const preStop = spec.lifecycle?.preStop;
    if (preStop && grace > 0) grace -= await this.executePreStopHook(pod, spec, r.containerId, preStop, grace);
    grace = Math.max(grace, MINIMUM_GRACE_PERIOD_SECONDS);
    try {
      await this.runtime.stopContainer(r.containerId, grace);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Kills every running container of the pod (regular ones first, then sidecars last-to-first) and stops its sandboxes. */
  async killPod(pod: Obj | undefined, status: PodRuntimeStatus, gracePeriodOverride?: number): Promise<void> {
    const running = status.containers.filter((c) => c.state === 'running' || c.state === 'unknown');
    const sidecarOrder = (pod?.spec?.initContainers ?? []).filter(isRestartableInitContainer).map((c: Obj) => c.name as string).reverse();
    const regular = running.filter((c) => !sidecarOrder.includes(c.name));
    const kill = (c: { id: string; name: string }) => this.killContainer({ pod, containerId: c.id, containerName: c.name, reason: '', gracePeriodOverride });
    const errors: unknown[] = [];
    const started = this.clock.now();
    await Promise.all(regular.map((c) => kill(c).catch((err) => errors.push(err))));
    for (const name of sidecarOrder) {
      const c = running.find((x) => x.name === name);
      if (!c) continue;
      // Sidecars share the pod's grace period with the containers stopped before them.
      const override = gracePeriodOverride ?? (pod ? terminationGracePeriod(pod, {}, '') : undefined);
      const left = override === undefined ? undefined : Math.max(0, override - Math.floor((this.clock.now() - started) / 1000));
      await this.killContainer({ pod, containerId: c.id, containerName: c.name, reason: '', gracePeriodOverride: left }).catch((err) => errors.push(err));
    }
    for (const sb of status.sandboxes) {
      if (sb.state !== 'SANDBOX_READY') continue;
      try {
        await this.runtime.stopPodSandbox(sb.id);
      } catch (err) {
        if (!isNotFound(err)) errors.push(err);
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  /** Runs preStop for at most the grace period; returns the whole seconds it took. */
  private async executePreStopHook(pod: Obj, container: Obj, containerId: string, handler: Obj, grace: number): Promise<number> {
    const started = this.clock.now();
    const abort = new AbortController();
    const run = this.runHook(handler, pod, container, containerId, abort.signal).then(
      () => undefined,
      (err) => {
        this.log(`PreStop hook failed for container "${container.name}" of pod "${pod.metadata.namespace}/${pod.metadata.name}": ${(err as Error).message}`);
        // The message stays out of the event: it may carry secrets.
        this.recorder.event(containerRef(pod, container.name), 'Warning', EVENTS.FailedPreStopHook, 'PreStopHook failed');
      },
    );
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timeout = new Promise<void>((resolve) => { timer = this.clock.setTimeout(resolve, grace * 1000); });
    await Promise.race([run, timeout]);
    if (timer) this.clock.clearTimeout(timer);
    abort.abort();
    return Math.floor((this.clock.now() - started) / 1000);
  }

  /** restoreSpecsFromContainerLabels: enough of the pod and container to kill an orphan properly. */
  private async restoreSpecs(containerId: string): Promise<{ pod: Obj; container: Obj } | undefined> {
    let s;
    try {
      s = await this.runtime.containerStatus(containerId);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const l = containerInfoFromLabels(s.labels);
    const a = containerInfoFromAnnotations(s.annotations);
    const pod: Obj = {
      metadata: { uid: l.podUID, name: l.podName, namespace: l.podNamespace, ...(a.podDeletionGracePeriod !== undefined ? { deletionGracePeriodSeconds: a.podDeletionGracePeriod } : {}) },
      spec: a.podTerminationGracePeriod !== undefined ? { terminationGracePeriodSeconds: a.podTerminationGracePeriod } : {},
    };
    const container: Obj = { name: l.containerName || s.metadata.name, terminationMessagePath: a.terminationMessagePath };
    if (a.preStopHandler) container.lifecycle = { preStop: a.preStopHandler };
    return { pod, container };
  }
}
